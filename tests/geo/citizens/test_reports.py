"""Public reports in the data layer: intake as `received`, follow-up by token, the citizen's
rating, what the public reads (no personal data), partner keys."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.errors import Conflict, InvalidRequest, NotFound
from geo.citizens import apikeys, reports
from geo.citizens.tokens import secret_hash
from geo.disputes import workflow
from geo.disputes.locate import Locator
from geo.disputes.parties import party_details


@pytest.fixture
def spot(demo_db):
    """A point inside a current grid of the demo county, with the grid's code and county."""
    row = demo_db.execute(
        text(
            "SELECT code, county_code, ST_X(ST_PointOnSurface(geom)) AS lon,"
            " ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid WHERE valid_to IS NULL"
            " ORDER BY code LIMIT 1"
        )
    ).one()
    return row


@pytest.fixture
def locator(demo_db):
    return Locator.load(session=demo_db)


def _file(demo_db, locator, spot, **extra):
    return reports.file_report(
        session=demo_db, locator=locator, lon=spot.lon, lat=spot.lat, category="neighbour",
        description="楼上装修噪音到深夜", channel="web", source="citizen:web", **extra,
    )  # fmt: skip


def test_a_report_enters_the_loop_as_received_on_its_grid(demo_db, locator, spot):
    filed = _file(demo_db, locator, spot, phone="13900001111")
    case = demo_db.execute(
        text(
            "SELECT d.status, d.assignee_unit, d.deadline, g.code FROM dispute d"
            " JOIN grid g ON g.id = d.grid_id WHERE d.external_id = :n"
        ),
        {"n": filed["case_number"]},
    ).one()
    assert case.status == "received"
    assert case.assignee_unit is None  # never dispatched automatically
    assert case.deadline is not None
    assert case.code == spot.code
    stored = demo_db.execute(
        text("SELECT follow_token_hash FROM citizen_report WHERE dispute_id = :d"),
        {"d": filed["dispute_id"]},
    ).scalar_one()
    assert stored == secret_hash(filed["token"]) and filed["token"] not in stored


def test_the_phone_is_a_party_seen_only_by_roles_that_see_parties(demo_db, locator, spot):
    filed = _file(demo_db, locator, spot, phone="13900001111")
    centre = party_details(session=demo_db, dispute_id=filed["dispute_id"], role="county_centre")
    assert [p["phone"] for p in centre] == ["13900001111"]
    viewer = party_details(session=demo_db, dispute_id=filed["dispute_id"], role="viewer")
    assert viewer == []


def test_a_point_outside_every_grid_is_refused(demo_db, locator):
    with pytest.raises(InvalidRequest):
        reports.file_report(
            session=demo_db, locator=locator, lon=116.4, lat=39.9, category="other",
            description="far away", channel="web", source="citizen:web",
        )  # fmt: skip


def test_the_citizen_rates_once_after_staff_close_the_case(demo_db, locator, spot):
    filed = _file(demo_db, locator, spot)
    token = filed["token"]
    with pytest.raises(Conflict):
        reports.rate(session=demo_db, token=token, satisfaction=5, comment=None)
    version = 1
    for to, extra in (("in_progress", {}), ("resolved", {})):
        version = workflow.transition(
            session=demo_db, dispute_id=filed["dispute_id"], to=to, version=version,
            actor="system", **extra,
        ).version  # fmt: skip
    reports.rate(session=demo_db, token=token, satisfaction=4, comment="处理及时")
    case = demo_db.execute(
        text("SELECT status, satisfaction, rating_source FROM dispute WHERE id = :d"),
        {"d": filed["dispute_id"]},
    ).one()
    assert tuple(case) == ("rated", 4, "citizen")
    with pytest.raises(Conflict):
        reports.rate(session=demo_db, token=token, satisfaction=1, comment=None)
    history = reports.public_history(session=demo_db, dispute_id=filed["dispute_id"])
    assert [h["to_status"] for h in history] == ["received", "in_progress", "resolved", "rated"]
    assert all(set(h) == {"at", "from_status", "to_status"} for h in history)


def test_a_bad_token_is_not_found(demo_db):
    with pytest.raises(NotFound):
        reports.report_for_token(session=demo_db, token="not-a-token")


def test_nearby_shows_open_cases_of_the_category_without_personal_data(demo_db, locator, spot):
    filed = _file(demo_db, locator, spot, phone="13900001111")
    found = reports.nearby_open(
        session=demo_db, lon=spot.lon, lat=spot.lat, category="neighbour", limit=50
    )
    mine = [f for f in found if f["external_id"] == filed["case_number"]]
    assert mine and mine[0]["metres"] == 0
    assert set(mine[0]) == {"external_id", "category", "status", "reported_at", "metres"}


def test_public_requests_carry_only_public_fields(demo_db, locator, spot):
    filed = _file(demo_db, locator, spot, phone="13900001111")
    rows = reports.public_requests(session=demo_db, ids=[filed["case_number"]])
    assert len(rows) == 1
    flat = " ".join(str(v) for v in rows[0].values())
    assert "13900001111" not in flat and "装修" not in flat
    assert rows[0]["grid_name"]


def test_keys_are_stored_hashed_and_stop_working_when_revoked(demo_db):
    record, key = apikeys.add_key(session=demo_db, name="hotline12345")
    assert key.startswith("wg_") and record["key_prefix"] == key[:8]
    stored = demo_db.execute(text("SELECT key_hash FROM citizen_api_key")).scalars().all()
    assert secret_hash(key) in stored and key not in stored
    assert apikeys.use_key(session=demo_db, key=key)["name"] == "hotline12345"
    with pytest.raises(Conflict):
        apikeys.add_key(session=demo_db, name="hotline12345")
    apikeys.revoke_key(session=demo_db, name="hotline12345")
    assert apikeys.use_key(session=demo_db, key=key) is None
    with pytest.raises(NotFound):
        apikeys.revoke_key(session=demo_db, name="hotline12345")
    assert apikeys.list_keys(session=demo_db)[0]["revoked_at"] is not None
