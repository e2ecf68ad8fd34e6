"""The "8+" forces of the demo county, all synthetic and named as such ("网格长0001（模拟）").

One grid leader per grid and one household leader per ten-household group; village committee
members and a militia member per village serve all of its grids; cadres, party delegates, deputies
and committee members each take a few grids of one township (包片).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo import vocab
from geo.demo.chinese import synthetic_phone

VILLAGE_COMMITTEE_PER_VILLAGE = 3


def build_staff(
    grids: pd.DataFrame,
    groups: pd.DataFrame,
    township_codes: list[str],
    county_code: str,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """Staff rows (code, role, unit_code, phone, grid_codes, household_group_code), and the
    leader's staff code of every grid and of every ten-household group."""
    rows: list[dict] = []
    per_role: dict[str, int] = {}

    def add(role: str, unit: str, grid_codes: list[str], group: str | None = None) -> str:
        per_role[role] = per_role.get(role, 0) + 1
        code = f"{county_code}-S{len(rows) + 1:06d}"
        rows.append(
            {
                "code": code,
                "county_code": county_code,
                "name": f"{vocab.STAFF_ROLES[role]}{per_role[role]:04d}（模拟）",
                "role": role,
                "unit_code": unit,
                "phone": synthetic_phone(int(county_code) % 1000 * 100_000 + len(rows)),
                "grid_codes": grid_codes,
                "household_group_code": group,
            }
        )
        return code

    grid_village = dict(zip(grids["code"], grids["village_code"], strict=True))
    grid_leader = {g: add("grid_leader", grid_village[g], [g]) for g in grids["code"].tolist()}
    group_leader = {
        code: add("household_leader", grid_village[grid], [grid], code)
        for code, grid in zip(groups["code"], groups["grid_code"], strict=True)
    }
    for village, members in grids.groupby("village_code", sort=True)["code"]:
        codes = members.tolist()
        for _ in range(VILLAGE_COMMITTEE_PER_VILLAGE):
            add("village_committee", village, codes)
        add("militia", village, codes)
    n_prefecture = max(1, len(township_codes) // 4)
    for township in township_codes:
        codes = grids.loc[grids["township_code"] == township, "code"].to_numpy()
        n_villages = grids.loc[grids["township_code"] == township, "village_code"].nunique()
        plan = [
            ("county_cadre", township, 2),
            ("party_delegate", township, max(1, n_villages // 3)),
            ("npc_deputy", township, max(1, n_villages // 3)),
            ("cppcc_member", township, max(1, n_villages // 5)),
        ]
        for role, unit, count in plan:
            for _ in range(count):
                k = int(min(len(codes), rng.integers(2, 6)))
                add(role, unit, sorted(rng.choice(codes, size=k, replace=False).tolist()))
    for i in range(n_prefecture):
        township = township_codes[i % len(township_codes)]
        codes = grids.loc[grids["township_code"] == township, "code"].to_numpy()
        k = int(min(len(codes), rng.integers(5, 11)))
        chosen = sorted(rng.choice(codes, size=k, replace=False).tolist())
        add("prefecture_cadre", county_code, chosen)
    return pd.DataFrame(rows), grid_leader, group_leader
