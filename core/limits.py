"""Time limits (限时办结): days from intake to resolution, by category and severity.

The base follows the tiered practice of county centres: a minor (一般) dispute is settled at
village level within 7 days, a serious one (较大) at township level within 15, a major or
especially major one (重大 / 特别重大) with the county within 30. Categories that need a
survey, evidence or a third party's findings (land and forest boundaries, debts, medical
cases) get more time; those that must be settled fast to keep the peace (family, neighbours,
wages owed before a holiday) keep the base. The table is printed in docs/intake.md; change
it here and the deadline of every new case follows (existing deadlines are kept).

**Working days** (工作日): the limit of serious cases (较大, :data:`WORKING_DAY_SEVERITIES`),
which the township centres handle, is counted in working days, as the county's rule reads
("较大矛盾纠纷15个工作日内化解"); minor cases, settled in the village within 7 days, and major
and especially major ones, which the county follows through holidays, count calendar days. A
working day is a Monday to Friday that is not a public holiday, or a weekend day worked in
exchange (调休上班), by the :class:`WorkCalendar` loaded into the database (``wangge load
holidays``). Days are China-time days: a case reported on Friday at 16:00 with 15 working
days is due on the fifteenth working day after that Friday, at 16:00.

**Extension** (延期) adds days in the same kind as the limit (working or calendar days) to the
deadline as it stands; :func:`extended_deadline`. Suspension is in :mod:`core.cases`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from core import vocab

BASE_DAYS = {"minor": 7, "serious": 15, "major": 30, "critical": 30}
EXTRA_DAYS = {
    "land_forest": 15,
    "debt": 8,
    "medical": 15,
    "property_management": 3,
    "traffic": 8,
}

TIME_LIMIT_DAYS: dict[tuple[str, str], int] = {
    (category, severity): BASE_DAYS[severity] + EXTRA_DAYS.get(category, 0)
    for category in vocab.DISPUTE_CATEGORIES
    for severity in vocab.DISPUTE_SEVERITIES
}


def time_limit_days(category: str, severity: str) -> int:
    """Days allowed for a dispute of this category and severity."""
    return TIME_LIMIT_DAYS[(category, severity)]


WORKING_DAY_SEVERITIES = ("serious",)
CHINA = dt.timezone(dt.timedelta(hours=8))
MAX_EXTENSION_DAYS = 30


@dataclass(frozen=True)
class WorkCalendar:
    """The days that differ from the plain week: holidays on weekdays and worked weekend days."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()

    @classmethod
    def from_days(cls, days: Iterable[tuple[dt.date, str]]) -> WorkCalendar:
        """A calendar from ``(day, kind)`` pairs, kind ``holiday`` or ``workday``."""
        pairs = list(days)
        return cls(
            holidays=frozenset(day for day, kind in pairs if kind == "holiday"),
            workdays=frozenset(day for day, kind in pairs if kind == "workday"),
        )

    def is_working_day(self, day: dt.date) -> bool:
        """True when ``day`` is worked: a weekday not a holiday, or a 调休 weekend day."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


PLAIN_WEEK = WorkCalendar()


def counts_working_days(severity: str) -> bool:
    """True when the limit of a case of ``severity`` is in working days."""
    return severity in WORKING_DAY_SEVERITIES


def add_working_days(start: dt.datetime, days: int, calendar: WorkCalendar) -> dt.datetime:
    """The same China-time clock on the ``days``-th working day after ``start``'s day."""
    local = start.astimezone(CHINA) if start.tzinfo else start
    day, left = local.date(), days
    while left > 0:
        day += dt.timedelta(days=1)
        left -= calendar.is_working_day(day)
    moved = dt.datetime.combine(day, local.time(), tzinfo=local.tzinfo)
    return moved.astimezone(start.tzinfo) if start.tzinfo else moved


def add_limit_days(
    start: dt.datetime, days: int, severity: str, calendar: WorkCalendar = PLAIN_WEEK
) -> dt.datetime:
    """``start`` plus ``days`` in the kind of day a case of ``severity`` counts in."""
    if counts_working_days(severity):
        return add_working_days(start, days, calendar)
    return start + dt.timedelta(days=days)


def deadline_for(
    *,
    category: str,
    severity: str,
    reported_at: dt.datetime,
    calendar: WorkCalendar = PLAIN_WEEK,
) -> dt.datetime:
    """When a dispute reported at ``reported_at`` must be resolved."""
    return add_limit_days(reported_at, time_limit_days(category, severity), severity, calendar)


def extended_deadline(
    deadline: dt.datetime, days: int, severity: str, calendar: WorkCalendar = PLAIN_WEEK
) -> dt.datetime:
    """The deadline after an approved extension of ``days`` (same kind of day as the limit)."""
    return add_limit_days(deadline, days, severity, calendar)


def markdown_table() -> str:
    """The table as Markdown, for the docs (days; rows are categories)."""
    severities = list(vocab.DISPUTE_SEVERITIES)
    kinds = {
        s: "工作日 working days" if counts_working_days(s) else "自然日 days" for s in severities
    }
    head = "| category | " + " | ".join(
        f"{s} {vocab.DISPUTE_SEVERITIES[s]} ({kinds[s]})" for s in severities
    )
    lines = [head + " |", "|---" * (len(severities) + 1) + "|"]
    for category, label in vocab.DISPUTE_CATEGORIES.items():
        days = " | ".join(str(TIME_LIMIT_DAYS[(category, s)]) for s in severities)
        lines.append(f"| {category} {label} | {days} |")
    return "\n".join(lines)
