"""``/api/v1/safety``: safety-creation status (平安创建) per township and village and year."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from api.deps import CurrentUser, SessionDep, audit_list, resolve_county
from api.schemas.safety import SafetyStatus, SafetyTable
from core.principal import Principal
from services import safety

router = APIRouter(tags=["safety"])


@router.get("/safety", response_model=SafetyStatus)
def safety_status(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    year: int = Query(..., ge=1990, le=2100),
    county: str | None = Query(None, pattern=r"^\d{6}$"),
) -> dict:
    """无诉讼乡镇, 零命案乡镇 and 平安村/社区 computed from the year's disputes and signals,
    each with the cases and signals that break it (rule: models/safety.py). Case roles see
    the evidence inside their scope only; roles that do not see cases get the number of
    pieces of evidence only."""
    county = resolve_county(session, user, county)
    result = safety.status(session=session, county=county, year=year, scope_area=user.area_prefix)
    if not user.sees_cases:
        return safety.evidence_counts_only(result)
    shown = _evidence_in_scope(user, county, result)
    audit_list(session, user, request, "safety_evidence", shown)
    return result


def _evidence_in_scope(user: Principal, county: str, result: dict) -> int:
    """Keep, in place, only the evidence on cases and signals the caller may see (the titles
    stand as computed from all of it); return how many pieces are left."""

    def visible(items: list[dict]) -> list[dict]:
        return [e for e in items if user.may_see_case(grid_code=e["grid"], county_code=county)]

    shown = 0
    for unit in result["units"]:
        for title in unit["titles"].values():
            title["evidence"] = visible(title["evidence"])
            shown += len(title["evidence"])
    result["unplaced"] = visible(result["unplaced"])
    return shown + len(result["unplaced"])


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
