"""Read-side queries that return GeoJSON (RFC 7946) built inside PostGIS."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.orm import Session

from core.errors import InvalidRequest, NotFound
from geo.database.sqlfiles import sql

BBox = tuple[float, float, float, float]


def parse_bbox(value: str | None) -> BBox | None:
    """``minx,miny,maxx,maxy`` in lon/lat → a tuple, or a clear error."""
    if value is None or value == "":
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise InvalidRequest("bbox must be minx,miny,maxx,maxy (four numbers, lon/lat)")
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError as exc:
        raise InvalidRequest(f"bbox has a value that is not a number: {value!r}") from exc
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidRequest(
            "bbox must satisfy -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90"
        )
    return minx, miny, maxx, maxy


def _bbox_params(bbox: BBox | None) -> dict:
    keys = ("minx", "miny", "maxx", "maxy")
    return dict(zip(keys, bbox, strict=True)) if bbox else dict.fromkeys(keys)


def grids_collection(
    *,
    session: Session,
    township: str | None = None,
    village: str | None = None,
    bbox: BBox | None = None,
) -> str:
    """Current grids as a FeatureCollection (text), filtered by township, village and bbox."""
    params = {"township": township, "village": village, **_bbox_params(bbox)}
    return session.execute(sql("grids_geojson"), params).scalar_one()


def grid_feature(*, session: Session, code: str, as_of: dt.datetime | None = None) -> str:
    """One grid as a Feature (text): the current version, or the one valid at ``as_of``."""
    found = session.execute(sql("grid_feature"), {"code": code, "as_of": as_of}).scalar()
    if found is None:
        raise NotFound(f"no grid with code {code!r}" + (f" at {as_of:%Y-%m-%d}" if as_of else ""))
    return found


def admin_units_collection(
    *,
    session: Session,
    level: str | None = None,
    parent: str | None = None,
    county: str | None = None,
) -> str:
    """Admin units as a FeatureCollection (text)."""
    params = {"level": level, "parent": parent, "county": county}
    return session.execute(sql("admin_units_geojson"), params).scalar_one()


def addresses_page(
    *,
    session: Session,
    q: str | None = None,
    grid: str | None = None,
    village: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict:
    """A page of standard addresses: ``{"matched": n, "features": [...]}``."""
    row = session.execute(
        sql("addresses_page"),
        {"q": q or None, "grid": grid, "village": village, "limit": limit, "offset": offset},
    ).one()
    return {"matched": row.matched, "features": json.loads(row.features)}


def health(*, session: Session) -> dict:
    """Database versions and row counts."""
    return dict(session.execute(sql("health")).mappings().one())
