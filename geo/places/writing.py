"""Upsert checked records by code inside the caller's transaction.

A row whose values all equal the stored ones is not touched at all (so re-importing a file
changes nothing, down to the row versions). Columns the file does not have keep their
stored values. A row written from a county's file is real data: a synthetic row (or
synthetic outline) it matches loses its ``synthetic`` mark.

Grids keep history: a new geometry for a current code closes the stored row (``valid_to``)
and opens a new one from the same instant; other changes (name, counts) are made in place,
since they do not change where the grid is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.database.bulk import code_to_id, copy_rows, ewkb_hex
from geo.database.sqlfiles import sql
from geo.places import existing

# Vertices closer than this (degrees, about 0.1 mm) count as the same.
SAME_VERTEX = 1e-9


@dataclass
class WriteCounts:
    """What an import did to the table."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    moved: dict[str, int] = field(default_factory=dict)


def same_geometry(stored, new) -> bool:
    """True when two geometries are the same shape (vertex-exact, or topologically equal)."""
    if stored is None or new is None:
        return stored is None and new is None
    return bool(shapely.equals_exact(stored, new, tolerance=SAME_VERTEX) or stored.equals(new))


def _differs(stored: dict, new: dict, names) -> bool:
    return any(stored.get(n) != new.get(n) for n in names)


def _hex(geom) -> str | None:
    return ewkb_hex([geom])[0] if geom is not None else None


_ADMIN_COLUMNS = ["code", "level", "parent_code", "name", "short_name", "county_code", "geom"]
_UPDATE_ADMIN = text(
    "UPDATE admin_unit SET level = :level, parent_code = :parent_code, name = :name, "
    "short_name = :short_name, county_code = :county_code, geom = CASE "
    "WHEN CAST(:wkb AS text) IS NULL THEN geom "
    "ELSE ST_GeomFromEWKB(decode(CAST(:wkb AS text), 'hex')) END, "
    "synthetic_geom = CASE WHEN CAST(:wkb AS text) IS NULL THEN synthetic_geom ELSE false END "
    "WHERE code = :code"
)


def write_admin_units(
    *, session: Session, records: list[dict], geoms: list, present: set[str]
) -> WriteCounts:
    """Insert new units (parents first) and update changed ones."""
    counts = WriteCounts()
    stored = existing.admin_rows(session, [r["code"] for r in records])
    compare = ["level", "parent_code", "name", "county_code"]
    if "short_name" in present:
        compare.append("short_name")
    rank = {"county": 0, "township": 1, "village": 2}
    inserts, updates = [], []
    for record, geom in sorted(
        zip(records, geoms, strict=True), key=lambda pair: (rank[pair[0]["level"]], pair[0]["code"])
    ):
        old = stored.get(record["code"])
        if old is None:
            inserts.append([*(record[c] for c in _ADMIN_COLUMNS[:-1]), _hex(geom)])
            continue
        if "short_name" not in present:
            record = {**record, "short_name": old["short_name"]}
        geometry_changed = geom is not None and (
            old["synthetic_geom"] or not same_geometry(old["geom"], geom)
        )
        if _differs(old, record, compare) or geometry_changed:
            updates.append({**record, "wkb": _hex(geom) if geometry_changed else None})
        else:
            counts.unchanged += 1
    if inserts:
        counts.inserted = copy_rows(
            session=session, table="admin_unit", columns=_ADMIN_COLUMNS, rows=inserts
        )
    if updates:
        session.execute(_UPDATE_ADMIN, updates)
        counts.updated = len(updates)
    return counts


_GRID_COLUMNS = [
    "code", "name", "county_code", "township_code", "village_code", "households",
    "population", "leader_id", "valid_from", "geom",
]  # fmt: skip
_UPDATE_GRID = text(
    "UPDATE grid SET name = :name, households = :households, population = :population, "
    "synthetic = false WHERE id = :id"
)
_CLOSE_GRIDS = text("UPDATE grid SET valid_to = :at WHERE id = ANY(:ids)")


