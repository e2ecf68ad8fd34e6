"""A case intake routes to a village (位置待核实) over real HTTP on a copy of the demo county:
the case and its dispatch list the village centre and grid leaders, the village's township
sees it, a grid leader and a partner do not."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from geo.database.engine import make_engine


@pytest.fixture
def routed_case(fresh_demo_url, start_server, role_users):
    base = start_server(fresh_demo_url)
    users = role_users(fresh_demo_url)
    township = users["township"].scope_code
    engine = make_engine(fresh_demo_url, pool_size=1)
    with engine.connect() as conn:
        village = conn.execute(
            text(
                "SELECT v.code, v.short_name AS village, t.short_name AS township"
                " FROM admin_unit v JOIN admin_unit t ON t.code = v.parent_code"
                " WHERE v.parent_code = :t AND v.short_name LIKE '%村'"
                "   AND EXISTS (SELECT 1 FROM grid g WHERE g.village_code = v.code"
                "               AND g.valid_to IS NULL AND g.leader_id IS NOT NULL)"
                "   AND (SELECT count(*) FROM admin_unit o WHERE o.short_name = v.short_name) = 1"
                " ORDER BY v.code LIMIT 1"
            ),
            {"t": township},
        ).one()
        leaders = conn.execute(
            text(
                "SELECT g.code FROM grid g WHERE g.village_code = :v AND g.valid_to IS NULL"
                ' AND g.leader_id IS NOT NULL ORDER BY g.code COLLATE "C"'
            ),
            {"v": village.code},
        ).scalars()
        grids = list(leaders)
    engine.dispose()
    headers = {role: user.headers for role, user in users.items()}
    with httpx.Client(base_url=base, timeout=60) as http:
        record = {
            "external_id": "ROUTED-1",
            "reported_at": "2026-11-20 09:30",
            "category": "邻里纠纷",
            "address": f"{village.township}{village.village}村委会旁边",
            "description": "（模拟）",
        }
        created = http.post("/api/v1/disputes", json=record, headers=headers["county_centre"])
        assert created.status_code == 200, created.text
        assert created.json()["location_unverified"] == 1
        yield http, headers, created.json()["ids"][0]["id"], village.code, grids


def test_the_case_lists_its_village_centre_and_grid_leaders(routed_case):
    http, headers, dispute_id, village, grids = routed_case
    case = http.get(f"/api/v1/disputes/{dispute_id}", headers=headers["county_centre"])
    assert case.status_code == 200, case.text
    props = case.json()["properties"]
    assert props["grid"] is None and props["location_status"] == "位置待核实"
    candidates = props["location_candidates"]
    assert candidates["unit"] == village and candidates["level_words"] == "村/社区 village"
    assert candidates["centre"]["kind"] == "village_centre"
    assert [leader["grid_code"] for leader in candidates["grid_leaders"]] == grids
    assert all(leader["name"] for leader in candidates["grid_leaders"])

    ranked = http.get(f"/api/v1/disputes/{dispute_id}/dispatch", headers=headers["township"])
    assert ranked.status_code == 200, ranked.text
    body = ranked.json()
    assert body["village"] == village
    assert body["recommendations"][0]["code"] == candidates["centre"]["code"]
    assert body["location_candidates"]["grid_leaders"] == candidates["grid_leaders"]


def test_the_township_sees_it_a_grid_leader_and_a_partner_do_not(routed_case):
    http, headers, dispute_id, _village, _grids = routed_case
    township = http.get(f"/api/v1/disputes/{dispute_id}", headers=headers["township"])
    assert township.status_code == 200
    for role in ("grid_leader", "partner"):
        assert http.get(f"/api/v1/disputes/{dispute_id}", headers=headers[role]).status_code in (
            403,
            404,
        ), role
    assert http.get(f"/api/v1/disputes/{dispute_id}", headers=headers["viewer"]).status_code == 403
