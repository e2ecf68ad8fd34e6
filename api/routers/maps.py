"""Map pages (``/maps/...``), the layer payloads they refresh from (``/api/v1/maps/...``) and
the static assets they load (``/static``), all served by the app: nothing from a CDN.

Pages need a logged-in user (the login cookie); a browser without one is sent to the login
page. Layers hold only what the caller's scope allows; cases only for roles that see cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.deps import OptionalUser, SessionDep, current_user, resolve_county
from core.principal import Principal
from geo.publishing import layers
from maps import command_room, payloads
from maps.assets import STATIC_DIR
from maps.base import Basemap
from maps.hotspots import hotspot_review_map, review_payload
from maps.redraw import redraw_map
from maps.report import hotspot_report_html

LAYER_BASE = "/api/v1/maps/layers"
CountyQuery = Annotated[str | None, Query(pattern=r"^\d{6}$", description="county code")]
Layer = Literal[
    "admin", "grids", "hotspots", "disputes", "facilities", "review", "coverage", "safety",
    "on_duty",
]  # fmt: skip


class MapSettings(BaseSettings):
    """Basemap and refresh of the map pages (``WANGGE_MAP_*``). No basemap by default."""

    model_config = SettingsConfigDict(env_prefix="WANGGE_MAP_", extra="ignore")

    basemap: Literal["none", "tianditu", "xyz", "amap"] = "none"
    basemap_key: str | None = None
    basemap_url: str | None = None
    basemap_attribution: str = ""
    refresh_seconds: int = 60

    def to_basemap(self) -> Basemap:
        """The configured :class:`maps.base.Basemap`."""
        return Basemap(
            kind=self.basemap,
            key=self.basemap_key,
            url=self.basemap_url,
            attribution=self.basemap_attribution,
        )


def map_settings() -> MapSettings:
    """Map settings read from the environment when a page is requested."""
    return MapSettings()


MapSettingsDep = Annotated[MapSettings, Depends(map_settings)]
pages = APIRouter(tags=["maps"])
router = APIRouter(tags=["maps"])


def _login_redirect(request: Request) -> RedirectResponse | JSONResponse:
    if any(getattr(route, "path", None) == "/login" for route in request.app.routes):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return JSONResponse({"detail": "log in first"}, status_code=401)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def layer_payload(layer: str, *, session, user: Principal, county: str, gcj02: bool) -> dict:
    """One layer's payload for ``user`` (what a page embeds and re-fetches)."""
    scope = user.scope_params()
    area = scope["scope_area"]
    if layer == "admin":
        return payloads.admin_payload(
            layers.admin_units(session=session, county=county), gcj02=gcj02
        )
    if layer == "grids":
        frame = layers.grids(session=session, county=county, scope_area=area)
        return payloads.grids_payload(frame, gcj02=gcj02)
    if layer == "hotspots":
        frame = layers.latest_hotspots(session=session, county=county, scope_area=area)
        return payloads.hotspots_payload(frame, gcj02=gcj02)
    if layer == "facilities":
        frame = layers.facilities(session=session, county=county)
        return payloads.facilities_payload(frame, gcj02=gcj02)
    if layer in ("coverage", "safety", "on_duty"):
        return forces_payload(layer, session=session, user=user, county=county, gcj02=gcj02)
    if layer == "disputes":
        if not user.sees_cases:
            return payloads.empty_payload(
                "disputes",
                title="在办纠纷 open disputes",
                notice="无权查看案件 / not visible to this role",
            )
        frame = layers.open_disputes(session=session, county=county, **scope)
        frame = _with_dispatch(session, frame)
        return payloads.disputes_payload(frame, now=_now(), gcj02=gcj02)
    grids = layers.grids(session=session, county=county, scope_area=area)
    scores = layers.review_scores(session=session, county=county, scope_area=area)
    return review_payload(grids, scores, gcj02=gcj02)


