"""Responses of ``/api/v1/jobs``: the record of scheduled work."""

from __future__ import annotations

from api.schemas.common import Out, Stamp


class JobRunOut(Out):
    """One run of one job for one county."""

    id: int
    job: str
    county_code: str
    started_at: Stamp
    finished_at: Stamp | None
    outcome: str
    counts: dict | None
    error: str | None
    seconds: float | None


class JobRunsOut(Out):
    """The latest runs, newest first."""

    runs: list[JobRunOut]
