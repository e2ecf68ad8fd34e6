"""The record of job runs and the advisory lock that lets one worker run a job at a time.

The lock is a PostgreSQL session-level advisory lock keyed by job and county, taken on its own
connection for the length of the run: if the worker dies, the connection closes and the lock
goes with it, so a crashed run never blocks the next night.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geo.database.sqlfiles import sql


@contextmanager
def job_lock(engine: Engine, *, job: str, county: str) -> Iterator[bool]:
    """Hold the lock of ``job`` for ``county`` while the block runs; yields False (and holds
    nothing) when another worker has it."""
    with engine.connect() as conn:
        taken = bool(conn.execute(sql("jobs_try_lock"), {"job": job, "county": county}).scalar())
        conn.commit()
        try:
            yield taken
        finally:
            if taken:
                conn.execute(sql("jobs_unlock"), {"job": job, "county": county})
                conn.commit()


def start_run(*, session: Session, job: str, county: str) -> int:
    """Record that ``job`` started for ``county``; return the run's id."""
    params = {"job": job, "county": county, "host": socket.gethostname()}
    return int(session.execute(sql("jobs_run_start"), params).scalar_one())


def finish_run(
    *, session: Session, run_id: int, outcome: str, counts: dict | None, error: str | None
) -> None:
    """Record how the run ended: ``ok``, ``failed`` or ``skipped``, its figures and error."""
    session.execute(
        sql("jobs_run_finish"),
        {
            "id": run_id,
            "outcome": outcome,
            "counts": json.dumps(counts or {}, ensure_ascii=False, default=str),
            "error": error,
        },
    )


def recent_runs(
    *, session: Session, job: str | None = None, county: str | None = None, limit: int = 100
) -> list[dict]:
    """The latest runs, newest first, optionally of one job and/or one county."""
    rows = session.execute(
        sql("jobs_runs_recent"), {"job": job, "county": county, "limit": limit}
    ).mappings()
    return [dict(row) for row in rows]


def last_scored_period(*, session: Session, county: str) -> str | None:
    """The first day (ISO) of the period the latest successful nightly run scored, if any."""
    return session.execute(sql("jobs_last_scored_period"), {"county": county}).scalar()


def place_unplaced_events(*, session: Session, county: str) -> dict[str, int]:
    """Put the county's cases and signals with a certain position but no grid onto the grid
    now covering them; return how many of each were placed."""
    disputes = session.execute(sql("jobs_place_unplaced_disputes"), {"county": county}).rowcount
    signals = session.execute(sql("jobs_place_unplaced_signals"), {"county": county}).rowcount
    return {"disputes_placed": disputes, "signals_placed": signals}
