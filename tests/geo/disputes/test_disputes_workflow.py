"""The closed loop on a real PostGIS: every legal and illegal move, payload rules, deadlines
and overdue, supervision and escalation, and versioned updates from two sessions."""

from __future__ import annotations

import datetime as dt
import itertools
import threading

import pytest
from sqlalchemy import text

from core import cases, vocab
from core.errors import Conflict, InvalidRequest, NotFound
from core.limits import TIME_LIMIT_DAYS, deadline_for, time_limit_days
from geo.database.engine import make_engine, transaction
from geo.disputes import supervision, workflow
from tests.geo.disputes.disputes_factories import CHIGOU, address_point, build_world, walk

STATUSES = list(vocab.DISPUTE_STATUSES)
LEGAL = [(a, b) for a, targets in workflow.TRANSITIONS.items() for b in targets]
ILLEGAL = [(a, b) for a, b in itertools.product(STATUSES, STATUSES) if (a, b) not in LEGAL]
PAYLOAD = {
    "routed": {"assignee": f"GL-{CHIGOU}"},
    "unresolved": {"note": "parties refuse the proposal"},
    "rated": {"satisfaction": 4},
}


@pytest.fixture
def world(db):
    return build_world(db)


def _new(world, external_id="W-1", **record) -> int:
    lon, lat = address_point(CHIGOU, 1, 1)
    return world.one(external_id=external_id, lon=lon, lat=lat, **record)


def _force_status(session, dispute_id, status):
    session.execute(
        text("UPDATE dispute SET status = :s WHERE id = :i"), {"s": status, "i": dispute_id}
    )


def _version(session, dispute_id) -> int:
    return session.execute(
        text("SELECT version FROM dispute WHERE id = :i"), {"i": dispute_id}
    ).scalar()


def test_the_loop_is_a_connected_machine_from_received_to_followed_up():
    reachable, frontier = {"received"}, ["received"]
    while frontier:
        for target in workflow.TRANSITIONS[frontier.pop()]:
            if target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(STATUSES)
    assert workflow.TRANSITIONS["followed_up"] == ()


@pytest.mark.parametrize(("from_status", "to_status"), LEGAL)
def test_every_legal_transition_is_taken_and_recorded(world, from_status, to_status):
    dispute_id = _new(world)
    _force_status(world.session, dispute_id, from_status)
    done = workflow.transition(
        session=world.session,
        dispute_id=dispute_id,
        to=to_status,
        version=1,
        actor="clerk 7",
        **PAYLOAD.get(to_status, {}),
    )
    assert (done.from_status, done.to_status, done.version) == (from_status, to_status, 2)
    row = world.session.execute(
        text("SELECT status, version, resolved_at, satisfaction FROM dispute WHERE id = :i"),
        {"i": dispute_id},
    ).one()
    assert (row.status, row.version) == (to_status, 2)
    assert (row.resolved_at is not None) == (to_status == "resolved")
    event = world.session.execute(
        text("SELECT actor, action, from_status, to_status FROM dispute_event WHERE id = :e"),
        {"e": done.event_id},
    ).one()
    assert tuple(event) == ("clerk 7", "transition", from_status, to_status)


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL)
def test_every_illegal_transition_is_refused_naming_from_to_and_the_options(
    world, from_status, to_status
):
    dispute_id = _new(world)
    _force_status(world.session, dispute_id, from_status)
    with pytest.raises(workflow.IllegalTransition) as refused:
        workflow.transition(
            session=world.session,
            dispute_id=dispute_id,
            to=to_status,
            version=1,
            actor="clerk",
            **PAYLOAD.get(to_status, {}),
        )
    message = str(refused.value)
    assert f"from {from_status}" in message and f"to {to_status}" in message
    for option in workflow.TRANSITIONS[from_status]:
        assert option in message
    assert isinstance(refused.value, Conflict)  # → HTTP 409
    assert _version(world.session, dispute_id) == 1
    events = world.session.execute(
        text("SELECT count(*) FROM dispute_event WHERE dispute_id = :i"), {"i": dispute_id}
    ).scalar()
    assert events == 1  # only the intake event


def test_a_full_case_walks_the_loop_and_leaves_one_event_per_step(world):
    dispute_id = _new(world)
    path = ["routed", "in_progress", "resolved", "rated", "archived", "followed_up"]
    walk(
        world.session, dispute_id, [(s, PAYLOAD.get(s, {})) for s in path], actor="township centre"
    )
    events = world.session.execute(
        text("SELECT from_status, to_status FROM dispute_event WHERE dispute_id = :i ORDER BY id"),
        {"i": dispute_id},
    ).all()
    assert [tuple(e) for e in events] == list(
        zip([None, "received", *path[:-1]], ["received", *path], strict=False)
    )
    row = world.session.execute(
        text("SELECT satisfaction, assignee FROM dispute WHERE id = :i"), {"i": dispute_id}
    ).one()
    assert (row.satisfaction, row.assignee) == (4, f"GL-{CHIGOU}")


