"""The map layers and pages' data: what the command room, the hotspot review map, its report
and the redraw map show, for one user and county. Called by the map router (pages and the
``/api/v1/maps/layers`` refresh) and by ``wangge map`` (standalone HTML files).

Composition only: the frames are read by :mod:`geo.publishing.layers`, :mod:`geo.staff` and
:mod:`geo.disputes.dispatch`, the safety titles come from :mod:`services.safety`, the
payloads are built by :mod:`maps`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import folium
import geopandas as gpd
import pandas as pd
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.orm import Session

from core import vocab
from core.principal import Principal
from geo.disputes.dispatch import top_suggestions
from geo.disputes.stats import dispute_stats, level_of
from geo.places import counties
from geo.publishing import layers, tiles
from geo.staff import coverage, roster
from maps import forces, payloads
from maps.assets import AssetOptions
from maps.base import Basemap
from maps.features import dispatch_text, routed_text
from maps.hotspots import review_payload
from maps.redraw import redraw_map
from services import safety

LAYERS = (
    "admin", "grids", "hotspots", "disputes", "facilities", "review", "coverage", "safety",
    "on_duty",
)  # fmt: skip
COMMAND_ROOM_LAYERS = (
    "admin", "grids", "hotspots", "disputes", "facilities", "coverage", "safety", "on_duty",
)  # fmt: skip
SNAPSHOT_LAYERS = ("admin", "grids", "hotspots", "disputes", "facilities")
# The data versions (geo.publishing.tiles) each page dataset is drawn from; a dataset drawn
# from none follows the clock (who is on duty now) and is fetched on every periodic check.
LAYER_SOURCES = {
    "admin": ["admin_units"],
    "grids": ["grids", "disputes", "hotspots"],
    "hotspots": ["hotspots"],
    "disputes": ["disputes"],
    "facilities": ["grids"],
    "review": ["hotspots"],
    "coverage": ["grids"],
    "safety": ["grids", "disputes"],
    "on_duty": [],
    "wall": ["disputes", "hotspots"],
}
BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
TREND_WEEKS = 26


class MapSettings(BaseSettings):
    """Basemap and refresh of the map pages (``WANGGE_MAP_*``). No basemap by default.

    Kept here, beside the layers, rather than in ``api/settings.py``: the basemap decides
    whether layer coordinates are shifted to GCJ-02, and both ways in (the map router and
    ``wangge map``) read it through this module without importing each other.
    """

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
    """Map settings read from the environment now."""
    return MapSettings()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def layer_payload(
    layer: str,
    *,
    session: Session,
    user: Principal,
    county: str,
    gcj02: bool,
    now: dt.datetime | None = None,
) -> dict:
    """One layer's payload for ``user`` (what a page embeds and re-fetches)."""
    now = now or _now()
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
        return forces_payload(
            layer, session=session, user=user, county=county, gcj02=gcj02, now=now
        )
    if layer == "disputes":
        return disputes_payload(session=session, user=user, county=county, gcj02=gcj02, now=now)
    if layer == "review":
        grids = layers.grids(session=session, county=county, scope_area=area)
        scores = layers.review_scores(session=session, county=county, scope_area=area)
        return review_payload(grids, scores, gcj02=gcj02)
    raise ValueError(f"unknown map layer {layer!r}")


def command_room_layers(
    *,
    session: Session,
    user: Principal,
    county: str,
    gcj02: bool,
    names: tuple[str, ...] = COMMAND_ROOM_LAYERS,
) -> dict[str, dict]:
    """The payloads a command-room page embeds, by layer name."""
    now = _now()
    return {
        name: layer_payload(name, session=session, user=user, county=county, gcj02=gcj02, now=now)
        for name in names
    }


def forces_payload(
    layer: str,
    *,
    session: Session,
    user: Principal,
    county: str,
    gcj02: bool,
    now: dt.datetime | None = None,
) -> dict:
    """The coverage, safety-title and on-duty payloads (geo/staff, maps/forces.py)."""
    now = now or _now()
    area = user.area_prefix
    if layer == "coverage":
        frame = coverage.coverage_frame(session=session, county=county, scope_area=area)
        return forces.coverage_payload(frame, gcj02=gcj02)
    if layer == "safety":
        frame = safety.status_frame(
            session=session, county=county, year=safety.current_year(now), scope_area=area
        )
        return forces.safety_payload(frame, gcj02=gcj02)
    frame = roster.on_duty_frame(
        session=session, at=now, county=county, scope_area=area,
        may_read_notes=user.may_see_area_personal,
    )  # fmt: skip
    return forces.on_duty_payload(frame, gcj02=gcj02)


def disputes_payload(
    *, session: Session, user: Principal, county: str, gcj02: bool, now: dt.datetime
) -> dict:
    """Open disputes in the user's scope, each with its dispatch suggestion (roles that do
    not see cases get an empty layer saying so)."""
    if not user.sees_cases:
        return payloads.empty_payload(
            "disputes",
            title="在办纠纷 open disputes",
            notice="无权查看案件 / not visible to this role",
        )
    frame = layers.open_disputes(session=session, county=county, **user.scope_params())
    return payloads.disputes_payload(with_dispatch(session, frame), now=now, gcj02=gcj02)


