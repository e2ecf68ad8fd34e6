"""Reads behind the safety-creation status (平安创建): the evidence of one county and period,
its townships and villages, their boundaries.

The rule that turns evidence into titles is :mod:`models.safety`; the status is composed in
:mod:`services.safety`. The words that make a case lawsuit- or homicide-related belong to the
rule, so they come in as regular expressions.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import shapely
from sqlalchemy.orm import Session

from geo.database.sqlfiles import sql


def evidence(
    *,
    session: Session,
    county: str,
    start: dt.datetime,
    end: dt.datetime,
    cutoff: dt.datetime,
    lawsuit_pattern: str,
    homicide_pattern: str,
) -> pd.DataFrame:
    """Evidence rows of one county received in [start, end), as seen at ``cutoff``: rule,
    kind, id, external_id, at, grid, township and village codes, reason."""
    params = {
        "county": county, "from": start, "to": end, "cutoff": cutoff,
        "lawsuit_pattern": lawsuit_pattern, "homicide_pattern": homicide_pattern,
    }  # fmt: skip
    rows = session.execute(sql("safety_evidence"), params).mappings()
    return pd.DataFrame([dict(r) for r in rows])


def units(*, session: Session, county: str) -> pd.DataFrame:
    """Townships and villages of a county: code, level, parent_code, name, short_name,
    synthetic_geom."""
    rows = session.execute(sql("safety_units"), {"county": county}).mappings()
    return pd.DataFrame([dict(r) for r in rows])


def synthetic_grids(*, session: Session, county: str) -> bool:
    """Whether the county's current grids are synthetic (the demo)."""
    return bool(session.execute(sql("safety_synthetic"), {"county": county}).scalar())


def unit_geometries(*, session: Session, county: str) -> dict[str, shapely.Geometry]:
    """Boundary of each township and village of a county that has one, by code."""
    rows = session.execute(sql("safety_unit_geoms"), {"county": county}).mappings()
    return {r["code"]: shapely.from_wkb(bytes(r["wkb"])) for r in rows if r["wkb"] is not None}
