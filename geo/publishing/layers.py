"""What the map pages read: GeoDataFrames in the shapes :mod:`maps` documents.

Every function takes the caller's scope as bind parameters (``scope_area``,
``scope_facility``, from ``Principal.scope_params()``) so a township user's map holds only
that township's grids and cases. Parties' personal details are never read here.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy.orm import Session

from geo.database.sqlfiles import sql

MAX_MAP_DISPUTES = 5000


def _frame(rows: list[dict]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        return gpd.GeoDataFrame(frame, geometry=[], crs=4326)
    geoms = shapely.from_wkb([None if w is None else bytes(w) for w in frame.pop("wkb")])
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=4326)


def _rows(session: Session, name: str, params: dict) -> list[dict]:
    return [dict(r) for r in session.execute(sql(name), params).mappings()]


def admin_units(*, session: Session, county: str) -> gpd.GeoDataFrame:
    """County, township and village boundaries: code, level, name, synthetic_geom, geometry."""
    return _frame(_rows(session, "maps_admin_units", {"county": county}))


def grids(*, session: Session, county: str, scope_area: str | None = None) -> gpd.GeoDataFrame:
    """Current grids with village, leader, households, open cases, latest risk and factors."""
    return _frame(_rows(session, "maps_grids", {"county": county, "scope_area": scope_area}))


def open_disputes(
    *,
    session: Session,
    county: str,
    scope_area: str | None = None,
    scope_facility: str | None = None,
    limit: int = MAX_MAP_DISPUTES,
) -> gpd.GeoDataFrame:
    """Open disputes in scope (newest first) with a point inside each case's grid
    (``grid_lon``, ``grid_lat``), without parties' details."""
    params = {
        "county": county,
        "scope_area": scope_area,
        "scope_facility": scope_facility,
        "limit": limit,
    }
    return _frame(_rows(session, "maps_open_disputes", params))


def facilities(*, session: Session, county: str) -> gpd.GeoDataFrame:
    """Facilities: code, kind, name, synthetic, geometry."""
    return _frame(_rows(session, "maps_facilities", {"county": county}))


def latest_hotspots(
    *, session: Session, county: str, scope_area: str | None = None
) -> gpd.GeoDataFrame:
    """Grids flagged in the latest period (one row per grid), with the grid's shape."""
    params = {"county": county, "scope_area": scope_area}
    return _frame(_rows(session, "maps_hotspots_latest", params))


def review_scores(
    *, session: Session, county: str, scope_area: str | None = None, periods: int = 12
) -> pd.DataFrame:
    """Model score, Gi* z/p, flag, class, explanation and review status per grid and period."""
    params = {"county": county, "scope_area": scope_area, "periods": periods}
    return pd.DataFrame(_rows(session, "maps_review_scores", params))


def plan_grids(
    *, session: Session, plan_id: int
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict]:
    """(current grids in the plan's scope, proposed grids, plan summary) of a redraw plan."""
    from geo.redraw import plan_geojson

    plan = plan_geojson(session=session, plan_id=plan_id)
    current = _frame(_rows(session, "maps_plan_current_grids", {"scope": plan["scope"]}))
    features = plan["features"]
    proposed = gpd.GeoDataFrame.from_features(features, crs=4326) if features else None
    if proposed is not None and "synthetic" not in proposed.columns and not current.empty:
        proposed["synthetic"] = bool(current["synthetic"].any())
    summary = {k: plan[k] for k in ("plan", "scope", "status", "metrics", "created_at")}
    return current, proposed, summary
