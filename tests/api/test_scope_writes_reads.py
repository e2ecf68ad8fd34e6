"""Issue 14, items 5, 6 and 11: writes and lists keep to the caller's scope, bulk reads are
audited (over real HTTP on a private copy of the demo county)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text

from geo.database.engine import make_engine

CHINA = ZoneInfo("Asia/Shanghai")


def _query(url: str, statement: str, **params):
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return conn.execute(text(statement), params).mappings().all()
    finally:
        engine.dispose()


@pytest.fixture
def served(fresh_demo_url, start_server, role_users):
    users = role_users(fresh_demo_url)
    return fresh_demo_url, start_server(fresh_demo_url), users


def _point_outside(url: str, township: str):
    return _query(
        url,
        "SELECT ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, g.code AS grid FROM address a "
        "JOIN grid g ON g.id = a.grid_id WHERE g.valid_to IS NULL "
        "AND NOT starts_with(g.code, :t) ORDER BY a.id LIMIT 1",
        t=township,
    )[0]


def _point_inside(url: str, prefix: str):
    return _query(
        url,
        "SELECT ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, g.code AS grid FROM address a "
        "JOIN grid g ON g.id = a.grid_id WHERE g.valid_to IS NULL "
        "AND starts_with(g.code, :t) ORDER BY a.id LIMIT 1",
        t=prefix,
    )[0]


def _dispute(external_id: str, point) -> dict:
    return {
        "external_id": external_id,
        "reported_at": "2026-11-20 09:30",
        "category": "婚姻家庭",
        "severity": "一般",
        "lon": point["lon"],
        "lat": point["lat"],
        "description": "夫妻争执",
    }


def _stored(url: str, table: str, external_id: str) -> int:
    rows = _query(url, f"SELECT count(*) AS n FROM {table} WHERE external_id = :e", e=external_id)
    return rows[0]["n"]


def test_writes_outside_the_scope_are_refused_before_anything_is_stored(served):
    url, base, users = served
    township = users["township"]
    outside = _point_outside(url, township.scope_code)
    inside = _point_inside(url, township.scope_code)
    with httpx.Client(base_url=base, timeout=120, headers=township.headers) as c:
        one = c.post("/api/v1/disputes", json=_dispute("SCOPE-OUT-1", outside))
        assert one.status_code == 403, one.text
        batch = c.post(
            "/api/v1/disputes",
            json={"records": [_dispute("SCOPE-IN-2", inside), _dispute("SCOPE-OUT-3", outside)]},
        )
        assert batch.status_code == 403 and "row(s) 3 " in batch.json()["detail"]
        signal = {"external_id": "SCOPE-SG-1", "observed_at": "2026-11-20 08:00",
                  "kind": "安全隐患", "lon": outside["lon"], "lat": outside["lat"]}  # fmt: skip
        assert c.post("/api/v1/signals", json=signal).status_code == 403
        accepted = c.post("/api/v1/disputes", json=_dispute("SCOPE-IN-4", inside))
        assert accepted.status_code == 200 and accepted.json()["accepted"] == 1
    for external_id in ("SCOPE-OUT-1", "SCOPE-IN-2", "SCOPE-OUT-3"):
        assert _stored(url, "dispute", external_id) == 0
    assert _stored(url, "signal", "SCOPE-SG-1") == 0
    partner_signal = {**signal, "lon": inside["lon"], "lat": inside["lat"]}
    refused = httpx.post(f"{base}/api/v1/signals", json=partner_signal,
                         headers=users["partner"].headers, timeout=120)  # fmt: skip
    assert refused.status_code == 403
    assert _stored(url, "signal", "SCOPE-SG-1") == 0


def test_the_intake_report_never_names_cases_outside_the_scope(served):
    url, base, users = served
    township = users["township"]
    taken = _query(
        url,
        "SELECT d.external_id FROM dispute d JOIN grid g ON g.id = d.grid_id "
        "WHERE NOT starts_with(g.code, :t) ORDER BY d.id LIMIT 1",
        t=township.scope_code,
    )[0]["external_id"]
    inside = _point_inside(url, township.scope_code)
    answer = httpx.post(
        f"{base}/api/v1/disputes",
        json={"records": [_dispute(taken, inside), _dispute("SCOPE-NEW-1", inside)]},
        headers=township.headers,
        timeout=120,
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["already_present"] == 0 and report["already_present_ids"] == []
    assert [(p["row"], p["field"]) for p in report["problems"]] == [(2, "external_id")]
    assert taken not in answer.text
    assert report["accepted"] == 1


def test_lists_keep_to_the_scope_and_are_audited(served):
    url, base, users = served
    grid_leader, partner = users["grid_leader"], users["partner"]
    signals = httpx.get(f"{base}/api/v1/signals", params={"limit": 50000},
                        headers=partner.headers, timeout=120).json()  # fmt: skip
    assert signals["features"] == []
    mine = httpx.get(f"{base}/api/v1/signals", params={"limit": 50000},
                     headers=grid_leader.headers, timeout=120).json()  # fmt: skip
    assert all(f["properties"]["grid"] == grid_leader.scope_code for f in mine["features"])
    year = dt.datetime.now(CHINA).year
    for role in ("grid_leader", "township", "partner"):
        user = users[role]
        status = httpx.get(f"{base}/api/v1/safety", params={"year": year},
                           headers=user.headers, timeout=120)  # fmt: skip
        assert status.status_code == 200, status.text
        body = status.json()
        pieces = [e for u in body["units"] for t in u["titles"].values() for e in t["evidence"]]
        pieces += body["unplaced"]
        for piece in pieces:
            assert role != "partner" and (piece["grid"] or "").startswith(user.scope_code)
    audited = _query(
        url,
        "SELECT object_type, detail FROM audit_log WHERE username = :u AND action = 'read' "
        "AND object_id IS NULL ORDER BY id",
        u=grid_leader.username,
    )
    kinds = [row["object_type"] for row in audited]
    assert kinds == ["signal", "safety_evidence"]
    assert audited[0]["detail"]["count"] == len(mine["features"])
    assert audited[0]["detail"]["filter"]["limit"] == "50000"


def test_handover_notes_go_to_case_roles_in_scope_only(served):
    url, base, users = served
    noted = _query(
        url,
        "SELECT f.admin_code AS unit, d.ends_at FROM duty_shift d JOIN facility f "
        "ON f.id = d.centre_id WHERE d.handover_note IS NOT NULL AND f.kind = 'township_centre' "
        "ORDER BY d.ends_at DESC LIMIT 1",
    )
    assert noted, "the demo roster has handover notes"
    unit, ends_at = noted[0]["unit"], noted[0]["ends_at"]
    at = (ends_at + dt.timedelta(minutes=1)).isoformat()
    start = (ends_at - dt.timedelta(days=1)).isoformat()

    def notes(role: str) -> tuple[list, list]:
        headers = users[role].headers
        duty = httpx.get(f"{base}/api/v1/roster/on-duty", params={"at": at, "centre": unit},
                         headers=headers, timeout=120).json()  # fmt: skip
        shifts = httpx.get(f"{base}/api/v1/roster/shifts",
                           params={"centre": unit, "from": start, "to": at},
                           headers=headers, timeout=120).json()  # fmt: skip
        on_duty = [c["handover"] for c in duty["centres"] if c.get("handover")]
        written = [s["handover_note"] for s in shifts["items"] if s.get("handover_note")]
        return on_duty, written

    centre_notes = notes("county_centre")
    assert centre_notes[0] and centre_notes[1]
    for role in ("viewer", "partner"):
        assert notes(role) == ([], [])
    if not unit.startswith(users["township"].scope_code):
        assert notes("township") == ([], [])
