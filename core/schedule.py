"""When the scheduled jobs run: cron expressions read in Beijing time.

The default runs the nightly work at 02:30 (after the day's intake, before the morning
meeting) and the overdue sweep every fifteen minutes. A county changes them with
``WANGGE_SCHEDULE`` (``"nightly=30 2 * * *;sweep=*/15 * * * *"``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from croniter import croniter

BEIJING = ZoneInfo("Asia/Shanghai")
JOB_NAMES = ("nightly", "sweep")
DEFAULT_SCHEDULE = {"nightly": "30 2 * * *", "sweep": "*/15 * * * *"}


class ScheduleError(ValueError):
    """A schedule the worker cannot follow."""


def parse_schedule(text: str | None) -> dict[str, str]:
    """``"job=cron;job=cron"`` → {job: cron}; jobs not named keep their default; an empty
    cron (``"sweep="``) turns the job off."""
    schedule = dict(DEFAULT_SCHEDULE)
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        job, sep, cron = part.partition("=")
        job, cron = job.strip(), cron.strip()
        if not sep or job not in JOB_NAMES:
            raise ScheduleError(
                f"计划任务写法有误 bad schedule entry {part!r}: 应为 job=cron, job one of "
                f"{', '.join(JOB_NAMES)}"
            )
        if cron and not croniter.is_valid(cron):
            raise ScheduleError(f"cron 表达式无效 invalid cron expression for {job}: {cron!r}")
        schedule[job] = cron
    return {job: cron for job, cron in schedule.items() if cron}


def next_run(cron: str, after: dt.datetime) -> dt.datetime:
    """The first time strictly after ``after`` that ``cron`` (Beijing time) fires, in UTC."""
    start = after.astimezone(BEIJING)
    return croniter(cron, start).get_next(dt.datetime).astimezone(dt.UTC)


def due_between(
    schedule: dict[str, str], start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, str]]:
    """Every (time, job) firing in ``(start, end]``, in time order; a job that fired several
    times while the worker was away runs once, at its latest time."""
    due: dict[str, dt.datetime] = {}
    for job, cron in schedule.items():
        when = next_run(cron, start)
        while when <= end:
            due[job] = when
            when = next_run(cron, when)
    return sorted((when, job) for job, when in due.items())