def test_unresolved_cases_can_be_re_routed(world):
    dispute_id = _new(world)
    steps = [
        "in_progress",
        ("unresolved", {"note": "no agreement"}),
        ("routed", {"facility": "jo-y"}),
        "in_progress",
        "resolved",
    ]
    walk(world.session, dispute_id, steps, actor="centre")
    facility = world.session.execute(
        text(
            "SELECT f.code FROM dispute d JOIN facility f ON f.id = d.assigned_facility_id"
            " WHERE d.id = :i"
        ),
        {"i": dispute_id},
    ).scalar()
    assert facility == "jo-y"


@pytest.mark.parametrize(
    ("to_status", "payload", "words"),
    [
        ("routed", {}, "assignee"),
        ("routed", {"assignee": "nobody"}, "no staff member"),
        ("routed", {"facility": "nowhere"}, "no facility"),
        ("unresolved", {"note": "  "}, "note"),
        ("rated", {}, "satisfaction"),
        ("rated", {"satisfaction": 9}, "1 to 5"),
        ("teleported", {}, "unknown status"),
    ],
)
def test_payload_rules_are_enforced(world, to_status, payload, words):
    dispute_id = _new(world)
    start = {"unresolved": "in_progress", "rated": "resolved"}.get(to_status, "received")
    _force_status(world.session, dispute_id, start)
    with pytest.raises(InvalidRequest, match=words):
        workflow.transition(
            session=world.session,
            dispute_id=dispute_id,
            to=to_status,
            version=1,
            actor="clerk",
            **payload,
        )


def test_a_stale_version_is_a_conflict_saying_the_case_changed(world):
    dispute_id = _new(world)
    workflow.transition(
        session=world.session, dispute_id=dispute_id, to="in_progress", version=1, actor="a"
    )
    with pytest.raises(Conflict, match=r"changed since you read it.*version 1.*version 2"):
        workflow.transition(
            session=world.session, dispute_id=dispute_id, to="resolved", version=1, actor="b"
        )
    with pytest.raises(NotFound):
        workflow.transition(
            session=world.session,
            dispute_id=10**12,
            to="routed",
            version=1,
            actor="a",
            assignee="x",
        )


def test_deadlines_follow_the_time_limit_table():
    assert time_limit_days("neighbour", "minor") == 7
    assert time_limit_days("land_forest", "serious") == 30
    assert set(TIME_LIMIT_DAYS) == {
        (c, s) for c in vocab.DISPUTE_CATEGORIES for s in vocab.DISPUTE_SEVERITIES
    }
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert deadline_for(category="debt", severity="major", reported_at=at) == at + dt.timedelta(
        days=38
    )


def test_overdue_means_open_and_past_the_deadline():
    now = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    deadline = now - dt.timedelta(hours=1)
    assert cases.is_open_past_deadline("in_progress", deadline, now)
    assert not cases.is_open_past_deadline("resolved", deadline, now)
    assert not cases.is_open_past_deadline("routed", now + dt.timedelta(days=1), now)


def test_the_workflow_moves_along_the_loop_of_core():
    assert workflow.TRANSITIONS is cases.TRANSITIONS
    assert workflow.require_legal is cases.require_legal


def test_escalation_goes_to_the_township_then_the_county_with_events(world):
    minor = _new(world, "E-1", reported_at="2026-11-01 09:00")  # 7-day limit: due 11-08
    major = _new(world, "E-2", reported_at="2026-11-01 09:00", severity="major")
    done = _new(world, "E-3", reported_at="2026-11-01 09:00")
    _force_status(world.session, done, "resolved")
    first = supervision.escalate_overdue(
        session=world.session, now=dt.datetime(2026, 11, 9, tzinfo=dt.UTC)
    )
    assert first == {"township": 1, "county": 0}
    later = supervision.escalate_overdue(
        session=world.session, now=dt.datetime(2026, 11, 13, tzinfo=dt.UTC)
    )
    assert later == {"township": 0, "county": 1}  # 4.6 days over a 7-day limit
    again = supervision.escalate_overdue(
        session=world.session, now=dt.datetime(2026, 11, 14, tzinfo=dt.UTC)
    )
    assert again == {"township": 0, "county": 0}
    state = world.session.execute(
        text("SELECT supervision, version FROM dispute WHERE id = :i"), {"i": minor}
    ).one()
    assert state.supervision["escalated_to"] == "county"
    assert [e["to"] for e in state.supervision["escalations"]] == ["township", "county"]
    events = world.session.execute(
        text(
            "SELECT action, from_status, to_status, note FROM dispute_event"
            " WHERE dispute_id = :i AND action = 'escalate' ORDER BY id"
        ),
        {"i": minor},
    ).all()
    assert [e.note.split(";")[0] for e in events] == ["to township", "to county"]
    assert all(e.from_status == e.to_status == "received" for e in events)
    major_state = world.session.execute(
        text("SELECT supervision FROM dispute WHERE id = :i"), {"i": major}
    ).scalar()
    assert major_state is None  # a major case has a 30-day limit: not overdue yet


