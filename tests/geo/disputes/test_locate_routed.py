"""Cases without a certain grid (位置待核实) list their unit's centre and grid leaders, in the
dispatch recommendation too, with phones only for callers who may see them.

The small county of :mod:`tests.geo.disputes.disputes_factories` (东山村 of 新城镇 and
池沟村 of 冶力关镇, one grid each, a centre per village and township).
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from geo.disputes import dispatch
from geo.disputes.routed import routed_candidates
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    DONGSHAN,
    GRID,
    XINCHENG,
    YELIGUAN,
    address_point,
    build_world,
)
from tests.geo.staff.staff_factories import set_contact

LEADER = f"GL-{DONGSHAN}"


@pytest.fixture
def world(db):
    return build_world(db)


def _village_case(world) -> int:
    return world.one(external_id="R-1", address="新城镇东山村村委会旁边")


def test_a_case_routed_to_a_village_lists_its_centre_and_grid_leaders(world):
    found = dispatch.recommend(
        session=world.session, dispute_id=_village_case(world), with_forces=False
    )
    assert found["grid"] is None
    assert (found["village"], found["township"]) == (DONGSHAN, XINCHENG)
    first = found["recommendations"][0]
    assert (first["role"], first["code"], first["jurisdiction"]) == (
        "village_centre", "vc-d", "village"
    )  # fmt: skip
    assert "位置待核实" in first["reason"]
    candidates = found["location_candidates"]
    assert (candidates["unit"], candidates["level"], candidates["status"]) == (
        DONGSHAN, "village", "位置待核实"
    )  # fmt: skip
    assert candidates["centre"]["code"] == "vc-d" and candidates["centre"]["lon"] == 103.315
    assert candidates["grid_leaders"] == [
        {
            "code": LEADER,
            "name": "网格长208（模拟）",
            "grid_code": GRID[DONGSHAN],
            "grid_name": "东山村民委员会网格",
            "open_workload": 0,
            "contact": "restricted",
        }
    ]


def test_a_case_routed_to_a_township_lists_the_township_centre(world):
    case = world.one(external_id="T-1", address="新城镇街上")
    found = routed_candidates(session=world.session, unit_code=XINCHENG)
    assert found["level_words"] == "乡镇 township" and found["centre"]["code"] == "tc-x"
    assert [leader["grid_code"] for leader in found["grid_leaders"]] == [GRID[DONGSHAN]]
    ranked = dispatch.recommend(session=world.session, dispute_id=case, with_forces=False)
    assert ranked["township"] == XINCHENG and ranked["village"] is None
    assert ranked["location_candidates"]["unit"] == XINCHENG
    assert "vc-d" not in [r["code"] for r in ranked["recommendations"]]


def test_phones_only_for_callers_who_may_call_the_leader(world):
    set_contact(world.session, LEADER, "13900000208", "620000199001010000")
    case = _village_case(world)

    def leader(role, scope):
        found = dispatch.recommend(
            session=world.session,
            dispute_id=case,
            with_forces=False,
            caller_role=role,
            caller_scope=scope,
        )
        return found["location_candidates"]["grid_leaders"][0]

    township = leader("township", XINCHENG)
    assert township["phone"] == "13900000208"
    assert "id_number" not in township and "contact" not in township
    for role, scope in (
        ("viewer", None),
        ("township", YELIGUAN),
        ("grid_leader", GRID[CHIGOU]),
        ("partner", "ps-y"),
    ):
        seen = leader(role, scope)
        assert seen["contact"] == "restricted" and "phone" not in seen, (role, scope)


def test_map_suggestions_send_a_routed_case_to_its_village_centre(world):
    routed = _village_case(world)
    lon, lat = address_point(CHIGOU, 1, 1)
    on_grid = world.one(external_id="G-1", lon=lon, lat=lat)
    heads = dispatch.top_suggestions(session=world.session, dispute_ids=[routed, on_grid], top=2)
    assert heads[routed][0]["code"] == "vc-d"
    assert heads[on_grid][0]["code"] == f"GL-{CHIGOU}"
    full = dispatch.recommend(session=world.session, dispute_id=routed, with_forces=False)
    assert [r["code"] for r in full["recommendations"][:2]] == [h["code"] for h in heads[routed]]


def test_a_case_on_a_grid_has_no_location_candidates(world):
    lon, lat = address_point(CHIGOU, 1, 1)
    case = world.one(external_id="G-2", lon=lon, lat=lat)
    found = dispatch.recommend(session=world.session, dispute_id=case, with_forces=False)
    assert "location_candidates" not in found
    assert routed_candidates(session=world.session, unit_code=None) is None


def test_a_village_centre_point_names_no_ten_household_leader(world):
    """池沟村's ten-household group grown over the whole village: its village-level point
    falls in the group, but without a grid the point is only the village's, so no 十户长."""
    world.session.execute(
        text(
            "UPDATE household_group SET geom = ST_Multi(ST_MakeEnvelope(:w, :s, :e, :n, 4326))"
            " WHERE code = 'HG-1'"
        ),
        {"w": 103.38, "s": 34.70, "e": 103.41, "n": 34.73},
    )
    case = world.one(external_id="R-2", address="冶力关镇池沟村村委会旁边")
    found = dispatch.recommend(session=world.session, dispute_id=case, with_forces=False)
    assert "household_leader" not in [r["role"] for r in found["recommendations"]]
    heads = dispatch.top_suggestions(session=world.session, dispute_ids=[case], top=5)
    assert "household_leader" not in [h["role"] for h in heads[case]]
