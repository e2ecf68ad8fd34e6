"""The demo county's "8+" forces: Lintan's published numbers by role, placed in the grids."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import text

from demo.staff import PUBLISHED_FORCES, build_staff, forces_for

LINTAN = {
    "prefecture_cadre": 1077, "county_cadre": 2431, "party_delegate": 447, "npc_deputy": 236,
    "cppcc_member": 79, "village_committee": 1085, "militia": 59, "grid_leader": 770,
    "household_leader": 1995,
}  # fmt: skip


def test_the_generated_forces_match_the_published_numbers(demo_county):
    staff = demo_county.staff
    assert staff["role"].value_counts().to_dict() == LINTAN
    assert len(staff) == 8179  # 8,158 people, 21 of whom hold two roles
    assert staff["name"].str.endswith("（模拟）").all()
    county_units = staff.loc[staff["role"] == "prefecture_cadre", "unit_code"]
    assert (county_units == "623021").all()
    townships = set(demo_county.admin_units.query("level == 'township'")["code"])
    for role in ("county_cadre", "party_delegate", "npc_deputy", "cppcc_member", "militia"):
        assert set(staff.loc[staff["role"] == role, "unit_code"]) <= townships
    served = staff.explode("grid_codes")
    committee = served[served["role"] == "village_committee"]
    assert set(committee["grid_codes"]) == set(demo_county.grids["code"])


def test_the_demo_database_holds_them(demo_db):
    rows = demo_db.execute(text("SELECT role, count(*) FROM staff GROUP BY role")).all()
    assert dict(rows) == LINTAN
    missing = demo_db.execute(
        text("SELECT count(*) FROM staff s LEFT JOIN staff_contact c ON c.staff_id = s.id "
             "WHERE c.phone IS NULL")
    ).scalar_one()  # fmt: skip
    assert missing == 0


def test_other_counties_are_scaled_by_villages():
    assert forces_for("623021", 147) == {k: v for k, v in PUBLISHED_FORCES["623021"].items()
                                         if k != "villages"}  # fmt: skip
    scaled = forces_for("990101", 14)
    assert scaled["county_cadre"] == round(2431 * 14 / 147) and scaled["militia"] >= 1
    grids = pd.DataFrame(
        {"code": ["G1", "G2", "G3"], "village_code": ["V1", "V1", "V2"],
         "township_code": ["T1", "T1", "T1"]}
    )  # fmt: skip
    groups = pd.DataFrame({"code": ["H1"], "grid_code": ["G3"]})
    staff, leaders, group_leaders = build_staff(grids, groups, ["T1"], "990101",
                                                np.random.default_rng(1))  # fmt: skip
    assert set(leaders) == {"G1", "G2", "G3"} and set(group_leaders) == {"H1"}
    assert (staff["role"] == "village_committee").sum() >= 3
