"""``GET /api/v1/disputes/escalation``: open disputes ranked by escalation risk."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request

from api.deps import CaseReader, SessionDep, audit_list, resolve_county
from api.schemas.escalation import EscalationRanking
from core.errors import InvalidRequest
from services import escalation

router = APIRouter(tags=["disputes"])


@router.get(
    "/disputes/escalation", response_model=EscalationRanking, response_model_exclude_unset=True
)
def escalation_ranking(
    request: Request,
    session: SessionDep,
    user: CaseReader,
    county: str | None = Query(None, pattern=r"^\d{6}$"),
    as_of: dt.datetime | None = Query(None, description="default: now"),
    limit: int = Query(100, ge=1, le=10_000),
) -> dict:
    """Open disputes in the caller's scope, highest escalation score first, with the reasons."""
    county = resolve_county(session, user, county)
    when = as_of or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    if not 1970 <= when.year <= 2200:
        raise InvalidRequest("as_of must lie between 1970 and 2200")
    ranking = escalation.rank_open_disputes(
        session=session, county=county, as_of=when, limit=limit, **user.scope_params()
    )
    audit_list(session, user, request, "dispute", ranking["returned"])
    return ranking
