"""The duty roster: who is on duty across shift boundaries ([start, end)), overnight shifts,
overlaps refused, handover notes, scopes (real PostGIS, the small county, rolled back)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.errors import Conflict, InvalidRequest, NotFound
from geo.staff import roster
from tests.geo.disputes.disputes_factories import COUNTY, XINCHENG, YELIGUAN, build_world
from tests.geo.staff.staff_factories import add_person

CHINA = ZoneInfo("Asia/Shanghai")


def t(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """A China-time instant in November 2026."""
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=CHINA)


@pytest.fixture
def duty(db):
    """Night 19th→20th (E), day 20th (A), night 20th→21st (B), day 21st (C) at 新城镇;
    a 24-hour shift (D) at the county centre from 08:00 on the 20th."""
    build_world(db)
    for code in "ABCDE":
        add_person(db, f"R-{code}", "county_cadre", XINCHENG)
    plan = [
        ("E", "tc-x", "leader", t(19, 20), t(20, 8)),
        ("A", "tc-x", "leader", t(20, 8), t(20, 20)),
        ("B", "tc-x", "leader", t(20, 20), t(21, 8)),
        ("C", "tc-x", "leader", t(21, 8), t(21, 20)),
        ("D", "cc", "officer", t(20, 8), t(21, 8)),
    ]
    ids = {}
    for code, centre, post, start, end in plan:
        ids[code] = roster.add_shift(
            session=db, centre=centre, staff_code=f"R-{code}", post=post, start=start, end=end
        )["shift_id"]
    return ids


def on_duty_codes(db, at, centre=XINCHENG, **kw) -> list[str]:
    result = roster.on_duty(session=db, at=at, centre=centre, **kw)
    return [p["staff_code"] for c in result["centres"] for p in c["on_duty"]]


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (t(20, 7, 59, 59), ["R-E"]),  # the night shift still holds at 07:59:59
        (t(20, 8), ["R-A"]),  # at 08:00 it is over and the day shift holds
        (t(20, 19, 59), ["R-A"]),
        (t(20, 20), ["R-B"]),
        (t(20, 23, 59, 59), ["R-B"]),  # an overnight shift across midnight
        (t(21, 0), ["R-B"]),
        (t(21, 7, 59), ["R-B"]),
        (t(21, 8), ["R-C"]),
        (t(21, 20), []),  # nobody after the last shift
    ],
)
def test_who_is_on_duty_across_shift_boundaries(db, duty, at, expected):
    assert on_duty_codes(db, at) == expected


def test_the_same_instant_in_utc_gives_the_same_answer(db, duty):
    assert on_duty_codes(db, dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)) == ["R-A"]
    assert on_duty_codes(db, dt.datetime(2026, 11, 19, 23, 59, tzinfo=dt.UTC)) == ["R-E"]


def test_a_centre_is_named_by_its_facility_code_or_its_unit(db, duty):
    assert on_duty_codes(db, t(20, 9), centre="tc-x") == on_duty_codes(db, t(20, 9)) == ["R-A"]
    assert on_duty_codes(db, t(20, 9), centre=COUNTY) == ["R-D"]
    with pytest.raises(NotFound):
        roster.on_duty(session=db, at=t(20, 9), centre="623021199")


def test_all_centres_and_scopes(db, duty):
    everyone = roster.on_duty(session=db, at=t(20, 9))
    assert [c["centre"] for c in everyone["centres"]] == ["cc", "tc-x"]
    # a user of the other township sees its own centre's roster (empty) and the county's
    other = roster.on_duty(session=db, at=t(20, 9), scope_area=YELIGUAN)
    assert [c["centre"] for c in other["centres"]] == ["cc"]
    own = roster.on_duty(session=db, at=t(20, 9), scope_area=XINCHENG)
    assert [c["centre"] for c in own["centres"]] == ["cc", "tc-x"]


def test_a_person_cannot_hold_two_overlapping_shifts(db, duty):
    with pytest.raises(Conflict, match="R-A is already on duty at tc-x"):
        roster.add_shift(session=db, centre="tc-y", staff_code="R-A", post="officer",
                         start=t(20, 19), end=t(20, 23))  # fmt: skip
    # touching end to start is not an overlap
    done = roster.add_shift(session=db, centre="tc-y", staff_code="R-A", post="standby",
                            start=t(20, 20), end=t(20, 23))  # fmt: skip
    assert done["post"] == "standby"


@pytest.mark.parametrize(
    ("start", "end", "post", "message"),
    [
        (t(22, 8), t(22, 8), "leader", "end after it starts"),
        (t(22, 8), t(25, 8), "leader", "48 hours"),
        (t(22, 8), t(22, 20), "boss", "post must be one of"),
        (dt.datetime(2026, 11, 22, 8), t(22, 20), "leader", "time zone"),
    ],
)
def test_bad_shifts_are_refused(db, duty, start, end, post, message):
    with pytest.raises(InvalidRequest, match=message):
        roster.add_shift(session=db, centre="tc-x", staff_code="R-C", post=post,
                         start=start, end=end)  # fmt: skip


def test_the_handover_note_reaches_the_next_shift(db, duty):
    roster.hand_over(session=db, shift_id=duty["A"], note="东山村纠纷一件待回访", actor="R-A")
    before = roster.on_duty(session=db, at=t(20, 19), centre=XINCHENG)["centres"][0]
    assert before["handover"] is None
    after = roster.on_duty(session=db, at=t(20, 20), centre=XINCHENG)["centres"][0]
    assert after["handover"]["note"] == "东山村纠纷一件待回访"
    assert after["handover"]["shift_id"] == duty["A"] and after["handover"]["by"] == "R-A"
    with pytest.raises(InvalidRequest):
        roster.hand_over(session=db, shift_id=duty["A"], note="  ", actor="R-A")
    with pytest.raises(NotFound):
        roster.hand_over(session=db, shift_id=10**12, note="x", actor="R-A")


def test_shifts_of_a_centre_in_a_window(db, duty):
    listed = roster.shifts(session=db, centre="tc-x", start=t(20, 12), end=t(21, 9))
    assert [s["staff_code"] for s in listed["items"]] == ["R-A", "R-B", "R-C"]


def test_the_demo_roster_has_a_leader_and_an_officer_at_every_centre(demo_db):
    at = dt.datetime(2026, 6, 1, 7, 59, tzinfo=CHINA)
    result = roster.on_duty(session=demo_db, at=at)
    assert len(result["centres"]) == 17 and result["synthetic"]
    for centre in result["centres"]:
        assert sorted(p["post"] for p in centre["on_duty"]) == ["leader", "officer"]
        assert all(p["name"].endswith("（模拟）") for p in centre["on_duty"])
        assert centre["handover"] is not None
    night = {c["centre"]: c["on_duty"][0]["shift_id"] for c in result["centres"]}
    morning = roster.on_duty(session=demo_db, at=at + dt.timedelta(minutes=1))
    assert all(night[c["centre"]] != c["on_duty"][0]["shift_id"] for c in morning["centres"])
