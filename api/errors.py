"""Domain errors → HTTP responses, in one table."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from core import errors

STATUS_BY_ERROR: dict[type[errors.WanggeError], int] = {
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Forbidden: 403,
    errors.InvalidRequest: 422,
    errors.ImportRejected: 422,
}


def _status_for(exc: errors.WanggeError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


RETRY_AFTER_SECONDS = 10
DATABASE_DOWN = (
    "数据库暂时无法连接，请稍后重试 / the database cannot be reached at the moment; "
    "try again shortly"
)


def database_unavailable() -> JSONResponse:
    """The 503 answered while the database cannot be reached, with ``Retry-After``."""
    return JSONResponse(
        status_code=503,
        content={"detail": DATABASE_DOWN, "error": "DatabaseUnavailable"},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install(app: FastAPI) -> None:
    """Register the handlers that turn every :class:`core.errors.WanggeError` into JSON and a
    lost database (connection refused or cut, pool exhausted) into a 503 with
    ``Retry-After`` instead of a 500."""

    async def _database_down(request: Request, exc: Exception) -> JSONResponse:
        return database_unavailable()

    for lost in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(lost, _database_down)

    @app.exception_handler(errors.WanggeError)
    async def _domain_error(request: Request, exc: errors.WanggeError) -> JSONResponse:
        body: dict = {"detail": str(exc), "error": type(exc).__name__}
        if isinstance(exc, errors.ImportRejected):
            body["problems"] = [
                {"row": p.row, "field": p.field, "reason": p.reason} for p in exc.problems
            ]
        return JSONResponse(status_code=_status_for(exc), content=body)
