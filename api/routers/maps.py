"""Map pages (``/maps/...``), the layer payloads they refresh from (``/api/v1/maps/...``) and
the static assets they load (``/static``), all served by the app: nothing from a CDN.

Pages need a logged-in user (the login cookie); a browser without one is sent to the login
page. Layers hold only what the caller's scope allows; cases only for roles that see cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.deps import SessionDep, audit_list, current_user, optional_user, resolve_county
from api.geojson import GeoJSONResponse
from api.schemas.common import ERROR_RESPONSES
from api.schemas.maps import LayerPayload, WallOut
from core.errors import Forbidden, NotFound
from core.principal import MANAGER_ROLES, Principal
from maps import command_room
from maps.assets import STATIC_DIR
from maps.hotspots import hotspot_review_map
from maps.redraw import plan_not_found_html
from maps.redraw_desk import desk_refused_html
from maps.report import hotspot_report_html
from services import map_layers, redraw
from services.map_layers import MapSettings, map_settings

LAYER_BASE = "/api/v1/maps/layers"
CountyQuery = Annotated[str | None, Query(pattern=r"^\d{6}$", description="county code")]
Layer = Literal[
    "admin", "grids", "hotspots", "disputes", "facilities", "review", "coverage", "safety",
    "on_duty",
]  # fmt: skip
MapSettingsDep = Annotated[MapSettings, Depends(map_settings)]
# layers holding cases or personal data (handover notes): each read writes one audit row
AUDITED_LAYERS = frozenset({"disputes", "safety", "on_duty"})


def page_user(request: Request) -> Principal | None:
    """The logged-in user of a page, or None without a session (or with an expired one): the
    page then sends the browser to the login page instead of answering 401."""
    try:
        return optional_user(request, None)
    except HTTPException:
        return None


OptionalUser = Annotated[Principal | None, Depends(page_user)]
pages = APIRouter(tags=["maps"])
router = APIRouter(tags=["maps"])


def _login_redirect(request: Request) -> RedirectResponse:
    """Send a browser without a session to the login page, which comes back here after."""
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


@router.get(
    "/maps/layers/{layer}",
    response_model=LayerPayload,
    response_model_exclude_unset=True,
    response_class=GeoJSONResponse,
)
def map_layer(
    layer: Layer,
    request: Request,
    session: SessionDep,
    settings: MapSettingsDep,
    user: Annotated[Principal, Depends(current_user)],
    county: CountyQuery = None,
) -> GeoJSONResponse:
    """One map layer as GeoJSON with display metadata (what the map pages refresh from)."""
    county = resolve_county(session, user, county)
    gcj02 = settings.to_basemap().shift_to_gcj02
    payload = map_layers.layer_payload(
        layer, session=session, user=user, county=county, gcj02=gcj02
    )
    if layer in AUDITED_LAYERS and user.sees_cases:
        audit_list(session, user, request, f"map:{layer}", len(payload.get("features") or ()))
    # Returned as a response: the model documents the body, the payload is not re-validated
    # (a county's grids are 0.6 MB, validated again on every refresh of every wall screen).
    return GeoJSONResponse(payload)


@router.get("/maps/wall", response_model=WallOut, response_model_by_alias=True)
def wall_figures(
    session: SessionDep,
    user: Annotated[Principal, Depends(current_user)],
    county: CountyQuery = None,
) -> dict:
    """Today's, this week's and this month's figures, the 26-week trend and the categories."""
    county = resolve_county(session, user, county)
    return map_layers.wall_payload(session=session, user=user, county=county)


@router.get("/maps/versions")
def layer_versions(session: SessionDep) -> dict[str, int]:
    """The change counter of each data layer (pages re-fetch what changed)."""
    return map_layers.layer_versions(session=session)


