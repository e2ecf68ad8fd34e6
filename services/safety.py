"""Safety-creation status (平安创建) of a county's townships and villages for one year.

Composition only: the evidence and the units are read by :mod:`geo.staff.safety`, the titles
are given by the rule in :mod:`models.safety`. Used by ``/api/v1/safety`` and the command-room
safety layer.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import geopandas as gpd
import pandas as pd
from sqlalchemy.orm import Session

from core.errors import InvalidRequest
from geo.staff import safety as reads
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


def current_year(now: dt.datetime | None = None) -> int:
    """The calendar year under way in China."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(CHINA).year


def evidence(
    *, session: Session, county: str, year: int, now: dt.datetime | None = None
) -> tuple[pd.DataFrame, bool]:
    """The evidence rows of one county and year (a DataFrame), and whether it is provisional."""
    start, end, cutoff = year_window(year, now)
    found = reads.evidence(
        session=session,
        county=county,
        start=start,
        end=end,
        cutoff=cutoff,
        lawsuit_pattern=words_pattern(LAWSUIT_WORDS),
        homicide_pattern=words_pattern(HOMICIDE_WORDS),
    )
    return found, cutoff < end


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
    units = reads.units(session=session, county=county)
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
    result["synthetic"] = bool(units["synthetic_geom"].any()) or reads.synthetic_grids(
        session=session, county=county
    )
    return result


def _titles_summary(unit: dict) -> tuple[list[str], list[str], int]:
    """A unit's titles awarded and missed (labels) and its pieces of evidence in all."""
    titles = unit["titles"].values()
    awarded = [t["label"] for t in titles if t["awarded"]]
    missed = [t["label"] for t in titles if not t["awarded"]]
    return awarded, missed, sum(len(t["evidence"]) for t in titles)


def status_frame(
    *,
    session: Session,
    county: str,
    year: int,
    scope_area: str | None = None,
    now: dt.datetime | None = None,
) -> gpd.GeoDataFrame:
    """Status per township and village with its boundary, for the map layer."""
    result = status(session=session, county=county, year=year, scope_area=scope_area, now=now)
    geoms = reads.unit_geometries(session=session, county=county)
    records = []
    for unit in result["units"]:
        if unit["code"] not in geoms:
            continue
        awarded, missed, evidence_count = _titles_summary(unit)
        records.append(
            {
                "code": unit["code"], "name": unit["name"], "level": unit["level"],
                "qualifies": unit["qualifies"],
                "awarded": "、".join(awarded), "missed": "、".join(missed),
                "evidence": evidence_count,
                "year": year, "provisional": result["provisional"],
                "synthetic": result["synthetic"], "geometry": geoms[unit["code"]],
            }
        )  # fmt: skip
    if not records:
        return gpd.GeoDataFrame(pd.DataFrame(), geometry=[], crs=4326)
    return gpd.GeoDataFrame(records, geometry="geometry", crs=4326)


def evidence_counts_only(result: dict) -> dict:
    """``result`` with every list of evidence replaced by its count (for roles that do not
    see cases)."""
    for unit in result["units"]:
        for title in unit["titles"].values():
            title["evidence"] = {"count": len(title["evidence"])}
    result["unplaced"] = {"count": len(result["unplaced"])}
    return result


def status_table(
    *,
    session: Session,
    county: str,
    year: int,
    scope_area: str | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """The status as a flat table: one row per unit, titles awarded and missed, evidence count."""
    now = now or dt.datetime.now(dt.UTC)
    result = status(session=session, county=county, year=year, scope_area=scope_area, now=now)
    rows = []
    for unit in result["units"]:
        awarded, missed, evidence_count = _titles_summary(unit)
        rows.append(
            {
                "code": unit["code"],
                "name": unit["name"],
                "level": unit["level"],
                "awarded": awarded,
                "missed": missed,
                "evidence": evidence_count,
            }
        )
    return {
        "year": year,
        "provisional": result["provisional"],
        "as_of": now.isoformat() if result["provisional"] else None,
        "synthetic": result["synthetic"],
        "rows": rows,
    }
