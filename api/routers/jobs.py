"""``GET /api/v1/jobs``: what the scheduled jobs did, for the county centre."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import SessionDep, require
from api.schemas.common import COUNTY
from api.schemas.jobs import JobRunsOut
from core.principal import Principal
from core.schedule import JOB_NAMES
from geo.jobs import runs

router = APIRouter(tags=["jobs"])


@router.get("/jobs", response_model=JobRunsOut)
def job_runs(
    session: SessionDep,
    user: Annotated[Principal, Depends(require("county_centre"))],
    job: str | None = Query(None, pattern="^(" + "|".join(JOB_NAMES) + ")$"),
    county: str | None = Query(None, pattern=COUNTY),
    limit: int = Query(100, ge=1, le=1000),
) -> dict:
    """The latest runs of the nightly work and the overdue sweep (newest first): when each
    started and ended, its outcome, its figures, and the error of a failed run. A county
    centre sees its own county's runs."""
    if user.scope_code:
        county = user.scope_code[:6]
    rows = runs.recent_runs(session=session, job=job, county=county, limit=limit)
    for row in rows:
        row["seconds"] = float(row["seconds"]) if row["seconds"] is not None else None
    return {"runs": rows}
