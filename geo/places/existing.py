"""What the database already holds, read once per import (all inside the caller's transaction)."""

from __future__ import annotations

import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

_KNOWN_UNITS = text("SELECT code, level, parent_code, name, short_name FROM admin_unit")
_UNIT_GEOMS = text(
    "SELECT code, ST_AsBinary(geom) AS wkb FROM admin_unit "
    "WHERE code = ANY(:codes) AND geom IS NOT NULL"
)
_COUNTY_GEOMS = text(
    "SELECT code, name, ST_AsBinary(geom) AS wkb FROM admin_unit "
    "WHERE level = 'county' AND geom IS NOT NULL ORDER BY code"
)
_ADMIN_ROWS = text(
    "SELECT code, level, parent_code, name, short_name, county_code, synthetic_geom, "
    "ST_AsBinary(geom) AS wkb FROM admin_unit WHERE code = ANY(:codes)"
)
_CURRENT_GRIDS = text(
    "SELECT id, code, name, county_code, township_code, village_code, households, population, "
    "leader_id, synthetic, ST_AsBinary(geom) AS wkb FROM grid "
    "WHERE valid_to IS NULL AND village_code = ANY(:villages) ORDER BY code"
)
_POINT_ROWS = {
    "address": text(
        "SELECT id, code, county_code, township_code, village_code, full_text, township, "
        "village, group_no, road, number, building, houses, residents, grid_id, synthetic, "
        "ST_AsBinary(geom) AS wkb FROM address WHERE code = ANY(:codes)"
    ),
    "facility": text(
        "SELECT id, code, county_code, kind, name, admin_code, synthetic, "
        "ST_AsBinary(geom) AS wkb "
        "FROM facility WHERE code = ANY(:codes)"
    ),
}


def _with_geometry(rows) -> list[dict]:
    records = [dict(row) for row in rows]
    blobs = [r.pop("wkb") for r in records]
    present = [i for i, b in enumerate(blobs) if b is not None]
    geoms = shapely.from_wkb([bytes(blobs[i]) for i in present]) if present else []
    for record in records:
        record["geom"] = None
    for i, geom in zip(present, geoms, strict=True):
        records[i]["geom"] = geom
    return records


def known_units(session: Session) -> dict[str, dict]:
    """Every admin unit's code → level, parent code, names (no geometry)."""
    return {r.code: dict(r._mapping) for r in session.execute(_KNOWN_UNITS)}


def unit_geometries(session: Session, codes) -> dict[str, object]:
    """Polygons of the given admin units that have one."""
    rows = session.execute(_UNIT_GEOMS, {"codes": sorted(set(codes))})
    return {r.code: shapely.from_wkb(bytes(r.wkb)) for r in rows}


def county_geometries(session: Session) -> list[dict]:
    """Every county that has a boundary: code, name, geom."""
    return _with_geometry(session.execute(_COUNTY_GEOMS).mappings())


def admin_rows(session: Session, codes) -> dict[str, dict]:
    """Stored admin units by code, for the upsert."""
    rows = _with_geometry(session.execute(_ADMIN_ROWS, {"codes": sorted(set(codes))}).mappings())
    return {r["code"]: r for r in rows}


def current_grids(session: Session, villages) -> list[dict]:
    """Current grids of the given villages, with geometry."""
    result = session.execute(_CURRENT_GRIDS, {"villages": sorted(set(villages))}).mappings()
    return _with_geometry(result)


def point_rows(session: Session, table: str, codes) -> dict[str, dict]:
    """Stored addresses or facilities by code, for the upsert."""
    result = session.execute(_POINT_ROWS[table], {"codes": sorted(set(codes))}).mappings()
    return {r["code"]: r for r in _with_geometry(result)}
