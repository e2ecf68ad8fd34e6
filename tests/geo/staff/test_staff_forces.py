"""Dispatch draws on the people: on duty now at the case's centres, the nearest forces of the
kinds the case needs (real PostGIS, the small county, rolled back)."""

from __future__ import annotations

import datetime as dt

from geo.disputes.dispatch import recommend
from geo.staff import roster
from geo.staff.forces import force_roles
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    DONGSHAN,
    GRID,
    XINCHENG,
    YELIGUAN,
    address_point,
    build_world,
)
from tests.geo.staff.staff_factories import add_person


def test_force_roles_by_severity_and_violence():
    assert force_roles(severity="minor", partners=["mediation_committee"]) == ["village_committee"]
    assert force_roles(severity="serious", partners=[]) == ["village_committee", "county_cadre"]
    assert force_roles(severity="critical", partners=["police_station"]) == [
        "village_committee", "county_cadre", "prefecture_cadre", "militia",
    ]  # fmt: skip


def test_dispatch_names_who_is_on_duty_and_the_nearest_forces(db):
    world = build_world(db)
    add_person(db, "VC-C", "village_committee", CHIGOU, grids=(GRID[CHIGOU],))
    add_person(db, "VC-D", "village_committee", DONGSHAN, grids=(GRID[DONGSHAN],))
    add_person(db, "MI-D", "militia", XINCHENG, grids=(GRID[DONGSHAN],))
    add_person(db, "CC-D", "county_cadre", XINCHENG, grids=(GRID[DONGSHAN],))
    add_person(db, "DUTY-Y", "county_cadre", YELIGUAN)
    add_person(db, "DUTY-X", "county_cadre", XINCHENG)
    now, hour = dt.datetime.now(dt.UTC), dt.timedelta(hours=1)
    for code, centre in (("DUTY-Y", "tc-y"), ("DUTY-X", "tc-x")):
        roster.add_shift(session=db, centre=centre, staff_code=code, post="leader",
                         start=now - hour, end=now + hour)  # fmt: skip
    lon, lat = address_point(CHIGOU, 2, 2)
    case = world.one(external_id="FD-1", lon=lon, lat=lat, severity="serious",
                     description="邻里纠纷，一方持械威胁")  # fmt: skip
    forces = recommend(session=db, dispute_id=case)["forces"]
    assert [c["centre"] for c in forces["on_duty"]] == ["tc-y"]  # its township only
    assert forces["on_duty"][0]["on_duty"][0]["staff_code"] == "DUTY-Y"
    assert forces["roles"] == ["village_committee", "county_cadre", "militia"]
    nearest = {(f["role"], f["code"]): f for f in forces["nearest"]}
    # the committee member of the case's grid first, then the next village's
    committee = [f["code"] for f in forces["nearest"] if f["role"] == "village_committee"]
    assert committee == ["VC-C", "VC-D"]
    assert nearest[("village_committee", "VC-C")]["serves_grid"]
    assert nearest[("village_committee", "VC-C")]["distance_m"] == 0
    far = nearest[("militia", "MI-D")]
    assert not far["serves_grid"] and far["distance_m"] > 1000
    assert ("county_cadre", "CC-D") in nearest
    ranking_only = recommend(session=db, dispute_id=case, with_forces=False)
    assert "forces" not in ranking_only and ranking_only["recommendations"]
