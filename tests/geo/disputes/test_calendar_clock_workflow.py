"""The county's time limits on a real PostGIS: the holiday calendar loaded from a clerk's file,
working-day deadlines at intake, suspension and resumption, extension asked and decided, each
as an event, and overdue found by the one rule (SQL and Python) from the running deadline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from core import cases, limits
from core.errors import Conflict, Forbidden, ImportRejected, InvalidRequest
from core.principal import Principal
from geo.disputes import calendar, clock, supervision, workflow
from tests.geo.disputes.disputes_factories import CHIGOU, YELIGUAN, address_point, build_world

NATIONAL = Path(__file__).parents[3] / "demo" / "data" / "holidays_national_2025_2026.csv"
CHINA = limits.CHINA
CENTRE = Principal("centre", "county_centre")
TOWNSHIP = Principal("yeliguan", "township", YELIGUAN)
POLICE = Principal("police", "partner", "ps-y")


@pytest.fixture
def world(db):
    world = build_world(db)
    calendar.load_holidays(session=db, path=NATIONAL)
    return world


def _case(world, external_id, *, severity="serious", reported_at="2026-09-30 16:00") -> int:
    lon, lat = address_point(CHIGOU, 1, 1)
    return world.one(
        external_id=external_id, lon=lon, lat=lat, severity=severity, reported_at=reported_at
    )


def _row(session, dispute_id):
    return session.execute(
        text(
            "SELECT deadline, held_deadline, suspended_at, version, supervision FROM dispute "
            "WHERE id = :i"
        ),
        {"i": dispute_id},
    ).one()


def _events(session, dispute_id) -> list[tuple[str, str]]:
    rows = session.execute(
        text("SELECT action, note FROM dispute_event WHERE dispute_id = :i ORDER BY id"),
        {"i": dispute_id},
    )
    return [(r.action, r.note) for r in rows]


def _routed_to_police(world, dispute_id) -> int:
    at = dt.datetime(2026, 10, 8, 9, tzinfo=dt.UTC)
    workflow.transition(
        session=world.session,
        dispute_id=dispute_id,
        to="routed",
        version=1,
        actor="yeliguan",
        facility="ps-y",
        by=TOWNSHIP,
        at=at,
    )
    workflow.transition(
        session=world.session,
        dispute_id=dispute_id,
        to="in_progress",
        version=2,
        actor="police",
        by=POLICE,
        at=at,
    )
    return 3


def test_the_national_calendar_file_loads_and_a_clerks_file_is_checked(db, tmp_path):
    loaded = calendar.load_holidays(session=db, path=NATIONAL)
    assert (loaded.calendars, loaded.years) == (("national",), (2025, 2026))
    assert (loaded.holidays, loaded.workdays) == (61, 11)
    work = calendar.work_calendar(session=db, county="623021")
    assert not work.is_working_day(dt.date(2026, 2, 16))  # 春节
    assert work.is_working_day(dt.date(2026, 2, 28))  # Saturday worked
    county_file = tmp_path / "县定假日.csv"
    county_file.write_text(
        "临潭县2026年地方节假日\n日期,类型,名称\n2026年7月6日,放假,地方节日\n", encoding="gbk"
    )
    calendar.load_holidays(session=db, path=county_file, calendar="623021")
    assert not calendar.work_calendar(session=db, county="623021").is_working_day(
        dt.date(2026, 7, 6)
    )
    assert calendar.work_calendar(session=db, county="623022").is_working_day(dt.date(2026, 7, 6))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "日期,类型\n2026-13-01,放假\n2026-07-07,半天\n2026-07-08,上班\n2026-07-08,上班\n"
    )
    with pytest.raises(ImportRejected) as refused:
        calendar.load_holidays(session=db, path=bad)
    assert [(p.row, p.field) for p in refused.value.problems] == [
        (2, "day"),
        (3, "kind"),
        (5, "day"),
    ]


def test_intake_gives_a_serious_case_working_days_over_the_national_holidays(world):
    serious = _case(world, "T-1")
    minor = _case(world, "T-2", severity="minor")
    # 16:00 on 09-30 China time; 国庆 10-01..07 off, Saturday 10-10 worked: due 10-27 16:00.
    assert _row(world.session, serious).deadline == dt.datetime(2026, 10, 27, 16, tzinfo=CHINA)
    assert _row(world.session, minor).deadline == dt.datetime(2026, 10, 7, 16, tzinfo=CHINA)


def test_suspension_stops_the_clock_and_resumption_moves_the_deadline_on(world):
    dispute_id = _case(world, "T-3")
    version = _routed_to_police(world, dispute_id)
    due = dt.datetime(2026, 10, 27, 16, tzinfo=CHINA)
    suspended_at = dt.datetime(2026, 10, 20, 8, tzinfo=dt.UTC)
    with pytest.raises(InvalidRequest, match="理由"):
        clock.suspend(
            session=world.session,
            dispute_id=dispute_id,
            version=version,
            actor="police",
            reason=" ",
            by=POLICE,
            at=suspended_at,
        )
    change = clock.suspend(
        session=world.session,
        dispute_id=dispute_id,
        version=version,
        actor="police",
        reason="等待当事人提交伤情鉴定",
        by=POLICE,
        at=suspended_at,
    )
    assert (change.deadline, change.held_deadline, change.suspended_at) == (
        None,
        due,
        suspended_at,
    )
    long_after = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    session = world.session
    overdue_sql = session.execute(
        text(
            "SELECT wangge_is_open_past_deadline(status, deadline, :at), "
            "wangge_is_suspended(status, suspended_at, :at) FROM dispute WHERE id = :i"
        ),
        {"at": long_after, "i": dispute_id},
    ).one()
    assert tuple(overdue_sql) == (False, True)
    assert supervision.escalate_overdue(session=session, now=long_after) == {
        "township": 0,
        "county": 0,
    }
    with pytest.raises(Conflict, match="挂起"):
        clock.suspend(
            session=session,
            dispute_id=dispute_id,
            version=change.version,
            actor="police",
            reason="again",
            by=POLICE,
            at=long_after,
        )
    resumed_at = suspended_at + dt.timedelta(days=10)
    resumed = clock.resume(
        session=session,
        dispute_id=dispute_id,
        version=change.version,
        actor="centre",
        note="鉴定结论已收到",
        by=CENTRE,
        at=resumed_at,
    )
    assert resumed.deadline == due + dt.timedelta(days=10)
    assert (resumed.held_deadline, resumed.suspended_at) == (None, None)
    assert cases.is_open_past_deadline("in_progress", resumed.deadline, long_after)
    actions = _events(session, dispute_id)[-2:]
    assert [a for a, _ in actions] == ["suspend", "resume"]
    assert actions[0][1].startswith("等待当事人提交伤情鉴定; deadline held at 2026-10-27 16:00")
    assert "suspended 10.0 days; deadline now 2026-11-06 16:00" in actions[1][1]


def test_a_case_past_its_deadline_cannot_be_suspended(world):
    dispute_id = _case(world, "T-4")
    version = _routed_to_police(world, dispute_id)
    with pytest.raises(Conflict, match="超期"):
        clock.suspend(
            session=world.session,
            dispute_id=dispute_id,
            version=version,
            actor="police",
            reason="waiting",
            by=POLICE,
            at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )


def test_an_extension_is_asked_by_the_handler_and_approved_by_the_centre(world):
    dispute_id = _case(world, "T-5")
    version = _routed_to_police(world, dispute_id)
    asked_at = dt.datetime(2026, 10, 21, tzinfo=dt.UTC)
    session = world.session
    with pytest.raises(Forbidden, match="承办单位"):
        clock.request_extension(
            session=session,
            dispute_id=dispute_id,
            version=version,
            actor="centre",
            days=5,
            reason="x",
            by=CENTRE,
            at=asked_at,
        )
    asked = clock.request_extension(
        session=session,
        dispute_id=dispute_id,
        version=version,
        actor="police",
        days=5,
        reason="需现场勘验土地界址",
        by=POLICE,
        at=asked_at,
    )
    assert _row(session, dispute_id).supervision["extension_request"]["days"] == 5
    with pytest.raises(Conflict, match="待审批"):
        clock.request_extension(
            session=session,
            dispute_id=dispute_id,
            version=asked.version,
            actor="police",
            days=2,
            reason="y",
            by=POLICE,
            at=asked_at,
        )
    with pytest.raises(Forbidden, match="承办单位不能批准延期"):
        clock.decide_extension(
            session=session,
            dispute_id=dispute_id,
            version=asked.version,
            actor="police",
            approve=True,
            by=POLICE,
            at=asked_at,
        )
    decided = clock.decide_extension(
        session=session,
        dispute_id=dispute_id,
        version=asked.version,
        actor="yeliguan",
        approve=True,
        days=3,
        by=TOWNSHIP,
        at=asked_at,
        note="同意",
    )
    # 3 working days after Tuesday 10-27: 10-28, 29, 30.
    assert decided.deadline == dt.datetime(2026, 10, 30, 16, tzinfo=CHINA)
    stored = _row(session, dispute_id).supervision
    assert "extension_request" not in stored
    assert stored["extensions"][0] | {"granted": 3, "approved": True} == stored["extensions"][0]
    assert [a for a, _ in _events(session, dispute_id)[-2:]] == ["extension_request", "extend"]
    with pytest.raises(Conflict, match="没有待审批"):
        clock.decide_extension(
            session=session,
            dispute_id=dispute_id,
            version=decided.version,
            actor="centre",
            approve=False,
            by=CENTRE,
            at=asked_at,
        )


def test_a_refused_extension_leaves_the_deadline_and_stale_versions_are_refused(world):
    dispute_id = _case(world, "T-6")
    version = _routed_to_police(world, dispute_id)
    at = dt.datetime(2026, 10, 21, tzinfo=dt.UTC)
    session = world.session
    asked = clock.request_extension(
        session=session,
        dispute_id=dispute_id,
        version=version,
        actor="police",
        days=5,
        reason="r",
        by=POLICE,
        at=at,
    )
    with pytest.raises(Conflict, match="changed since you read it"):
        clock.decide_extension(
            session=session,
            dispute_id=dispute_id,
            version=version,
            actor="centre",
            approve=True,
            by=CENTRE,
            at=at,
        )
    refused = clock.decide_extension(
        session=session,
        dispute_id=dispute_id,
        version=asked.version,
        actor="centre",
        approve=False,
        by=CENTRE,
        at=at,
        note="理由不充分",
    )
    assert refused.deadline == dt.datetime(2026, 10, 27, 16, tzinfo=CHINA)
    assert _events(session, dispute_id)[-1] == ("extension_refused", "refused; 理由不充分")
