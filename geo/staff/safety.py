"""Safety-creation status (平安创建) of a county's townships and villages for one year.

The rule is :mod:`models.safety` (pure); this module reads the evidence from PostGIS
(``geo/sql/safety_evidence.sql``) and the map geometry of the units.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy.orm import Session

from core.errors import InvalidRequest
from geo.database.sqlfiles import sql
from models.safety import HOMICIDE_WORDS, LAWSUIT_WORDS, safety_status, words_pattern

CHINA = ZoneInfo("Asia/Shanghai")


def year_window(
    year: int, now: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """(start, end, cutoff) of a calendar year in China time; cutoff = min(end, now)."""
    if not 1990 <= year <= 2100:
        raise InvalidRequest("year must be between 1990 and 2100")
    now = now or dt.datetime.now(dt.UTC)
    start = dt.datetime(year, 1, 1, tzinfo=CHINA)
    end = dt.datetime(year + 1, 1, 1, tzinfo=CHINA)
    if now <= start:
        raise InvalidRequest(f"the year {year} has not begun")
    return start, end, min(end, now)


def evidence(*, session: Session, county: str, year: int, now: dt.datetime | None = None):
    """The evidence rows of one county and year (a DataFrame), and whether it is provisional."""
    start, end, cutoff = year_window(year, now)
    params = {
        "county": county, "from": start, "to": end, "cutoff": cutoff,
        "lawsuit_pattern": words_pattern(LAWSUIT_WORDS),
        "homicide_pattern": words_pattern(HOMICIDE_WORDS),
    }  # fmt: skip
    rows = [dict(r) for r in session.execute(sql("safety_evidence"), params).mappings()]
    return pd.DataFrame(rows), cutoff < end


def status(
    *,
    session: Session,
    county: str,
    year: int,
    now: dt.datetime | None = None,
    scope_area: str | None = None,
) -> dict:
    """Titles per township and village with their evidence (rule: models/safety.py)."""
    found, provisional = evidence(session=session, county=county, year=year, now=now)
    units = pd.DataFrame(
        [dict(r) for r in session.execute(sql("safety_units"), {"county": county}).mappings()]
    )
    if units.empty:
        return {"county": county, "year": year, "provisional": provisional, "units": [],
                "unplaced": [], "synthetic": False}  # fmt: skip
    if scope_area:
        units = units[
            units["code"].str.startswith(scope_area[:12])
            | pd.Series([scope_area.startswith(c) for c in units["code"]], index=units.index)
        ]
    result = safety_status(units, found, year=year, provisional=provisional)
    if scope_area:
        result["unplaced"] = []
    result["county"] = county
    result["synthetic"] = bool(units["synthetic_geom"].any()) or _synthetic(session, county)
    return result


def _synthetic(session: Session, county: str) -> bool:
    return bool(session.execute(sql("safety_synthetic"), {"county": county}).scalar())


def status_frame(
    *, session: Session, county: str, year: int, scope_area: str | None = None
) -> gpd.GeoDataFrame:
    """Status per township and village with its boundary, for the map layer."""
    result = status(session=session, county=county, year=year, scope_area=scope_area)
    rows = [dict(r) for r in session.execute(sql("safety_unit_geoms"), {"county": county})
            .mappings()]  # fmt: skip
    geoms = {r["code"]: shapely.from_wkb(bytes(r["wkb"])) for r in rows if r["wkb"] is not None}
    records = []
    for unit in result["units"]:
        if unit["code"] not in geoms:
            continue
        broken = [t["label"] for t in unit["titles"].values() if not t["awarded"]]
        awarded = [t["label"] for t in unit["titles"].values() if t["awarded"]]
        evidence_count = sum(len(t["evidence"]) for t in unit["titles"].values())
        records.append(
            {
                "code": unit["code"], "name": unit["name"], "level": unit["level"],
                "qualifies": unit["qualifies"], "awarded": "、".join(awarded),
                "missed": "、".join(broken), "evidence": evidence_count,
                "year": year, "provisional": result["provisional"],
                "synthetic": result["synthetic"], "geometry": geoms[unit["code"]],
            }
        )  # fmt: skip
    if not records:
        return gpd.GeoDataFrame(pd.DataFrame(), geometry=[], crs=4326)
    return gpd.GeoDataFrame(records, geometry="geometry", crs=4326)