@pages.get("/maps/command-room", response_class=HTMLResponse)
def command_room_view(
    request: Request,
    session: SessionDep,
    settings: MapSettingsDep,
    user: OptionalUser,
    county: CountyQuery = None,
):
    """The command-room map of a county: live layers refreshed from the API."""
    if user is None:
        return _login_redirect(request)
    county = resolve_county(session, user, county)
    basemap = settings.to_basemap()
    built = map_layers.command_room_layers(
        session=session, user=user, county=county, gcj02=basemap.shift_to_gcj02
    )
    built["wall"] = map_layers.wall_payload(session=session, user=user, county=county)
    if user.sees_cases:
        audit_list(session, user, request, "map:command-room", None)
    m = command_room.command_room_page(
        built,
        title=f"{map_layers.county_name(session=session, county=county)} 综治中心 网格态势",
        data_url=LAYER_BASE,
        data_query=f"?county={county}",
        refresh_seconds=settings.refresh_seconds,
        basemap=basemap,
        live={
            "versions": "/api/v1/maps/versions",
            "events": "/api/v1/events",
            "wall": f"/api/v1/maps/wall?county={county}",
            "sources": map_layers.LAYER_SOURCES,
        },
    )
    return HTMLResponse(command_room.render_page(m))


@pages.get("/maps/hotspots", response_class=HTMLResponse)
def hotspots_page(
    request: Request,
    session: SessionDep,
    settings: MapSettingsDep,
    user: OptionalUser,
    county: CountyQuery = None,
):
    """The hotspot review map: model risk and Gi* side by side, period slider."""
    if user is None:
        return _login_redirect(request)
    county = resolve_county(session, user, county)
    data = map_layers.review_map_data(session=session, county=county, scope_area=user.area_prefix)
    m = hotspot_review_map(
        grids=data["grids"],
        scores=data["scores"],
        admin_units=data["admin_units"],
        title=f"{data['name']} 热点预警审核",
        data_url=f"{LAYER_BASE}/review?county={county}",
        report_url=f"/maps/hotspots/report?county={county}",
        basemap=settings.to_basemap(),
    )
    return HTMLResponse(command_room.render_page(m))


@pages.get("/maps/hotspots/report", response_class=HTMLResponse)
def hotspots_report_page(
    request: Request,
    session: SessionDep,
    user: OptionalUser,
    county: CountyQuery = None,
    period: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
):
    """The printable A4 review report of one period (default: the latest)."""
    if user is None:
        return _login_redirect(request)
    county = resolve_county(session, user, county)
    data = map_layers.review_map_data(
        session=session, county=county, scope_area=user.area_prefix, boundaries=False
    )
    body = hotspot_report_html(
        grids=data["grids"],
        scores=data["scores"],
        period=period,
        area_name=data["name"],
        generated_at=dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))),
    )
    return HTMLResponse(body)


@pages.get("/maps/redraw/{plan}", response_class=HTMLResponse)
def redraw_page(
    plan: int, request: Request, session: SessionDep, settings: MapSettingsDep, user: OptionalUser
):
    """A redraw plan: current grids and the proposal side by side, changes highlighted."""
    if user is None:
        return _login_redirect(request)
    try:
        current, proposed, summary = map_layers.redraw_plan(session=session, plan_id=plan)
    except NotFound:
        return HTMLResponse(plan_not_found_html(plan), status_code=404)
    if not user.covers_area(summary["scope"]):
        return HTMLResponse(plan_not_found_html(plan), status_code=404)
    m = map_layers.redraw_plan_map(
        current,
        proposed,
        summary,
        basemap=settings.to_basemap(),
        desk_url=f"/maps/redraw/{plan}/desk" if user.role in MANAGER_ROLES else None,
    )
    return HTMLResponse(command_room.render_page(m))


@pages.get("/maps/redraw/{plan}/desk", response_class=HTMLResponse)
def redraw_desk_page(plan: int, request: Request, session: SessionDep, user: OptionalUser):
    """The redraw desk: move units of a plan between neighbouring grids, save a new version."""
    if user is None:
        return _login_redirect(request)
    try:
        return HTMLResponse(redraw.redraw_desk_page(session=session, user=user, plan_id=plan))
    except NotFound:
        return HTMLResponse(plan_not_found_html(plan), status_code=404)
    except Forbidden as refused:
        return HTMLResponse(desk_refused_html(str(refused)), status_code=403)


def install(app: FastAPI) -> None:
    """Serve the pages, the layer endpoints (login required) and ``/static``."""
    app.include_router(pages)
    app.include_router(
        router, prefix="/api/v1", dependencies=[Depends(current_user)], responses=ERROR_RESPONSES
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
