"""The scheduled jobs, run once per county: the nightly work and the overdue sweep.

Every run takes the advisory lock of its job and county (two workers never run the same job
for the same county at once), and is recorded in ``job_run`` with its figures or its error.
A run takes a database URL, not an engine, so that it can run in another process or on
another machine: each run opens and closes its own connections.

``run_for_counties`` fans the runs out over a Dask cluster: a ``LocalCluster`` on this machine
by default, or an existing cluster given by its scheduler address.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from sqlalchemy import Engine

from core.schedule import BEIJING
from geo.database.engine import make_engine, transaction
from geo.disputes.supervision import escalate_overdue
from geo.jobs import runs
from geo.notifications.channels import Channel, channel_from_settings
from geo.notifications.delivery import deliver_pending
from geo.notifications.reminders import sweep_reminders
from geo.places.counties import loaded_counties


@dataclass
class JobOutcome:
    """How one job ended for one county."""

    job: str
    county: str
    outcome: str  # ok | failed | skipped
    counts: dict
    error: str | None
    seconds: float
    cpu_seconds: float = 0.0

    def as_dict(self) -> dict:
        """Plain values, for JSON."""
        return asdict(self)


SCORED_PERIOD = dt.timedelta(days=7)  # the nightly scores the weekly model


def nightly(engine: Engine, county: str, now: dt.datetime) -> dict:
    """The night's work for one county: place events that have a certain position but no grid
    yet; once per week (when the week holding ``now`` has not been scored yet), train and score
    the risk model (model, Gi* and emerging classes); and count the grids on the Monday review
    list. ``wangge hotspots --rescore`` scores again at any time."""
    from services import risk

    with transaction(engine) as session:
        counts = runs.place_unplaced_events(session=session, county=county)
        scored = runs.last_scored_period(session=session, county=county)
    if scored and _holds(scored, now):
        counts |= {"period_start": scored, "scored": False}
    else:
        report = risk.train_and_score(engine, county=county, as_of=now)
        counts |= {
            "period_start": report.period_start.isoformat(),
            "scored": True,
            "grids_scored": report.grids,
            "training_rows": report.training_rows,
            "skipped_implausible": report.skipped_implausible,
            "flagged": report.flagged,
        }
    counts["review_list"] = len(risk.latest_flags(engine, county=county))
    return counts


def _holds(period_start: str, now: dt.datetime) -> bool:
    """Whether the scored week starting on ``period_start`` holds ``now`` (Beijing days)."""
    first = dt.date.fromisoformat(period_start)
    return first <= now.astimezone(BEIJING).date() < first + SCORED_PERIOD


def notify(
    engine: Engine, county: str | None, now: dt.datetime, channel: Channel | None = None
) -> dict:
    """The reminder sweep for one county (None: all): store the reminders due at ``now``, then
    send every undelivered one through ``channel`` (default: the one the settings choose)."""
    with transaction(engine) as session:
        stored = sweep_reminders(session=session, now=now, county=county)
    with transaction(engine) as session:
        sent = deliver_pending(
            session=session, channel=channel or channel_from_settings(), county=county
        )
    return {
        **{f"notified_{kind}": n for kind, n in stored.items()},
        "delivered": sent["delivered"],
        "delivery_failed": sent["failed"],
    }


def sweep(engine: Engine, county: str, now: dt.datetime) -> dict:
    """The overdue sweep for one county: escalate open cases past their deadline to the level
    the supervision rule gives them, then store and send the reminders (:func:`notify`)."""
    with transaction(engine) as session:
        escalated = escalate_overdue(session=session, now=now, county=county)
    return {
        "escalated_township": escalated["township"],
        "escalated_county": escalated["county"],
        **notify(engine, county, now),
    }


JOBS: dict[str, Callable[[Engine, str, dt.datetime], dict]] = {"nightly": nightly, "sweep": sweep}


def _short_error(exc: BaseException) -> str:
    """The error as a reader of the job list needs it: the message, then the innermost frame."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"[:2000]


