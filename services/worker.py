"""The worker: runs the scheduled jobs for every loaded county when their time comes."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from core.schedule import due_between, next_run
from services.jobs import JobOutcome, counties_in, run_for_counties


def run_worker(
    url: str,
    schedule: dict[str, str],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    sleep: Callable[[float], None] = time.sleep,
    keep_going: Callable[[], bool] = lambda: True,
    on_done: Callable[[JobOutcome], None] | None = None,
) -> None:
    """Wake when a job of ``schedule`` is due and run it for every county loaded at that
    moment; wake at least once a minute so that a changed clock or a new county is noticed.
    Jobs missed while the worker was down are not replayed: the next firing does their work."""
    last = clock()
    while keep_going():
        now = clock()
        for _when, job in due_between(schedule, last, now):
            run_for_counties(
                url, job, counties_in(url), scheduler=scheduler, workers=workers, now=now,
                on_done=on_done,
            )  # fmt: skip
        last = now
        if not schedule:
            return
        upcoming = min(next_run(cron, now) for cron in schedule.values())
        sleep(min(60.0, max(1.0, (upcoming - clock()).total_seconds())))