def test_flags_and_reminders_are_recorded_and_versioned(world):
    dispute_id = _new(world)
    version = supervision.supervise(
        session=world.session,
        dispute_id=dispute_id,
        version=1,
        act="flag",
        actor="county centre",
        note="watch this one",
    )
    version = supervision.supervise(
        session=world.session,
        dispute_id=dispute_id,
        version=version,
        act="remind",
        actor="county centre",
        note="due Friday",
    )
    assert version == 3
    with pytest.raises(Conflict):
        supervision.supervise(
            session=world.session, dispute_id=dispute_id, version=1, act="remind", actor="x"
        )
    state = world.session.execute(
        text("SELECT supervision FROM dispute WHERE id = :i"), {"i": dispute_id}
    ).scalar()
    assert [f["note"] for f in state["flags"]] == ["watch this one"]
    assert [r["note"] for r in state["reminders"]] == ["due Friday"]


def test_two_sessions_on_the_same_version_one_wins_one_gets_a_conflict(fresh_demo_url):
    engine = make_engine(fresh_demo_url, pool_size=3)
    try:
        with transaction(engine) as session:
            dispute_id = session.execute(
                text("SELECT id FROM dispute WHERE status = 'in_progress' ORDER BY id LIMIT 1")
            ).scalar()
            if dispute_id is None:  # demo events not loaded: make one case
                dispute_id = _seed_case(session)
            version = _version(session, dispute_id)
        barrier = threading.Barrier(2)
        outcomes: dict[str, object] = {}

        def act(name: str, to: str, extra: dict) -> None:
            with engine.connect() as conn, conn.begin():
                from sqlalchemy.orm import Session

                session = Session(bind=conn)
                barrier.wait()
                try:
                    outcomes[name] = workflow.transition(
                        session=session,
                        dispute_id=dispute_id,
                        to=to,
                        version=version,
                        actor=name,
                        **extra,
                    )
                except Conflict as exc:
                    outcomes[name] = exc

        threads = [
            threading.Thread(target=act, args=("alice", "resolved", {})),
            threading.Thread(target=act, args=("bob", "unresolved", {"note": "refused"})),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        winners = [n for n, o in outcomes.items() if isinstance(o, workflow.Transitioned)]
        losers = [n for n, o in outcomes.items() if isinstance(o, Conflict)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        assert "changed since you read it" in str(outcomes[losers[0]])
        with transaction(engine) as session:
            row = session.execute(
                text("SELECT status, version FROM dispute WHERE id = :i"), {"i": dispute_id}
            ).one()
            assert row.version == version + 1
            assert row.status == outcomes[winners[0]].to_status
            actors = (
                session.execute(
                    text(
                        "SELECT actor FROM dispute_event WHERE dispute_id = :i"
                        " AND actor IN ('alice', 'bob')"
                    ),
                    {"i": dispute_id},
                )
                .scalars()
                .all()
            )
            assert actors == winners
    finally:
        engine.dispose()


def _seed_case(session) -> int:
    grid = session.execute(
        text(
            "SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y"
            " FROM grid WHERE valid_to IS NULL ORDER BY code LIMIT 1"
        )
    ).one()
    from geo.disputes.intake import ingest_records
    from geo.disputes.locate import Locator

    report = ingest_records(
        session=session,
        records=[
            {
                "external_id": "CONC-1",
                "reported_at": "2026-11-10",
                "category": "debt",
                "lon": grid.x,
                "lat": grid.y,
            }
        ],
        kind="disputes",
        locator=Locator.load(session=session),
    )
    dispute_id = report.accepted["CONC-1"]
    workflow.transition(
        session=session, dispute_id=dispute_id, to="in_progress", version=1, actor="setup"
    )
    return dispute_id
