"""Staff, coverage, roster, ledger and safety over real HTTP (uvicorn) on the demo county.

Roles (tests/api/conftest.py): county_centre (no scope), township (the first township with
grids), grid_leader (its first grid), partner (a police station), viewer.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook

CHINA = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server, timeout=120) as http:
        yield http


@pytest.fixture(scope="module")
def scopes(demo_users):
    return {role: user.scope_code for role, user in demo_users.items()}


def test_everything_needs_a_login(client):
    for path in (
        "/api/v1/staff",
        "/api/v1/staff/coverage",
        "/api/v1/roster/on-duty",
        "/api/v1/safety?year=2025",
        "/api/v1/ledger.xlsx?from=2026-01-01&to=2026-01-31",
    ):
        assert client.get(path).status_code == 401, path  # fmt: skip


def _grid_people(client, headers, grid):
    response = client.get("/api/v1/staff", params={"grid": grid, "limit": 500}, headers=headers)
    assert response.status_code == 200
    return {i["code"]: i for i in response.json()["items"]}


def test_contact_details_by_role(client, auth_headers, scopes):
    grid = scopes["grid_leader"]
    centre = _grid_people(client, auth_headers["county_centre"], grid)
    assert centre and all(i["phone"].startswith("000") for i in centre.values())
    assert all(i["name"].endswith("（模拟）") for i in centre.values())
    township = _grid_people(client, auth_headers["township"], grid)
    assert set(township) == set(centre) and all("phone" in i for i in township.values())
    assert all("id_number" not in i for i in township.values())
    leader = _grid_people(client, auth_headers["grid_leader"], grid)
    assert set(leader) == set(centre) and all("phone" in i for i in leader.values())
    viewer = _grid_people(client, auth_headers["viewer"], grid)
    assert set(viewer) == set(centre)
    assert all(i["contact"] == "restricted" and "phone" not in i for i in viewer.values())
    partner = _grid_people(client, auth_headers["partner"], grid)
    assert all("phone" not in i or i["role"] in ("grid_leader", "household_leader")
               for i in partner.values())  # fmt: skip


def test_a_township_user_sees_only_its_township(client, auth_headers, scopes):
    other = client.get(
        "/api/v1/staff", params={"township": "623021101", "limit": 1},
        headers=auth_headers["county_centre"],
    ).json()["items"][0]  # fmt: skip
    assert not scopes["township"].startswith("623021101")
    hidden = client.get(f"/api/v1/staff/{other['code']}", headers=auth_headers["township"])
    assert hidden.status_code == 404
    shown = client.get(f"/api/v1/staff/{other['code']}", headers=auth_headers["county_centre"])
    assert shown.status_code == 200 and "phone" in shown.json()
    mine = client.get("/api/v1/staff", params={"limit": 5000},
                      headers=auth_headers["township"]).json()  # fmt: skip
    assert mine["matched"] < 8179
    assert all(
        (i["unit_code"] or "").startswith(scopes["township"])
        or any(g.startswith(scopes["township"]) for g in i["grids"])
        for i in mine["items"]
    )


def test_coverage_of_the_demo_county(client, auth_headers, scopes):
    everything = client.get("/api/v1/staff/coverage", headers=auth_headers["viewer"]).json()
    assert everything["grids"] == 770 and everything["flagged"] == 0 and everything["synthetic"]
    first = everything["items"][0]
    assert {"forces", "households_per_person", "missing", "leader"} <= set(first)
    township = client.get("/api/v1/staff/coverage", headers=auth_headers["township"]).json()
    assert 0 < township["grids"] < 770
    assert all(g["code"].startswith(scopes["township"]) for g in township["items"])
    flagged = client.get("/api/v1/staff/coverage", params={"flagged": "true"},
                         headers=auth_headers["county_centre"]).json()  # fmt: skip
    assert flagged["items"] == []


def test_on_duty_across_the_morning_handover(client, auth_headers, scopes):
    township = scopes["township"]
    before = dt.datetime(2026, 6, 1, 7, 59, tzinfo=CHINA).isoformat()
    after = dt.datetime(2026, 6, 1, 8, 0, tzinfo=CHINA).isoformat()
    headers = auth_headers["township"]
    night = client.get("/api/v1/roster/on-duty", params={"at": before, "centre": township},
                       headers=headers).json()  # fmt: skip
    day = client.get("/api/v1/roster/on-duty", params={"at": after, "centre": township},
                     headers=headers).json()  # fmt: skip
    assert len(night["centres"]) == len(day["centres"]) == 1
    night_people = night["centres"][0]["on_duty"]
    day_people = day["centres"][0]["on_duty"]
    assert [p["post"] for p in night_people] == [p["post"] for p in day_people] == [
        "leader", "officer",
    ]  # fmt: skip
    assert {p["shift_id"] for p in night_people}.isdisjoint(p["shift_id"] for p in day_people)
    assert night_people[0]["to"] == day_people[0]["from"]
    assert all("phone" in p for p in day_people)
    viewer = client.get("/api/v1/roster/on-duty", params={"at": after, "centre": township},
                        headers=auth_headers["viewer"]).json()  # fmt: skip
    assert all("phone" not in p for p in viewer["centres"][0]["on_duty"])
    assert client.get("/api/v1/roster/on-duty", params={"at": "2026-06-01T08:00"},
                      headers=headers).status_code == 422  # fmt: skip


def test_ledger_workbook_over_http(client, auth_headers, scopes):
    params = {"from": "2026-01-01", "to": "2026-09-30"}
    response = client.get("/api/v1/ledger.xlsx", params=params, headers=auth_headers["township"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["化解台账", "统计报表"]
    assert scopes["township"] in book["统计报表"]["A2"].value
    stats = client.get(
        "/api/v1/stats",
        params={"level": "township", "code": scopes["township"],
                "from": "2026-01-01T00:00:00+08:00", "to": "2026-10-01T00:00:00+08:00"},
        headers=auth_headers["township"],
    ).json()  # fmt: skip
    total = next(r for r in book["统计报表"].iter_rows(values_only=True) if r[0] == "合计")
    assert total[0] == "合计" and total[3:5] == (stats["screened"], stats["resolved"])
    assert client.get("/api/v1/ledger.xlsx", params=params,
                      headers=auth_headers["viewer"]).status_code == 403  # fmt: skip
    other = {**params, "unit": "623021101"}
    assert client.get("/api/v1/ledger.xlsx", params=other,
                      headers=auth_headers["township"]).status_code == 403  # fmt: skip
    report = client.get("/api/v1/ledger/report", params=params,
                        headers=auth_headers["county_centre"]).json()  # fmt: skip
    assert report["unit"] == "623021" and report["rows"][-1]["kind"] == "total"


def test_safety_status_and_table(client, auth_headers):
    centre = client.get("/api/v1/safety", params={"year": 2025},
                        headers=auth_headers["county_centre"]).json()  # fmt: skip
    assert not centre["provisional"] and len(centre["units"]) == 16 + 147
    some = [u for u in centre["units"] if not u["qualifies"]]
    assert some and all(isinstance(t["evidence"], list) for u in some for t in u["titles"].values())
    viewer = client.get("/api/v1/safety", params={"year": 2025},
                        headers=auth_headers["viewer"]).json()  # fmt: skip
    assert all("count" in t["evidence"] for u in viewer["units"] for t in u["titles"].values())
    table = client.get("/api/v1/safety/table", params={"year": 2025},
                       headers=auth_headers["viewer"]).json()  # fmt: skip
    assert table["synthetic"] and len(table["rows"]) == 163


def test_dispatch_draws_on_the_roster_and_the_forces(client, auth_headers):
    centre = auth_headers["county_centre"]
    case = client.get("/api/v1/disputes", params={"limit": 1},
                      headers=centre).json()["features"][0]  # fmt: skip
    found = client.get(f"/api/v1/disputes/{case['id']}/dispatch", headers=centre).json()
    forces = found["forces"]
    assert forces["roles"][0] == "village_committee"
    assert forces["nearest"] and forces["nearest"][0]["role"] == "village_committee"


def test_command_room_layers(client, auth_headers):
    for layer in ("coverage", "safety", "on_duty"):
        body = client.get(f"/api/v1/maps/layers/{layer}",
                          headers=auth_headers["township"]).json()  # fmt: skip
        assert body["type"] == "FeatureCollection" and body["wangge"]["layer"] == layer
    coverage = client.get("/api/v1/maps/layers/coverage", headers=auth_headers["viewer"]).json()
    assert len(coverage["features"]) == 770 and coverage["wangge"]["synthetic"]
