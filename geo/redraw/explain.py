"""A plan in a few Chinese sentences: what it keeps, splits, merges and opens, how many
households change grid, and its three worst deviations with the reason for each."""

from __future__ import annotations

import math


def _reason(village: dict, households: float, target: float, tolerance: float) -> str:
    name = village.get("name") or village["code"]
    total = round(sum(village["households_list"]))
    if not village.get("balance_feasible", True):
        if total < target * (1 - tolerance):
            return f"{name}仅{total}户，无法在村内达到目标{target:g}户 (village too small)"
        grids = len(village["households_list"])
        return (
            f"{name}{total}户分{grids}个网格，任何网格数都无法使每格都在目标±"
            f"{tolerance:.0%}内 (no grid count fits the target)"
        )
    return f"{name}的聚居点不可拆分或地形所限 (settlements kept whole)"


def worst_deviations(villages: list[dict], tolerance: float, top: int = 3) -> list[dict]:
    """The ``top`` grids furthest from their target: name, households, deviation, reason.

    ``villages``: dicts with ``code``, ``name``, ``target``, ``balance_feasible``, ``grids``
    (dicts with ``code``, ``name``, ``households``)."""
    rows = []
    for v in villages:
        target = float(v["target"])
        for g in v["grids"]:
            deviation = (g["households"] - target) / target if target > 0 else 0.0
            rows.append((abs(deviation), deviation, g, v, target))
    rows.sort(key=lambda r: (-r[0], r[2]["code"]))
    out = []
    for _, deviation, g, v, target in rows[:top]:
        if abs(deviation) <= tolerance + 1e-9:
            break
        village = {**v, "households_list": [x["households"] for x in v["grids"]]}
        out.append(
            {
                "code": g["code"],
                "name": g.get("name") or g["code"],
                "households": g["households"],
                "deviation": round(deviation, 4),
                "reason": _reason(village, g["households"], target, tolerance),
            }
        )
    return out


def plan_summary(total: dict, villages: list[dict], tolerance: float) -> str:
    """The Chinese summary of a plan from its county figures and proposed villages."""
    moved = total.get("households_moved", 0)
    share = moved / total["households_total"] if total.get("households_total") else 0.0
    parts = [
        f"共{total['grids']}个网格：保留{total.get('grids_kept', 0) - total.get('grids_split', 0)}"
        f"个，拆分{total.get('grids_split', 0)}个，合并{total.get('grids_merged', 0)}个，"
        f"新增{total.get('grids_new', 0)}个；调整{moved}户（{share:.1%}）。",
        f"{math.floor(total.get('grids_within_tolerance_share', 0) * 100)}%的网格户数在目标±"
        f"{tolerance:.0%}内。",
    ]
    worst = worst_deviations(villages, tolerance)
    if worst:
        listed = "；".join(
            f"{w['name']} {w['households']}户（{w['deviation']:+.0%}）：{w['reason']}"
            for w in worst
        )
        parts.append(f"偏差最大：{listed}。")
    else:
        parts.append("所有网格均在允许偏差内。")
    return "".join(parts)
