"""Coverage of the grids by the "8+" forces, and the grids that miss a required role.

**The rule** (also in docs/staff.md). A current grid is *covered* when

1. it has a grid leader (网格长): ``grid.leader_id`` names a staff member whose role is
   ``grid_leader``; and
2. every current ten-household group (联防组) in it has a household leader (十户长):
   ``household_group.leader_id`` names a staff member whose role is ``household_leader``;
   and
3. a grid with households is organised into at least one group.

Each failed condition is listed in ``missing`` (``grid_leader``, ``household_leader``,
``household_groups``); the groups without a leader are named. Other roles are counted but
not required: cadres, deputies and militia are spread over the county and a grid without
one is normal.

A person serves a grid when linked to it (``staff_grid``), as its grid leader or as the
leader of one of its groups. ``households_per_person`` is the grid's households divided by
the number of distinct people serving it (None when nobody does).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy.orm import Session

from core import vocab
from geo.database.sqlfiles import sql

REQUIRED = ("grid_leader", "household_leader", "household_groups")


def missing_roles(row: dict) -> list[str]:
    """The required roles a grid lacks (rule in the module docstring)."""
    missing = []
    if row.get("leader_code") is None or row.get("leader_role") != "grid_leader":
        missing.append("grid_leader")
    if row.get("groups_without_leader"):
        missing.append("household_leader")
    if (row.get("households") or 0) > 0 and not row.get("household_groups"):
        missing.append("household_groups")
    return missing


def _grid_entry(row: dict) -> dict:
    forces = {role: int(row["forces"].get(role, 0)) for role in vocab.STAFF_ROLES}
    people = int(row["people"])
    households = int(row["households"] or 0)
    missing = missing_roles(row)
    return {
        "code": row["code"],
        "name": row["name"],
        "township_code": row["township_code"],
        "township": row["township"],
        "village_code": row["village_code"],
        "village": row["village"],
        "households": households,
        "population": int(row["population"] or 0),
        "leader": row["leader"] if row["leader_role"] == "grid_leader" else None,
        "leader_code": row["leader_code"] if row["leader_role"] == "grid_leader" else None,
        "forces": forces,
        "people": people,
        "households_per_person": round(households / people, 1) if people else None,
        "household_groups": int(row["household_groups"]),
        "groups_without_leader": list(row["groups_without_leader"]),
        "missing": missing,
        "flagged": bool(missing),
        "synthetic": bool(row["synthetic"]),
    }


def _rows(session: Session, *, county: str, scope_area, township, village, with_geom: bool):
    params = {
        "county": county,
        "scope_area": scope_area,
        "township": township,
        "village": village,
        "with_geom": with_geom,
    }
    return [dict(r) for r in session.execute(sql("staff_coverage"), params).mappings()]


def grid_coverage(
    *,
    session: Session,
    county: str,
    scope_area: str | None = None,
    township: str | None = None,
    village: str | None = None,
) -> dict:
    """Coverage of every current grid in scope, the flagged ones and a summary by role."""
    grids = [
        _grid_entry(r)
        for r in _rows(
            session,
            county=county,
            scope_area=scope_area,
            township=township,
            village=village,
            with_geom=False,
        )
    ]
    flagged = [g for g in grids if g["flagged"]]
    households = sum(g["households"] for g in grids)
    return {
        "county": county,
        "rule": "grid leader; a household leader for every group; groups where households live",
        "grids": len(grids),
        "flagged": len(flagged),
        "missing": {reason: sum(reason in g["missing"] for g in grids) for reason in REQUIRED},
        "households": households,
        "synthetic": any(g["synthetic"] for g in grids),
        "items": grids,
    }


def coverage_frame(
    *, session: Session, county: str, scope_area: str | None = None
) -> gpd.GeoDataFrame:
    """Coverage per grid as a GeoDataFrame (EPSG:4326) for the map layer."""
    rows = _rows(
        session, county=county, scope_area=scope_area, township=None, village=None,
        with_geom=True,
    )  # fmt: skip
    if not rows:
        return gpd.GeoDataFrame(pd.DataFrame(), geometry=[], crs=4326)
    geoms = shapely.from_wkb([bytes(r.pop("wkb")) for r in rows])
    entries = [_grid_entry(r) for r in rows]
    frame = pd.DataFrame(entries)
    return gpd.GeoDataFrame(frame, geometry=list(geoms), crs=4326)
