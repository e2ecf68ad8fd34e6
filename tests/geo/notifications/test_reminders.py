"""The reminder sweep on a real PostGIS: due within 24 h, overdue and overdue beyond the
escalation threshold, found by the one overdue rule, addressed to the responsible units,
stored once per case, kind and deadline, and read by each user with their own read mark."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from core import cases
from core.errors import NotFound
from core.principal import Principal
from geo.disputes import workflow
from geo.notifications.reminders import mark_read, notifications_for, sweep_reminders
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    COUNTY,
    GRID,
    YELIGUAN,
    address_point,
    build_world,
)

NOW = dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC)
CENTRE = Principal("centre", "county_centre")
TOWNSHIP = Principal("yeliguan", "township", YELIGUAN)
POLICE = Principal("police", "partner", "ps-y")
LEADER = Principal("leader", "grid_leader", GRID[CHIGOU])
VIEWER = Principal("viewer", "viewer")


def _case(world, external_id, *, reported, deadline, severity="minor") -> int:
    lon, lat = address_point(CHIGOU, 1, 1)
    dispute_id = world.one(external_id=external_id, lon=lon, lat=lat, severity=severity)
    world.session.execute(
        text("UPDATE dispute SET reported_at = :r, deadline = :d WHERE id = :i"),
        {"r": reported, "d": deadline, "i": dispute_id},
    )
    return dispute_id


def _route_to_police(world, dispute_id) -> None:
    workflow.transition(session=world.session, dispute_id=dispute_id, to="routed", version=1,
                        actor="yeliguan", facility="ps-y", by=TOWNSHIP, at=NOW)  # fmt: skip


@pytest.fixture
def county(db):
    world = build_world(db)
    day, hour = dt.timedelta(days=1), dt.timedelta(hours=1)
    ids = {
        "soon": _case(world, "N-soon", reported=NOW - 9 * day, deadline=NOW + 10 * hour),
        "late": _case(world, "N-late", reported=NOW - 11 * day, deadline=NOW - day),
        "far": _case(world, "N-far", reported=NOW - 20 * day, deadline=NOW - 8 * day),
        "major": _case(world, "N-major", reported=NOW - 3 * day, deadline=NOW - 2 * hour,
                       severity="major"),
        "later": _case(world, "N-later", reported=NOW - day, deadline=NOW + 3 * day),
        "held": _case(world, "N-held", reported=NOW - 2 * day, deadline=NOW + 5 * hour),
    }  # fmt: skip
    _route_to_police(world, ids["late"])
    db.execute(
        text("UPDATE dispute SET held_deadline = deadline, deadline = NULL, suspended_at = :at "
             "WHERE id = :i"),
        {"at": NOW - day, "i": ids["held"]},
    )  # fmt: skip
    return world, ids


def _stored(db) -> dict[tuple[str, str], list[str]]:
    rows = db.execute(
        text("SELECT d.external_id, n.kind, n.units FROM notification n "
             "JOIN dispute d ON d.id = n.dispute_id ORDER BY n.id")
    )  # fmt: skip
    return {(r.external_id, r.kind): list(r.units) for r in rows}


def test_the_sweep_stores_each_reminder_once_for_the_responsible_units(db, county):
    counts = sweep_reminders(session=db, now=NOW, county=COUNTY)
    assert counts == {"due_soon": 1, "overdue": 3, "escalate": 2}
    township, centre = f"township:{YELIGUAN}", f"county_centre:{COUNTY}"
    assert _stored(db) == {
        ("N-soon", "due_soon"): [township],
        ("N-late", "overdue"): ["partner:ps-y", township],
        ("N-far", "overdue"): [township],
        ("N-far", "escalate"): [township, centre],
        ("N-major", "overdue"): [township],
        ("N-major", "escalate"): [township, centre],
    }
    assert sweep_reminders(session=db, now=NOW, county=COUNTY) == dict.fromkeys(counts, 0)
    assert sweep_reminders(session=db, now=NOW + dt.timedelta(hours=1), county=COUNTY) == (
        dict.fromkeys(counts, 0)
    )
    assert len(_stored(db)) == 6


def test_overdue_reminders_follow_the_one_overdue_rule(db, county):
    sweep_reminders(session=db, now=NOW, county=COUNTY)
    rows = db.execute(text("SELECT external_id, status, deadline FROM dispute")).all()
    by_rule = {
        r.external_id for r in rows if cases.is_open_past_deadline(r.status, r.deadline, NOW)
    }
    soon = NOW + dt.timedelta(hours=24)
    due_soon = {
        r.external_id
        for r in rows
        if cases.is_open_past_deadline(r.status, r.deadline, soon) and r.external_id not in by_rule
    }
    stored = _stored(db)
    assert {case for case, kind in stored if kind == "overdue"} == by_rule
    assert {case for case, kind in stored if kind == "due_soon"} == due_soon


def test_a_moved_deadline_is_reminded_again(db, county):
    _, ids = county
    sweep_reminders(session=db, now=NOW, county=COUNTY)
    db.execute(
        text("UPDATE dispute SET deadline = deadline + interval '2 days' WHERE id = :i"),
        {"i": ids["late"]},
    )
    later = NOW + dt.timedelta(hours=12)
    assert sweep_reminders(session=db, now=later, county=COUNTY)["due_soon"] == 1


def test_each_user_reads_the_reminders_of_their_unit_with_their_own_marks(db, county):
    sweep_reminders(session=db, now=NOW, county=COUNTY)

    def cases_of(principal):
        listed = notifications_for(session=db, principal=principal, county=COUNTY)
        return listed, [(n["external_id"], n["kind"]) for n in listed["notifications"]]

    listed, township = cases_of(TOWNSHIP)
    assert sorted(township) == sorted(_stored(db))
    assert listed["unread"] == 6
    assert [n["id"] for n in listed["notifications"]] == sorted(
        (n["id"] for n in listed["notifications"]), reverse=True
    )
    assert cases_of(POLICE)[1] == [("N-late", "overdue")]
    assert sorted(cases_of(CENTRE)[1]) == [("N-far", "escalate"), ("N-major", "escalate")]
    assert cases_of(LEADER)[1] == []
    assert cases_of(VIEWER)[0] == {"unread": 0, "notifications": []}

    police_note = cases_of(POLICE)[0]["notifications"][0]
    marked = mark_read(session=db, principal=POLICE, notification_id=police_note["id"],
                       county=COUNTY, at=NOW)  # fmt: skip
    assert marked["read"] and marked["read_at"] == NOW
    again = mark_read(session=db, principal=POLICE, notification_id=police_note["id"],
                      county=COUNTY, at=NOW + dt.timedelta(hours=1))  # fmt: skip
    assert again["read_at"] == NOW
    assert notifications_for(session=db, principal=POLICE, county=COUNTY)["unread"] == 0
    township_view = notifications_for(session=db, principal=TOWNSHIP, county=COUNTY)
    assert township_view["unread"] == 6
    assert len(notifications_for(session=db, principal=TOWNSHIP, county=COUNTY,
                                 unread_only=True)["notifications"]) == 6  # fmt: skip
    with pytest.raises(NotFound):
        mark_read(session=db, principal=LEADER, notification_id=police_note["id"], county=COUNTY)
