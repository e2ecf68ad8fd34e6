"""A plan in a few Chinese sentences: what it keeps, splits, merges and opens, how many
households change grid, its three worst deviations with the reason for each, and the shape
rules it leaves broken (strips thinner than the minimum, settlements split that a grid could
hold) with the reason for each."""

from __future__ import annotations

import math

# Why a shape rule took a grid out of the band, in Chinese with English beside.
BAND_REASONS = {
    "settlement": "居民点不可拆分 (settlements are kept whole)",
    "min_width": "网格不得有宽不足100米的狭长部分 (no strip thinner than 100 m)",
}


def _reason(
    village: dict, households: float, target: float, tolerance: float, grid: dict | None = None
) -> str:
    name = village.get("name") or village["code"]
    if grid is not None and grid.get("band_exception") in BAND_REASONS:
        return BAND_REASONS[grid["band_exception"]]
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


# Why the shape repair (geo/redraw/repair.py) left a rule broken, in Chinese with English beside.
SHAPE_REASONS = {
    "village": "村域本身在此过窄 (the village itself is narrow there)",
    "balance": "调整会使网格户数超出允许范围 (no move keeps the grids in band)",
    "connected": "调整会使网格不连通 (any move cuts a grid in two)",
    "settlement": "调整会拆分聚居点 (any move splits a settlement)",
    "cell": "单个地址的单元本身狭长 (the units' own cells are narrow there)",
    "strip": "合并会产生过窄的狭长部分 (rejoining leaves a thin strip)",
    "address": "狭长部分内有住户 (households live in the thin part)",
    "neighbour": "相邻网格接收后会出现狭长部分 (no neighbouring grid can take the thin part)",
    "hand": "系手工调整拆分 (split by a hand edit)",
    "left_split": "调整前的方案已将其拆分 (already split in the plan edited)",
}
# Shape exceptions named one by one in the summary; the rest are counted.
SHAPE_LISTED = 5


def shape_exceptions(villages: list[dict]) -> list[str]:
    """One Chinese phrase per shape rule a plan leaves broken, from the ``shape_exceptions`` of
    its grids (``rule`` min_width or settlement, ``reason``, for a settlement its ``grids`` and
    ``households``)."""
    out = []
    for v in villages:
        names = {g["code"]: g.get("name") or g["code"] for g in v["grids"]}
        for g in v["grids"]:
            for e in g.get("shape_exceptions", []):
                why = SHAPE_REASONS.get(e["reason"], e["reason"])
                if e["rule"] == "min_width":
                    out.append(f"{names[g['code']]}有宽不足100米的狭长部分，{why}")
                else:
                    held = "、".join(names.get(c, c) for c in e.get("grids", []))
                    out.append(f"一个{e.get('households', '')}户的聚居点分属{held}，{why}")
    return out


def band_exceptions(villages: list[dict], tolerance: float) -> list[str]:
    """One Chinese phrase per shape rule that took grids out of the band: the grids (named up to
    ``SHAPE_LISTED``) whose ``band_exception`` names the rule."""
    by_rule: dict[str, list[str]] = {}
    for v in villages:
        for g in v["grids"]:
            rule = g.get("band_exception")
            if rule in BAND_REASONS:
                by_rule.setdefault(rule, []).append(g.get("name") or g["code"])
    out = []
    for rule in sorted(by_rule):
        names = by_rule[rule]
        listed = "、".join(names[:SHAPE_LISTED]) + ("等" if len(names) > SHAPE_LISTED else "")
        out.append(f"{len(names)}个网格超出±{tolerance:.0%}：{BAND_REASONS[rule]}（{listed}）")
    return out


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
                "reason": _reason(village, g["households"], target, tolerance, g),
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
        f"{tolerance:.0%}内"
        + (
            f"（不计形状规则所限的{total['grids_out_of_band_by_shape']}个网格为"
            f"{math.floor(total.get('grids_within_tolerance_share_allowed', 0) * 100)}%）。"
            if total.get("grids_out_of_band_by_shape")
            else "。"
        ),
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
    pushed = band_exceptions(villages, tolerance)
    if pushed:
        parts.append("；".join(pushed) + "。")
    shapes = shape_exceptions(villages)
    if shapes:
        listed = "；".join(shapes[:SHAPE_LISTED])
        more = f"；另有{len(shapes) - SHAPE_LISTED}处" if len(shapes) > SHAPE_LISTED else ""
        parts.append(f"形状例外{len(shapes)}处：{listed}{more}。")
    return "".join(parts)