def forces_payload(layer: str, *, session, user: Principal, county: str, gcj02: bool) -> dict:
    """The coverage, safety-title and on-duty payloads (geo/staff, maps/forces.py)."""
    from geo.staff import coverage, roster, safety
    from maps import forces

    area = None if user.role == "partner" else user.area_prefix
    if layer == "coverage":
        frame = coverage.coverage_frame(session=session, county=county, scope_area=area)
        return forces.coverage_payload(frame, gcj02=gcj02)
    if layer == "safety":
        year = _now().astimezone(dt.timezone(dt.timedelta(hours=8))).year
        frame = safety.status_frame(session=session, county=county, year=year, scope_area=area)
        return forces.safety_payload(frame, gcj02=gcj02)
    frame = roster.on_duty_frame(session=session, at=_now(), county=county, scope_area=area)
    return forces.on_duty_payload(frame, gcj02=gcj02)


def _with_dispatch(session, frame):
    """Add the dispatch recommendation of each open case as one line of text."""
    from geo.disputes.dispatch import recommend

    if frame.empty:
        return frame
    texts = []
    for dispute_id, routed_to in zip(frame["id"], frame["assigned_facility"], strict=True):
        if routed_to:
            texts.append(f"已转 routed to {routed_to}")
            continue
        found = recommend(session=session, dispute_id=int(dispute_id), with_forces=False)
        ranked = found["recommendations"][:3]
        texts.append(
            "；".join(
                f"{r['rank']}. {r['name'] or r['role']}"
                + (f" ({r['distance_m'] / 1000:.1f} km)" if r.get("distance_m") else "")
                for r in ranked
            )
            or "暂无建议 / no recommendation"
        )
    return frame.assign(dispatch=texts)


@router.get("/maps/layers/{layer}")
def map_layer(
    layer: Layer,
    session: SessionDep,
    settings: MapSettingsDep,
    user: Annotated[Principal, Depends(current_user)],
    county: CountyQuery = None,
) -> JSONResponse:
    """One map layer as GeoJSON with display metadata (what the map pages refresh from)."""
    county = resolve_county(session, user, county)
    gcj02 = settings.to_basemap().shift_to_gcj02
    body = layer_payload(layer, session=session, user=user, county=county, gcj02=gcj02)
    return JSONResponse(body, media_type="application/geo+json")


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
    built = {
        layer: layer_payload(
            layer, session=session, user=user, county=county, gcj02=basemap.shift_to_gcj02
        )
        for layer in ("admin", "grids", "hotspots", "disputes", "facilities", "coverage",
                      "safety", "on_duty")
    }  # fmt: skip
    m = command_room.command_room_page(
        built,
        title=f"{layers.county_name(session=session, county=county)} 综治中心 网格态势",
        data_url=LAYER_BASE,
        data_query=f"?county={county}",
        refresh_seconds=settings.refresh_seconds,
        basemap=basemap,
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
    area = user.area_prefix
    m = hotspot_review_map(
        grids=layers.grids(session=session, county=county, scope_area=area),
        scores=layers.review_scores(session=session, county=county, scope_area=area),
        admin_units=layers.admin_units(session=session, county=county),
        title=f"{layers.county_name(session=session, county=county)} 热点预警审核",
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
    area = user.area_prefix
    body = hotspot_report_html(
        grids=layers.grids(session=session, county=county, scope_area=area),
        scores=layers.review_scores(session=session, county=county, scope_area=area),
        period=period,
        area_name=layers.county_name(session=session, county=county),
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
    current, proposed, summary = layers.plan_grids(session=session, plan_id=plan)
    user.check_area(summary["scope"])
    m = redraw_map(
        current=current,
        proposed=proposed,
        plan_label=f"#{summary['plan']} {summary['scope']} ({summary['status']})",
        metrics=summary["metrics"],
        basemap=settings.to_basemap(),
    )
    return HTMLResponse(command_room.render_page(m))


def install(app: FastAPI) -> None:
    """Serve the pages, the layer endpoints (login required) and ``/static``."""
    app.include_router(pages)
    app.include_router(router, prefix="/api/v1", dependencies=[Depends(current_user)])
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
