"""``/api/v1/safety``: safety-creation status (平安创建) per township and village and year."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query

from api.deps import CurrentUser, SessionDep, resolve_county
from geo.staff import safety

router = APIRouter(tags=["safety"])


@router.get("/safety")
def safety_status(
    session: SessionDep,
    user: CurrentUser,
    year: int = Query(..., ge=1990, le=2100),
    county: str | None = Query(None, pattern=r"^\d{6}$"),
) -> dict:
    """无诉讼乡镇, 零命案乡镇 and 平安村/社区 computed from the year's disputes and signals,
    each with the cases and signals that break it (rule: models/safety.py). Roles that do
    not see cases get the number of pieces of evidence only."""
    result = safety.status(
        session=session,
        county=resolve_county(session, user, county),
        year=year,
        scope_area=None if user.role == "partner" else user.area_prefix,
    )
    if not user.sees_cases:
        for unit in result["units"]:
            for title in unit["titles"].values():
                title["evidence"] = {"count": len(title["evidence"])}
        result["unplaced"] = {"count": len(result["unplaced"])}
    return result


@router.get("/safety/table")
def safety_table(
    session: SessionDep,
    user: CurrentUser,
    year: int = Query(..., ge=1990, le=2100),
    county: str | None = Query(None, pattern=r"^\d{6}$"),
) -> dict:
    """The same as a flat table: one row per unit, titles awarded and missed, evidence count."""
    result = safety.status(
        session=session,
        county=resolve_county(session, user, county),
        year=year,
        scope_area=None if user.role == "partner" else user.area_prefix,
    )
    rows = []
    for unit in result["units"]:
        titles = unit["titles"].values()
        rows.append(
            {
                "code": unit["code"],
                "name": unit["name"],
                "level": unit["level"],
                "awarded": [t["label"] for t in titles if t["awarded"]],
                "missed": [t["label"] for t in titles if not t["awarded"]],
                "evidence": sum(len(t["evidence"]) for t in titles),
            }
        )
    return {
        "year": year,
        "provisional": result["provisional"],
        "as_of": dt.datetime.now(dt.UTC).isoformat() if result["provisional"] else None,
        "synthetic": result["synthetic"],
        "rows": rows,
    }
