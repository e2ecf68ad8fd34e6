"""When the scheduled jobs run (core/schedule.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.schedule import DEFAULT_SCHEDULE, ScheduleError, due_between, next_run, parse_schedule

UTC = dt.UTC


def test_cron_is_read_in_beijing_time():
    after = dt.datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # 20:00 in Beijing
    assert next_run("30 2 * * *", after) == dt.datetime(2026, 12, 3, 18, 30, tzinfo=UTC)


def test_a_job_missed_several_times_runs_once():
    start = dt.datetime(2026, 12, 3, 0, 0, tzinfo=UTC)
    due = due_between({"sweep": "*/15 * * * *"}, start, start + dt.timedelta(hours=1))
    assert due == [(start + dt.timedelta(hours=1), "sweep")]


def test_nothing_is_due_before_its_time():
    start = dt.datetime(2026, 12, 3, 0, 1, tzinfo=UTC)
    assert due_between({"nightly": "30 2 * * *"}, start, start + dt.timedelta(minutes=5)) == []


def test_the_schedule_setting_overrides_and_turns_jobs_off():
    assert parse_schedule(None) == DEFAULT_SCHEDULE
    assert parse_schedule("nightly=0 3 * * 1;sweep=") == {"nightly": "0 3 * * 1"}


@pytest.mark.parametrize("text", ["nightly", "backup=0 1 * * *", "sweep=every day"])
def test_a_bad_schedule_is_refused_in_words(text):
    with pytest.raises(ScheduleError, match=r"计划任务|cron"):
        parse_schedule(text)
