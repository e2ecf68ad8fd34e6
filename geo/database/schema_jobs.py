"""The record of scheduled work: one ``job_run`` row per job, county and run.

A run is written twice: when it starts (``outcome = 'running'``) and when it ends (``ok``,
``failed`` or ``skipped`` when another worker already holds the job for that county). Counts
are the job's own figures (events placed, grids scored, cases escalated …) as JSON.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Identity, Index, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from geo.database.schema import Base

JOB_OUTCOMES = ("running", "ok", "failed", "skipped")


class JobRun(Base):
    """One run of one job for one county (or for the whole database: county ``*``)."""

    __tablename__ = "job_run"
    __table_args__ = (
        CheckConstraint(
            "outcome IN (" + ", ".join(f"'{o}'" for o in JOB_OUTCOMES) + ")", name="outcome_known"
        ),
        Index("job_run_recent", "county_code", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    job: Mapped[str] = mapped_column(String(32))
    county_code: Mapped[str] = mapped_column(String(6))
    started_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(16), server_default="running")
    counts: Mapped[dict | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(Text)
