"""Working-day limits, suspension and extension as pure rules (core/limits.py, core/cases.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from core import cases, limits
from core.errors import Conflict

CHINA = limits.CHINA
# The national calendar around 2026-10-01 (国庆节 10-01..07 off, Saturday 10-10 worked).
GOLDEN_WEEK = limits.WorkCalendar.from_days(
    [(dt.date(2026, 10, d), "holiday") for d in range(1, 8)] + [(dt.date(2026, 10, 10), "workday")]
)


def test_a_working_day_is_a_weekday_not_a_holiday_or_a_worked_weekend_day():
    assert GOLDEN_WEEK.is_working_day(dt.date(2026, 9, 30))  # Wednesday
    assert not GOLDEN_WEEK.is_working_day(dt.date(2026, 10, 1))  # Thursday, holiday
    assert not GOLDEN_WEEK.is_working_day(dt.date(2026, 10, 11))  # Sunday
    assert GOLDEN_WEEK.is_working_day(dt.date(2026, 10, 10))  # Saturday, 调休上班


def test_serious_cases_count_working_days_over_the_holidays_by_china_days():
    reported = dt.datetime(2026, 9, 30, 16, tzinfo=CHINA)
    due = limits.deadline_for(
        category="neighbour", severity="serious", reported_at=reported, calendar=GOLDEN_WEEK
    )
    # 10-08 (1), 09, 10 (Saturday worked), 12..16, 19..23, 26, 27 → the 15th is 10-27.
    assert due == dt.datetime(2026, 10, 27, 16, tzinfo=CHINA)
    # Reported at 23:30 UTC on 09-30 is 07:30 on 10-01 in China: counting starts after 10-01.
    late_evening = dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC)
    due_utc = limits.add_working_days(late_evening, 1, GOLDEN_WEEK)
    assert due_utc.tzinfo == dt.UTC
    assert due_utc.astimezone(CHINA) == dt.datetime(2026, 10, 8, 7, 30, tzinfo=CHINA)


def test_minor_and_major_cases_count_calendar_days():
    reported = dt.datetime(2026, 9, 30, 16, tzinfo=CHINA)
    for severity in ("minor", "major", "critical"):
        due = limits.deadline_for(
            category="neighbour", severity=severity, reported_at=reported, calendar=GOLDEN_WEEK
        )
        days = limits.time_limit_days("neighbour", severity)
        assert due == reported + dt.timedelta(days=days)
    assert limits.WORKING_DAY_SEVERITIES == ("serious",)


def test_an_extension_adds_days_of_the_kind_the_limit_counts():
    deadline = dt.datetime(2026, 9, 30, 16, tzinfo=CHINA)
    assert limits.extended_deadline(deadline, 3, "serious", GOLDEN_WEEK) == dt.datetime(
        2026, 10, 10, 16, tzinfo=CHINA
    )
    assert limits.extended_deadline(deadline, 3, "minor", GOLDEN_WEEK) == deadline + dt.timedelta(
        days=3
    )


def test_the_clock_stops_while_suspended_and_runs_on_from_the_held_deadline():
    held = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)
    suspended = dt.datetime(2026, 11, 5, 12, tzinfo=dt.UTC)
    resumed = dt.datetime(2026, 11, 20, 18, tzinfo=dt.UTC)
    assert cases.resumed_deadline(held, suspended, resumed) == dt.datetime(
        2026, 11, 25, 18, tzinfo=dt.UTC
    )
    assert cases.resumed_deadline(None, suspended, resumed) is None
    # While suspended the running deadline is none, so the one overdue rule finds it not late.
    assert not cases.is_open_past_deadline("in_progress", None, resumed)
    assert cases.is_suspended("in_progress", suspended, resumed)
    assert not cases.is_suspended("in_progress", suspended, suspended - dt.timedelta(hours=1))
    assert not cases.is_suspended("resolved", suspended, resumed)
    assert not cases.is_suspended("in_progress", None, resumed)


@pytest.mark.parametrize("act", ["suspend", "extend"])
def test_a_late_closed_or_suspended_case_cannot_be_suspended_or_extended(act):
    now = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    later, earlier = now + dt.timedelta(days=1), now - dt.timedelta(days=1)
    cases.require_clock_running(
        act=act, status="in_progress", deadline=later, suspended_at=None, at=now
    )
    refusals = [
        ("in_progress", earlier, None, "超期"),
        ("resolved", later, None, "办结"),
        ("in_progress", None, earlier, "挂起"),
    ]
    for status, deadline, suspended_at, word in refusals:
        with pytest.raises(Conflict, match=word):
            cases.require_clock_running(
                act=act, status=status, deadline=deadline, suspended_at=suspended_at, at=now
            )
