"""``GET /api/v1/stats``: the county's dispute figures for a unit and period."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query

from api.deps import CurrentUser, SessionDep, aware
from api.schemas.common import CODE
from api.schemas.stats import StatsOut
from core.errors import Forbidden
from geo.disputes.stats import dispute_stats

router = APIRouter(tags=["stats"])


@router.get("/stats", response_model=StatsOut, response_model_exclude_unset=True)
def stats(
    session: SessionDep,
    user: CurrentUser,
    level: str = Query("county", pattern="^(county|township|village|grid)$"),
    code: str | None = Query(None, pattern=CODE),
    start: dt.datetime | None = Query(None, alias="from", description="received at or after"),
    end: dt.datetime | None = Query(None, alias="to", description="end of the period (now)"),
) -> dict:
    """Screened, resolved, resolution rate, still open, overdue, median days to resolve,
    satisfaction — for the unit and each unit one level down (definitions: docs/intake.md).
    """
    if user.area_prefix and not user.covers_area(code):
        raise Forbidden(f"{level} {code or '(default)'} is outside the scope {user.scope_code}")
    start, end = aware(start, "from"), aware(end, "to")
    return dispute_stats(session=session, level=level, code=code, start=start, end=end)
