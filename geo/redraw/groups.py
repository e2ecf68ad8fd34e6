"""Ten-household joint-defence groups (十户联防组) inside each proposed grid.

Each grid's units are partitioned with the same repair search as the grids (start from the
current groups, keep them where they still fit, split or merge the rest) into connected groups
of about ``size`` households within ``[lo, hi]``. The proposed leader household of a group is the
address at the unit nearest to the group's household-weighted centre (the largest household
there when several addresses share the point).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo.redraw.cells import VillageCells, dissolve
from geo.redraw.partition import choose_region_count, repair_partition
from geo.redraw.regions import UNASSIGNED


@dataclass(frozen=True)
class GroupRule:
    """Households per group: aim for ``size``, stay within ``lo``–``hi``."""

    size: float = 10
    lo: float = 5
    hi: float = 15


def _majority(
    labels_of_address: np.ndarray, unit_of_address: np.ndarray, weights: np.ndarray, n_units: int
) -> np.ndarray:
    """Per unit, the label carrying most of its addresses' weight (``-1`` when none)."""
    out = np.full(n_units, UNASSIGNED, dtype=np.int64)
    best = np.full(n_units, -1.0)
    keys = np.stack([unit_of_address, labels_of_address], axis=1)
    ok = labels_of_address != UNASSIGNED
    if not ok.any():
        return out
    pairs, inverse = np.unique(keys[ok], axis=0, return_inverse=True)
    totals = np.bincount(inverse.ravel(), weights=weights[ok] + 1e-3)
    for (unit, label), total in zip(pairs, totals, strict=True):
        if total > best[unit]:
            best[unit], out[unit] = total, label
    return out


def majority_label(
    codes_of_address: np.ndarray, unit_of_address: np.ndarray, houses: np.ndarray, n_units: int
) -> tuple[np.ndarray, list[str]]:
    """Per unit, the index of the code most of its households carry, and the list of codes."""
    present = sorted({c for c in codes_of_address if c is not None})
    index = {c: i for i, c in enumerate(present)}
    as_int = np.array(
        [index.get(c, UNASSIGNED) if c is not None else UNASSIGNED for c in codes_of_address],
        dtype=np.int64,
    )
    return _majority(as_int, unit_of_address, np.asarray(houses, float), n_units), present


def propose_groups(
    *,
    cells: VillageCells,
    unit_grid: np.ndarray,
    grid_codes: list[str],
    address_ids: np.ndarray,
    houses: np.ndarray,
    old_group_codes: np.ndarray,
    old_grid_codes: np.ndarray,
    used_codes: set[str],
    rule: GroupRule,
    random_state: int = 0,
) -> tuple[list[dict], np.ndarray]:
    """Groups of every grid of one village and each address's group code.

    ``unit_grid[u]`` indexes ``grid_codes``. A current group keeps its code when its largest
    surviving part stays in the grid whose code it had before; other groups get the grid code
    followed by the next free three-digit sequence.
    """
    n_units = cells.n_units
    unit_group, old_codes = majority_label(old_group_codes, cells.unit_of_address, houses, n_units)
    # The old grid of each old group (where most of its households were).
    home: dict[str, str] = {}
    weight: dict[tuple[str, str], float] = {}
    for g, grid, h in zip(old_group_codes, old_grid_codes, houses, strict=True):
        if g is not None and grid is not None:
            weight[(g, grid)] = weight.get((g, grid), 0.0) + h + 1e-3
    for (g, grid), w in sorted(weight.items()):
        if w > weight.get((g, home.get(g, "")), -1.0):
            home[g] = grid

    tolerance = (rule.hi - rule.lo) / 2 / rule.size
    parts: list[dict] = []  # one per proposed group, codes decided below
    unit_part = np.full(n_units, -1, dtype=np.int64)
    for gi, grid_code in enumerate(grid_codes):
        units = np.flatnonzero(unit_grid == gi)
        if len(units) == 0:
            continue
        local = {int(u): i for i, u in enumerate(units)}
        nb = [
            np.array(
                [local[int(v)] for v in cells.neighbours[u] if int(v) in local], dtype=np.int64
            )
            for u in units
        ]
        initial = unit_group[units]
        distinct = len(set(initial[initial != UNASSIGNED].tolist()))
        total = float(cells.weight[units].sum())
        k = choose_region_count(
            households=total,
            current=distinct,
            target=rule.size,
            tolerance=tolerance,
            prefer="target",
        )
        if distinct == 0:
            initial = np.full(len(units), UNASSIGNED, dtype=np.int64)
        part = repair_partition(
            weights=cells.weight[units],
            neighbours=nb,
            xy=cells.xy[units],
            initial=initial,
            n_regions=k,
            lo=rule.lo,
            hi=rule.hi,
            random_state=random_state,
        )
        started = set(initial[initial != UNASSIGNED].tolist())
        for label in np.unique(part.labels):
            members = units[part.labels == label]
            survived = int(label) in started and int(label) not in part.parent
            old = old_codes[label] if survived else None
            unit_part[members] = len(parts)
            parts.append(
                {
                    "grid": grid_code,
                    "old": old,
                    "units": members,
                    "households": float(cells.weight[members].sum()),
                }
            )

    # Codes: the largest surviving part of a group that stays in its old grid keeps the code.
    keep: dict[str, int] = {}
    for i, p in enumerate(parts):
        if p["old"] is not None and home.get(p["old"]) == p["grid"]:
            j = keep.get(p["old"])
            if j is None or p["households"] > parts[j]["households"]:
                keep[p["old"]] = i
    taken = set(used_codes) | set(keep)
    groups = []
    for i, p in enumerate(parts):
        code = p["old"] if keep.get(p["old"]) == i and p["old"] is not None else None
        if code is None:
            code = _next_code(p["grid"], taken)
            taken.add(code)
        members = p["units"]
        groups.append(
            _describe(code, p["grid"], members, cells, keep.get(p["old"]) == i, address_ids, houses)
        )
    codes = np.array([g["code"] for g in groups], dtype=object)
    address_group = codes[unit_part[cells.unit_of_address]]
    return groups, address_group


def _next_code(grid_code: str, taken: set[str]) -> str:
    seq = 1
    while f"{grid_code}{seq:03d}" in taken:
        seq += 1
    return f"{grid_code}{seq:03d}"


def _describe(code, grid_code, members, cells: VillageCells, kept, address_ids, houses) -> dict:
    w = cells.weight[members] + 1e-3
    centre = (cells.xy[members] * w[:, None]).sum(0) / w.sum()
    nearest = members[int(np.argmin(np.hypot(*(cells.xy[members] - centre).T)))]
    at_unit = np.flatnonzero(cells.unit_of_address == nearest)
    order = np.lexsort((address_ids[at_unit], -np.asarray(houses)[at_unit]))
    leader = int(address_ids[at_unit[order[0]]])
    geom = dissolve(cells.cells[members])
    return {
        "code": code,
        "grid_code": grid_code,
        "status": "kept" if kept else "new",
        "households": round(float(cells.weight[members].sum())),
        "leader_address_id": leader,
        "geometry": geom,
    }