def run_job(url: str, job: str, county: str, now: dt.datetime | None = None) -> JobOutcome:
    """Run ``job`` for ``county`` under its lock, recorded in ``job_run``; never raises for a
    failure of the job itself (the outcome says ``failed`` and why)."""
    if job not in JOBS:
        raise ValueError(f"未知任务 unknown job {job!r}; known: {', '.join(JOBS)}")
    now = now or dt.datetime.now(dt.UTC)
    started, cpu_started = time.perf_counter(), time.process_time()
    engine = make_engine(url, pool_size=2)
    try:
        with runs.job_lock(engine, job=job, county=county) as taken:
            with transaction(engine) as session:
                run_id = runs.start_run(session=session, job=job, county=county)
            counts: dict = {}
            error = None
            if not taken:
                outcome = "skipped"
                error = "另一进程正在运行此任务 another worker is running this job for this county"
            else:
                try:
                    counts = JOBS[job](engine, county, now)
                    outcome = "ok"
                except Exception as exc:  # a failed county is recorded, the others go on
                    outcome, error = "failed", _short_error(exc)
            with transaction(engine) as session:
                runs.finish_run(
                    session=session, run_id=run_id, outcome=outcome, counts=counts, error=error
                )
    finally:
        engine.dispose()
    return JobOutcome(
        job, county, outcome, counts, error, time.perf_counter() - started,
        time.process_time() - cpu_started,
    )  # fmt: skip


def counties_in(url: str) -> list[str]:
    """Every county loaded in the database at ``url``."""
    engine = make_engine(url, pool_size=1)
    try:
        with transaction(engine) as session:
            return list(loaded_counties(session=session))
    finally:
        engine.dispose()


def run_for_counties(
    url: str,
    job: str,
    counties: Iterable[str],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    now: dt.datetime | None = None,
    on_done: Callable[[JobOutcome], None] | None = None,
) -> list[JobOutcome]:
    """Run ``job`` for every county, one task per county, on a Dask cluster: the one at
    ``scheduler`` (``tcp://host:8786``), else a ``LocalCluster`` of ``workers`` processes (one
    thread each). One county runs in this process when no cluster is asked for."""
    counties = list(counties)
    now = now or dt.datetime.now(dt.UTC)
    if len(counties) <= 1 and scheduler is None and workers is None:
        outcomes = [run_job(url, job, county, now) for county in counties]
        for outcome in outcomes:
            if on_done:
                on_done(outcome)
        return outcomes
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers or 2, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=40,
        )  # fmt: skip
    outcomes: list[JobOutcome] = []
    try:
        with Client(scheduler or cluster) as client:
            futures = {
                client.submit(run_job, url, job, county, now, pure=False, key=f"{job}-{county}"): (
                    county
                )
                for county in counties
            }
            for future in as_completed(futures):
                county = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker itself died: record it from here
                    outcome = _record_lost_run(url, job, county, exc)
                outcomes.append(outcome)
                if on_done:
                    on_done(outcome)
    finally:
        if cluster is not None:
            cluster.close()
    return sorted(outcomes, key=lambda o: o.county)


def _record_lost_run(url: str, job: str, county: str, exc: BaseException) -> JobOutcome:
    error = f"任务进程中断 the worker running this job was lost: {_short_error(exc)}"
    engine = make_engine(url, pool_size=1)
    try:
        with transaction(engine) as session:
            run_id = runs.start_run(session=session, job=job, county=county)
            runs.finish_run(
                session=session, run_id=run_id, outcome="failed", counts={}, error=error
            )
    finally:
        engine.dispose()
    return JobOutcome(job, county, "failed", {}, error, 0.0)


def recent_runs(engine: Engine, *, job: str | None = None, county: str | None = None) -> list:
    """The latest recorded runs, newest first."""
    with transaction(engine) as session:
        return runs.recent_runs(session=session, job=job, county=county)
