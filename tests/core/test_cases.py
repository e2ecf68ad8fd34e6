"""The pure case rules: the loop, the open set, overdue and the instant a report judges at."""

from __future__ import annotations

import datetime as dt

import pytest

from core import cases, vocab
from core.errors import InvalidRequest

NOW = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def test_every_status_has_its_edges_and_is_open_or_past_resolution():
    assert tuple(vocab.DISPUTE_STATUSES) == cases.STATUSES
    assert set(cases.TRANSITIONS) == set(cases.STATUSES)
    assert all(set(t) <= set(cases.STATUSES) for t in cases.TRANSITIONS.values())
    assert not set(cases.OPEN_STATUSES) & set(cases.RESOLVED_OR_LATER)
    assert set(cases.OPEN_STATUSES) | set(cases.RESOLVED_OR_LATER) == set(cases.STATUSES)


def test_resolved_is_never_left_for_an_open_status():
    for status in cases.RESOLVED_OR_LATER:
        assert set(cases.TRANSITIONS[status]) <= set(cases.RESOLVED_OR_LATER)


def test_illegal_moves_and_unknown_statuses_are_refused():
    cases.require_legal("received", "routed")
    with pytest.raises(cases.IllegalTransition) as refused:
        cases.require_legal("received", "archived", dispute_id=7)
    assert refused.value.allowed == ("routed", "in_progress")
    assert "dispute 7" in str(refused.value)
    with pytest.raises(InvalidRequest):
        cases.require_legal("received", "lost")


@pytest.mark.parametrize("status", cases.STATUSES)
def test_open_and_past_its_deadline(status):
    past, future = NOW - DAY, NOW + DAY
    assert cases.is_open_past_deadline(status, past, NOW) is (status in cases.OPEN_STATUSES)
    assert cases.is_open_past_deadline(status, future, NOW) is False
    assert cases.is_open_past_deadline(status, None, NOW) is False
    assert cases.is_open_past_deadline(status, NOW, NOW) is False  # due now: not yet late


def test_resolved_after_the_deadline_stays_overdue_on_the_record():
    deadline = NOW - 3 * DAY
    late, in_time = NOW - DAY, NOW - 5 * DAY
    assert cases.is_overdue("archived", deadline, late, NOW)
    assert cases.is_overdue("rated", deadline, late, NOW)
    assert not cases.is_overdue("archived", deadline, in_time, NOW)
    assert not cases.is_overdue("resolved", None, late, NOW)


def test_a_resolution_after_the_instant_judged_does_not_count_yet():
    deadline = NOW - 3 * DAY
    # at NOW the case was still in progress; it is resolved (late) only tomorrow
    assert not cases.is_resolved_late(deadline, NOW + DAY, NOW)
    assert cases.is_overdue("in_progress", deadline, NOW + DAY, NOW)
    assert not cases.is_overdue("in_progress", NOW + DAY, NOW + 2 * DAY, NOW)


def test_closed_without_resolution_is_not_overdue():
    assert not cases.is_overdue("archived", NOW - DAY, None, NOW)
    assert cases.is_overdue("unresolved", NOW - DAY, None, NOW)


def test_a_report_judges_at_the_end_of_the_period_or_now_if_sooner():
    end_of_past_period = NOW - 30 * DAY
    end_of_this_year = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert cases.overdue_as_of(end_of_past_period, NOW) == end_of_past_period
    assert cases.overdue_as_of(end_of_this_year, NOW) == NOW
    due_next_week = NOW + 6 * DAY
    at = cases.overdue_as_of(end_of_this_year, NOW)
    assert not cases.is_overdue("in_progress", due_next_week, None, at)
    assert cases.overdue_as_of(dt.datetime(1999, 1, 1, tzinfo=dt.UTC)).year == 1999


def test_the_deadline_rule_is_the_same_for_one_case_and_for_a_panel_of_cases():
    """The risk panel counts late cases over numpy arrays with the very function used per case."""
    import numpy as np

    at = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    deadlines = [None, at - dt.timedelta(hours=1), at, at + dt.timedelta(days=6)]
    one_by_one = [bool(cases.deadline_passed(d, at)) for d in deadlines]
    as_array = np.array(
        [
            np.datetime64("NaT") if d is None else np.datetime64(d.replace(tzinfo=None))
            for d in deadlines
        ],
        dtype="datetime64[ns]",
    )
    together = cases.deadline_passed(as_array, np.datetime64(at.replace(tzinfo=None), "ns"))
    assert one_by_one == [False, True, False, False]
    assert together.tolist() == one_by_one
