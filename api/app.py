"""The FastAPI application: engine in the lifespan, routers under ``/api/v1``."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.routers import admin_units, grids, health
from api.settings import ApiSettings


def create_app(*, database_url: str | None = None, settings: ApiSettings | None = None) -> FastAPI:
    """Build the app. ``database_url`` overrides the environment (tests, the demo)."""
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from geo.db import database_url as resolve_url
        from geo.db import make_engine, session_factory

        url = database_url or resolve_url()
        app.state.engine = make_engine(url)
        app.state.sessions = session_factory(app.state.engine)
        app.state.settings = settings
        try:
            yield
        finally:
            app.state.engine.dispose()

    app = FastAPI(
        title="wangge 网格",
        summary="Grids, standard addresses, disputes, risk and maps for a county command centre.",
        version="0.1.0",
        lifespan=lifespan,
    )
    errors.install(app)
    for module in (health, admin_units, grids):
        app.include_router(module.router, prefix="/api/v1")
    return app