def write_grids(
    *, session: Session, records: list[dict], geoms: list, present: set[str]
) -> WriteCounts:
    """Insert new grids, update changed attributes in place, replace changed geometries."""
    counts = WriteCounts()
    villages = sorted({r["village_code"] for r in records})
    stored = {g["code"]: g for g in existing.current_grids(session, villages)}
    at = session.execute(text("SELECT clock_timestamp()")).scalar_one()
    inserts, updates, closing = [], [], []
    for record, geom in zip(records, geoms, strict=True):
        old = stored.get(record["code"])
        merged = dict(record)
        for name, default in (("households", 0), ("population", 0)):
            if merged[name] is None:
                merged[name] = old[name] if old is not None else default
        if old is not None and "name" not in present:
            merged["name"] = old["name"]
        if old is None:
            inserts.append([*(merged[c] for c in _GRID_COLUMNS[:7]), None, at, _hex(geom)])
        elif not same_geometry(old["geom"], geom):
            closing.append(old["id"])
            leader = old["leader_id"]
            inserts.append([*(merged[c] for c in _GRID_COLUMNS[:7]), leader, at, _hex(geom)])
        elif old["synthetic"] or _differs(old, merged, ["name", "households", "population"]):
            updates.append({**merged, "id": old["id"]})
        else:
            counts.unchanged += 1
    if closing:
        session.execute(_CLOSE_GRIDS, {"at": at, "ids": closing})
        counts.closed = len(closing)
    if inserts:
        copy_rows(session=session, table="grid", columns=_GRID_COLUMNS, rows=inserts)
        counts.inserted = len(inserts) - len(closing)
    if updates:
        session.execute(_UPDATE_GRID, updates)
    counts.updated = len(updates) + len(closing)
    if inserts:
        ids = code_to_id(session=session, table="grid")
        old_ids = {g["code"]: g["id"] for g in stored.values()}
        pairs = [
            {"old_id": old_ids[code], "new_id": ids[code]}
            for code in (r["code"] for r in records)
            if code in old_ids and old_ids[code] in closing
        ]
        moved = session.execute(
            sql("import_grid_successors"), {"pairs": json.dumps(pairs), "villages": villages}
        ).mappings()
        counts.moved = dict(moved.one())
    return counts


_POINT_COLUMNS = {
    "address": [
        "code", "county_code", "township_code", "village_code", "full_text", "township",
        "village", "group_no", "road", "number", "building", "houses", "residents", "grid_id",
    ],
    "facility": ["code", "county_code", "kind", "name", "admin_code"],
}  # fmt: skip
# Address and facility fields that a file may leave out (the stored value then stays).
_OPTIONAL = {
    "township", "village", "group_no", "road", "number", "building", "houses", "residents",
}  # fmt: skip
_POINT_DEFAULTS = {"houses": 1, "residents": 0}
_UPDATE_POINTS = {
    table: text(
        f"UPDATE {table} SET "  # table and columns come from the fixed lists above
        + ", ".join(f"{c} = :{c}" for c in columns[1:])
        + ", synthetic = false, geom = ST_GeomFromEWKB(decode(:wkb, 'hex')) WHERE id = :id"
    )
    for table, columns in _POINT_COLUMNS.items()
}


def write_points(
    *, session: Session, table: str, records: list[dict], geoms: list, present: set[str]
) -> WriteCounts:
    """Upsert addresses or facilities by code (``present``: the fields the file carries)."""
    counts = WriteCounts()
    columns = _POINT_COLUMNS[table]
    stored = existing.point_rows(session, table, [r["code"] for r in records])
    inserts, updates = [], []
    for record, geom in zip(records, geoms, strict=True):
        old = stored.get(record["code"])
        merged = dict(record)
        for name in columns:
            if name in merged and (name in present or name not in _OPTIONAL):
                continue
            if old is not None:
                merged[name] = old[name]
            else:
                merged[name] = merged.get(name)
        for name, default in _POINT_DEFAULTS.items():
            if name in columns and merged.get(name) is None:
                merged[name] = old[name] if old is not None else default
        if old is None:
            inserts.append([*(merged[c] for c in columns), _hex(geom)])
        elif (
            old["synthetic"]
            or _differs(old, merged, columns)
            or not same_geometry(old["geom"], geom)
        ):
            updates.append({**{c: merged[c] for c in columns}, "id": old["id"], "wkb": _hex(geom)})
        else:
            counts.unchanged += 1
    if inserts:
        counts.inserted = copy_rows(
            session=session, table=table, columns=[*columns, "geom"], rows=inserts
        )
    if updates:
        session.execute(_UPDATE_POINTS[table], updates)
        counts.updated = len(updates)
    return counts
