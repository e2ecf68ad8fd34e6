"""The "8+" forces of the demo county, all synthetic and named as such ("网格长0001（模拟）").

Lintan's centre reported 8,158 people in its grids; the parts it listed are 1,077 prefecture
cadres, 2,431 county cadres, 447 party congress delegates, 236 people's congress deputies,
79 CPPCC members, 1,085 village committee members, 59 militia, 770 grid leaders and 1,995
household leaders. Those parts add up to 8,179: the published total counts the 21 people who
hold two of these roles once. The demo has one row per role held, so it carries the parts
exactly (:data:`PUBLISHED_FORCES`). Any other county gets the per-village averages of
Lintan scaled to its number of villages.

How they are placed ("下沉村社、编入网格、进入户舍"):

- one grid leader per grid and one household leader per ten-household group;
- village committee members: every village gets at least one per grid, the rest go to the
  villages with more grids; member *k* of a village serves its grid *k* (round robin), so
  every grid has one;
- militia: a township's emergency squad, shared among townships by their number of grids;
  each member serves the grids of one to three villages of the township;
- prefecture and county cadres, delegates, deputies and CPPCC members: shared among
  townships by their number of grids; each takes two to five grids of one township (包片).
  Prefecture cadres have the county as their unit, the others their township.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core import vocab
from demo.chinese import synthetic_phone
from demo.profile import apportion

PUBLISHED_FORCES: dict[str, dict[str, int]] = {
    "623021": {
        "villages": 147,
        "prefecture_cadre": 1077,
        "county_cadre": 2431,
        "party_delegate": 447,
        "npc_deputy": 236,
        "cppcc_member": 79,
        "village_committee": 1085,
        "militia": 59,
    }
}
# Grid leaders and household leaders are not listed: one per grid and one per group.
TOWNSHIP_ROLES = ("county_cadre", "party_delegate", "npc_deputy", "cppcc_member")


def forces_for(county_code: str, n_villages: int) -> dict[str, int]:
    """How many people of each role (other than grid and household leaders) a county gets."""
    published = PUBLISHED_FORCES.get(county_code)
    if published is not None and published["villages"] == n_villages:
        return {role: n for role, n in published.items() if role != "villages"}
    reference = PUBLISHED_FORCES["623021"]
    return {
        role: max(1, round(n * n_villages / reference["villages"]))
        for role, n in reference.items()
        if role != "villages"
    }


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
    counts = forces_for(county_code, int(grids["village_code"].nunique()))

    villages = grids.groupby("village_code", sort=True)["code"].agg(list)
    village_sizes = villages.map(len).to_numpy()
    extra = max(0, counts["village_committee"] - int(village_sizes.sum()))
    committee = village_sizes + apportion(extra, village_sizes)
    for (village, codes), n in zip(villages.items(), committee, strict=True):
        for k in range(int(n)):
            add("village_committee", village, [codes[k % len(codes)]])

    township_grids = {
        t: grids.loc[grids["township_code"] == t, "code"].to_numpy() for t in township_codes
    }
    township_villages = {
        t: grids.loc[grids["township_code"] == t]
        .groupby("village_code", sort=True)["code"]
        .agg(list)
        for t in township_codes
    }
    weights = np.array([len(township_grids[t]) for t in township_codes], dtype=float)

    militia = apportion(counts["militia"], weights)
    for township, n in zip(township_codes, militia, strict=True):
        by_village = township_villages[township]
        for _ in range(int(n)):
            k = int(min(len(by_village), rng.integers(1, 4)))
            chosen = rng.choice(len(by_village), size=k, replace=False)
            served = sorted(g for i in chosen for g in by_village.iloc[int(i)])
            add("militia", township, served)

    for role in (*TOWNSHIP_ROLES, "prefecture_cadre"):
        shares = apportion(counts[role], weights)
        for township, n in zip(township_codes, shares, strict=True):
            codes = township_grids[township]
            unit = county_code if role == "prefecture_cadre" else township
            for _ in range(int(n)):
                k = int(min(len(codes), rng.integers(2, 6)))
                add(role, unit, sorted(rng.choice(codes, size=k, replace=False).tolist()))
    return pd.DataFrame(rows), grid_leader, group_leader
