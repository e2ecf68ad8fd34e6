"""The ways in: the FastAPI app and its routers, request dependencies, settings, and the
``wangge`` command line. No SQL and no analysis here: both ways call :mod:`services` and geo."""
