"""Staff contact details come only through the role door (real PostGIS, each role)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.errors import InvalidRequest
from geo.disputes import workflow
from geo.staff.directory import contact_details, list_staff, with_contacts
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    COUNTY,
    DONGSHAN,
    GRID,
    XINCHENG,
    build_world,
)
from tests.geo.staff.staff_factories import add_person, set_contact


@pytest.fixture
def people(db):
    world = build_world(db)
    set_contact(db, f"GL-{DONGSHAN}", "13900000001", "62302119800101001X")
    set_contact(db, f"GL-{CHIGOU}", "13900000002")
    set_contact(db, "HL-1", "13900000003")
    add_person(db, "CC-1", "county_cadre", XINCHENG, grids=(GRID[DONGSHAN],),
               phone="13900000004")  # fmt: skip
    add_person(db, "PC-1", "prefecture_cadre", COUNTY, grids=(GRID[CHIGOU],),
               phone="13900000005")  # fmt: skip
    ids = dict(db.execute(text("SELECT code, id FROM staff")).all())
    return world, ids


def visible(db, ids, role, scope) -> set[str]:
    by_id = {v: k for k, v in ids.items()}
    found = contact_details(session=db, staff_ids=list(ids.values()), role=role, scope=scope)
    return {by_id[i] for i in found}


def test_county_centre_sees_everyone_and_id_numbers(db, people):
    _, ids = people
    assert visible(db, ids, "county_centre", None) == set(ids)
    assert visible(db, ids, "county_centre", COUNTY) == set(ids)
    assert visible(db, ids, "county_centre", "990101") == set()
    found = contact_details(session=db, staff_ids=[ids[f"GL-{DONGSHAN}"]],
                            role="county_centre", scope=None)  # fmt: skip
    assert found[ids[f"GL-{DONGSHAN}"]]["id_number"] == "62302119800101001X"


def test_township_sees_the_people_of_its_township_without_id_numbers(db, people):
    _, ids = people
    assert visible(db, ids, "township", XINCHENG) == {f"GL-{DONGSHAN}", "CC-1"}
    found = contact_details(session=db, staff_ids=[ids[f"GL-{DONGSHAN}"]],
                            role="township", scope=XINCHENG)  # fmt: skip
    assert found[ids[f"GL-{DONGSHAN}"]] == {"phone": "13900000001", "id_number": None}


def test_grid_leader_sees_the_people_of_its_grid(db, people):
    _, ids = people
    assert visible(db, ids, "grid_leader", GRID[CHIGOU]) == {f"GL-{CHIGOU}", "HL-1", "PC-1"}
    assert visible(db, ids, "grid_leader", GRID[DONGSHAN]) == {f"GL-{DONGSHAN}", "CC-1"}


def test_partner_sees_only_the_leaders_of_grids_with_its_open_cases(db, people):
    world, ids = people
    assert visible(db, ids, "partner", "cs-y") == set()
    case = world.one(external_id="SC-1", address="冶力关镇池沟村1组1号")
    workflow.transition(session=db, dispute_id=case, to="routed", version=1, actor="t",
                        facility="cs-y")  # fmt: skip
    assert visible(db, ids, "partner", "cs-y") == {f"GL-{CHIGOU}", "HL-1"}
    assert visible(db, ids, "partner", "ps-y") == set()


def test_viewer_and_unknown_roles(db, people):
    _, ids = people
    assert visible(db, ids, "viewer", None) == set()
    assert visible(db, ids, "township", None) == set()
    with pytest.raises(InvalidRequest):
        contact_details(session=db, staff_ids=[1], role="admin", scope=None)


def test_listings_carry_no_contacts_until_the_door_adds_them(db, people):
    page = list_staff(session=db, county=COUNTY, township=XINCHENG)
    assert {i["code"] for i in page["items"]} == {f"GL-{DONGSHAN}", "CC-1"}
    assert all("phone" not in i for i in page["items"])
    with_contacts(session=db, items=page["items"], role="viewer", scope=None)
    assert all(i["contact"] == "restricted" for i in page["items"])
    everyone = list_staff(session=db, county=COUNTY, scope_area=GRID[CHIGOU])
    with_contacts(session=db, items=everyone["items"], role="grid_leader", scope=GRID[CHIGOU])
    assert {i["code"]: i.get("phone") for i in everyone["items"]} == {
        f"GL-{CHIGOU}": "13900000002",
        "HL-1": "13900000003",
        "PC-1": "13900000005",
    }
