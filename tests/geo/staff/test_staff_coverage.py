"""Coverage of the grids by the forces and the grids missing a required role (real PostGIS)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from geo.staff.coverage import grid_coverage, missing_roles
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    COUNTY,
    DONGSHAN,
    GRID,
    XINCHENG,
    build_world,
)
from tests.geo.staff.staff_factories import add_person


@pytest.fixture
def county(db):
    build_world(db)
    # 池沟's grid: 25 households in two groups, HG-1 led by HL-1, HG-2 without a leader
    db.execute(text("UPDATE grid SET households = 25 WHERE code = :g"), {"g": GRID[CHIGOU]})
    db.execute(
        text(
            "INSERT INTO household_group (code, county_code, grid_id, households, geom) "
            "SELECT 'HG-2', :county, id, 15, geom FROM grid WHERE code = :g"
        ),
        {"county": COUNTY, "g": GRID[CHIGOU]},
    )
    add_person(db, "CC-1", "county_cadre", XINCHENG, grids=(GRID[DONGSHAN], GRID[CHIGOU]))
    add_person(db, "VC-1", "village_committee", CHIGOU, grids=(GRID[CHIGOU],))
    return db


def by_code(result: dict) -> dict[str, dict]:
    return {g["code"]: g for g in result["items"]}


def test_forces_and_households_per_person(county):
    grids = by_code(grid_coverage(session=county, county=COUNTY))
    chigou = grids[GRID[CHIGOU]]
    assert chigou["forces"]["grid_leader"] == 1
    assert chigou["forces"]["household_leader"] == 1
    assert chigou["forces"]["county_cadre"] == 1 and chigou["forces"]["village_committee"] == 1
    assert chigou["people"] == 4 and chigou["households_per_person"] == 6.2  # 25 / 4
    assert chigou["household_groups"] == 2
    dongshan = grids[GRID[DONGSHAN]]
    assert dongshan["people"] == 2 and dongshan["households"] == 0
    assert dongshan["households_per_person"] == 0.0


def test_grids_missing_a_required_role_are_flagged(county):
    result = grid_coverage(session=county, county=COUNTY)
    grids = by_code(result)
    assert grids[GRID[CHIGOU]]["missing"] == ["household_leader"]
    assert grids[GRID[CHIGOU]]["groups_without_leader"] == ["HG-2"]
    assert grids[GRID[DONGSHAN]]["missing"] == []  # no households yet: no groups needed
    # 东山 loses its leader and gets households but no group
    county.execute(
        text("UPDATE grid SET leader_id = NULL, households = 12 WHERE code = :g"),
        {"g": GRID[DONGSHAN]},
    )
    again = grid_coverage(session=county, county=COUNTY)
    assert by_code(again)[GRID[DONGSHAN]]["missing"] == ["grid_leader", "household_groups"]
    assert again["flagged"] == 2
    assert again["missing"] == {"grid_leader": 1, "household_leader": 1, "household_groups": 1}


def test_a_leader_of_the_wrong_role_does_not_count(county):
    county.execute(
        text("UPDATE grid SET leader_id = (SELECT id FROM staff WHERE code = 'CC-1') "
             "WHERE code = :g"),
        {"g": GRID[CHIGOU]},
    )  # fmt: skip
    county.execute(
        text("UPDATE household_group SET leader_id = (SELECT id FROM staff WHERE code = 'VC-1')"
             " WHERE code = 'HG-2'"),
    )  # fmt: skip
    grid = by_code(grid_coverage(session=county, county=COUNTY))[GRID[CHIGOU]]
    assert grid["missing"] == ["grid_leader", "household_leader"]
    assert grid["groups_without_leader"] == ["HG-2"] and grid["leader"] is None


def test_scope_and_filters(county):
    scoped = grid_coverage(session=county, county=COUNTY, scope_area=XINCHENG)
    assert [g["code"] for g in scoped["items"]] == [GRID[DONGSHAN]]
    assert grid_coverage(session=county, county=COUNTY, village=CHIGOU)["grids"] == 1
    assert grid_coverage(session=county, county="990101")["grids"] == 0


def test_missing_roles_rule():
    ok = {"leader_code": "x", "leader_role": "grid_leader", "groups_without_leader": [],
          "households": 10, "household_groups": 1}  # fmt: skip
    assert missing_roles(ok) == []
    assert missing_roles({**ok, "households": 0, "household_groups": 0}) == []
    assert missing_roles({**ok, "household_groups": 0}) == ["household_groups"]
    assert missing_roles({**ok, "leader_code": None}) == ["grid_leader"]


def test_the_demo_county_is_fully_covered(demo_db):
    result = grid_coverage(session=demo_db, county="623021")
    assert result["grids"] == 770 and result["flagged"] == 0 and result["synthetic"]
    assert all(g["forces"]["village_committee"] >= 1 for g in result["items"])
    assert sum(g["household_groups"] for g in result["items"]) == 1995
    demo_db.execute(
        text("UPDATE household_group SET leader_id = NULL WHERE code = "
             "(SELECT min(code) FROM household_group WHERE valid_to IS NULL)")
    )  # fmt: skip
    assert grid_coverage(session=demo_db, county="623021")["flagged"] == 1