def with_dispatch(session: Session, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` of open disputes with a ``dispatch`` column: where a case was routed, or the
    top three suggestions (one query for all the cases)."""
    if frame.empty:
        return frame
    routed = frame["assigned_facility"].fillna("").astype(bool)
    pending = [int(i) for i in frame.loc[~routed, "id"]]
    suggested = top_suggestions(session=session, dispute_ids=pending, top=3)
    texts = [
        routed_text(routed_to) if is_routed else dispatch_text(suggested.get(int(dispute_id), []))
        for dispute_id, routed_to, is_routed in zip(
            frame["id"], frame["assigned_facility"], routed, strict=True
        )
    ]
    return frame.assign(dispatch=texts)


def county_name(*, session: Session, county: str) -> str:
    """The county's name (its code when it has no boundary row)."""
    return counties.county_name(session=session, county=county)


def review_map_data(
    *, session: Session, county: str, scope_area: str | None = None, boundaries: bool = True
) -> dict[str, pd.DataFrame | str | None]:
    """What the hotspot review map and report need: ``grids``, ``scores`` (model and Gi*
    per grid and period), ``admin_units`` (None without ``boundaries``) and the county's
    ``name``."""
    return {
        "grids": layers.grids(session=session, county=county, scope_area=scope_area),
        "scores": layers.review_scores(session=session, county=county, scope_area=scope_area),
        "admin_units": layers.admin_units(session=session, county=county) if boundaries else None,
        "name": county_name(session=session, county=county),
    }


def redraw_plan(
    *, session: Session, plan_id: int
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict]:
    """(current grids in the plan's scope, proposed grids, plan summary) of a redraw plan."""
    return layers.plan_grids(session=session, plan_id=plan_id)


def redraw_plan_map(
    current: gpd.GeoDataFrame,
    proposed: gpd.GeoDataFrame,
    summary: dict,
    *,
    basemap: Basemap,
    assets: AssetOptions | None = None,
    desk_url: str | None = None,
) -> folium.Map:
    """The redraw map of a plan as :func:`redraw_plan` read it, labelled with its number,
    scope and status, linking to the redraw desk at ``desk_url`` when given."""
    return redraw_map(
        current=current,
        proposed=proposed,
        plan_label=f"#{summary['plan']} {summary['scope']} ({summary['status']})",
        metrics=(summary["metrics"] or {}).get("total", summary["metrics"]),
        basemap=basemap,
        assets=assets,
        desk_url=desk_url,
    )


def layer_versions(*, session: Session) -> dict[str, int]:
    """The change counter of every versioned data layer (bumped by the writers' triggers)."""
    return {name: tiles.version(session=session, layer_id=name) for name in tiles.LAYERS}


def _stats_unit(user: Principal, county: str) -> tuple[str, str]:
    """(level, code) of /stats that matches the user's area scope (the county otherwise)."""
    prefix = user.area_prefix
    level = level_of(prefix) if prefix else "county"
    return level, (prefix if level != "county" else county)


def wall_payload(
    *, session: Session, user: Principal, county: str, now: dt.datetime | None = None
) -> dict:
    """The figures strip and charts of the command-room wall, by the code behind ``/stats``.

    ``windows``: today, this week (from Monday) and this month, in Beijing time, each with
    受理 (screened), 在办 (still open), 逾期 (overdue) and 化解率; ``flagged_grids``: grids
    flagged in the latest hotspot period; ``trend``: cases received in each of the last 26
    weeks; ``categories``: those 26 weeks by category. Roles that do not see cases get the
    flagged grids only.
    """
    now = now or _now()
    local = now.astimezone(BEIJING)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    monday = midnight - dt.timedelta(days=midnight.weekday())
    first_of_month = midnight.replace(day=1)
    next_month = (first_of_month + dt.timedelta(days=32)).replace(day=1)
    # whole calendar windows, so that the first instant of a day is a window too
    starts = {
        "today": ("今日 today", midnight, midnight + dt.timedelta(days=1)),
        "week": ("本周 this week", monday, monday + dt.timedelta(weeks=1)),
        "month": ("本月 this month", first_of_month, next_month),
    }
    flagged = len(
        layers.latest_hotspots(session=session, county=county, scope_area=user.area_prefix)
    )
    payload: dict = {"flagged_grids": flagged, "as_of": local.isoformat(), "windows": []}
    if not user.sees_cases:
        payload["notice"] = "无权查看案件 / not visible to this role"
        return payload
    level, code = _stats_unit(user, county)

    def figures(start: dt.datetime, end: dt.datetime | None = None, **extra) -> dict:
        return dispute_stats(
            session=session, level=level, code=code, start=start, end=end, now=now, **extra
        )

    for key, (label, start, end) in starts.items():
        row = figures(start, end)
        payload["windows"].append(
            {
                "key": key,
                "label": label,
                "from": start.isoformat(),
                "screened": row["screened"],
                "still_open": row["still_open"],
                "overdue": row["overdue"],
                "resolution_rate": row["resolution_rate"],
            }
        )
    first = monday - dt.timedelta(weeks=TREND_WEEKS - 1)
    weeks = [first + dt.timedelta(weeks=i) for i in range(TREND_WEEKS)]
    payload["trend"] = {
        "weeks": [w.strftime("%m-%d") for w in weeks],
        "screened": [
            figures(w, min(w + dt.timedelta(weeks=1), now))["screened"] if w < now else 0
            for w in weeks
        ],
    }
    payload["categories"] = sorted(
        (
            {"label": label, "screened": figures(first, category=key)["screened"]}
            for key, label in vocab.DISPUTE_CATEGORIES.items()
        ),
        key=lambda item: -item["screened"],
    )
    return payload
