"""The FastAPI application: engine in the lifespan, routers under ``/api/v1``."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import docs_pages, errors
from api.auth import check_accounts, check_settings
from api.deps import current_user
from api.middleware import BodyLimit, RefuseNulBytes, SecurityHeaders, install_guards
from api.ratelimit import LoginThrottle
from api.routers import admin_units, disputes, geocode, grids, health, intake_page, signals, stats
from api.routers import auth as auth_routes
from api.routers import case_clock as case_clock_routes
from api.routers import citizens as citizen_routes
from api.routers import escalation as risk_cases
from api.routers import events as event_routes
from api.routers import jobs as job_routes
from api.routers import ledger as ledger_routes
from api.routers import maps as maps_routes
from api.routers import notifications as notification_routes
from api.routers import ogc as ogc_routes
from api.routers import open311 as open311_routes
from api.routers import redraw as redraw_routes
from api.routers import risk as risk_routes
from api.routers import roster as roster_routes
from api.routers import safety as safety_routes
from api.routers import staff as staff_routes
from api.routers import tiles as tile_routes
from api.routers import uploads as upload_routes
from api.routers import users as user_routes
from api.schemas.common import ERROR_RESPONSES
from api.settings import ApiSettings
from geo.publishing.tiles import TileCache
from geo.publishing.versions import VersionBoard

# Routers anyone may call without a token; every other router needs a logged-in user
# (and may ask for more: api/deps.py `require`, scope checks).
PUBLIC_ROUTERS = (health, auth_routes)


def create_app(*, database_url: str | None = None, settings: ApiSettings | None = None) -> FastAPI:
    """Build the app. ``database_url`` overrides the environment (tests, the demo)."""
    settings = settings or ApiSettings()
    check_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from geo.database.engine import database_url as resolve_url
        from geo.database.engine import make_engine, session_factory

        url = database_url or resolve_url()
        app.state.engine = make_engine(
            url, pool_size=settings.db_pool_size, max_overflow=settings.db_pool_overflow
        )
        app.state.sessions = session_factory(app.state.engine)
        app.state.settings = settings
        check_accounts(settings=settings, sessions=app.state.sessions)
        app.state.login_throttle = LoginThrottle(app.state.engine)
        app.state.versions = VersionBoard(url).start()
        try:
            yield
        finally:
            app.state.versions.stop()
            app.state.engine.dispose()

    app = FastAPI(
        title="wangge 网格",
        summary="Grids, standard addresses, disputes, risk and maps for a county command centre.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.tile_cache = TileCache(max_bytes=settings.tile_cache_mb * 1024 * 1024)
    errors.install(app)
    for module in (
        health, auth_routes, admin_units, grids, geocode, risk_cases, disputes, signals, stats,
        staff_routes, roster_routes, ledger_routes, safety_routes, risk_routes, job_routes,
        case_clock_routes, notification_routes,
    ):  # fmt: skip
        needs_login = [] if module in PUBLIC_ROUTERS else [Depends(current_user)]
        app.include_router(
            module.router, prefix="/api/v1", dependencies=needs_login, responses=ERROR_RESPONSES
        )
    app.include_router(redraw_routes.router, prefix="/api/v1", responses=ERROR_RESPONSES)
    app.include_router(
        event_routes.router,
        prefix="/api/v1",
        dependencies=[Depends(current_user)],
        responses=ERROR_RESPONSES,
    )
    app.include_router(user_routes.router, prefix="/api/v1", responses=ERROR_RESPONSES)
    app.include_router(
        upload_routes.router, prefix="/api/v1", dependencies=[Depends(current_user)],
        responses=ERROR_RESPONSES,
    )  # fmt: skip
    app.include_router(intake_page.pages)
    app.include_router(auth_routes.pages)
    app.include_router(ogc_routes.router, responses=ERROR_RESPONSES)
    # The citizens' door and Open311 need no login (api/public_guard.py limits them).
    app.include_router(citizen_routes.pages)
    app.include_router(citizen_routes.router, prefix="/api/v1", responses=ERROR_RESPONSES)
    app.include_router(open311_routes.router)
    app.include_router(tile_routes.router, dependencies=[Depends(current_user)])
    maps_routes.install(app)
    docs_pages.install(app)
    install_guards(app)
    app.add_middleware(RefuseNulBytes)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(SecurityHeaders, production=settings.production)
    return app
