"""``/api/v1/safety``: safety-creation status (平安创建) per township and village and year."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import CurrentUser, SessionDep, resolve_county
from api.schemas.safety import SafetyStatus, SafetyTable
from services import safety

router = APIRouter(tags=["safety"])


@router.get("/safety", response_model=SafetyStatus)
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
        scope_area=user.area_prefix,
    )
    return result if user.sees_cases else safety.evidence_counts_only(result)


@router.get("/safety/table", response_model=SafetyTable)
def safety_table(
    session: SessionDep,
    user: CurrentUser,
    year: int = Query(..., ge=1990, le=2100),
    county: str | None = Query(None, pattern=r"^\d{6}$"),
) -> dict:
    """The same as a flat table: one row per unit, titles awarded and missed, evidence count."""
    return safety.status_table(
        session=session,
        county=resolve_county(session, user, county),
        year=year,
        scope_area=user.area_prefix,
    )
