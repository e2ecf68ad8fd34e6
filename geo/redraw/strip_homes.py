"""Thin strips that hold a house, after drawing: the house goes to the grid beside the strip.

The repair (:mod:`geo.redraw.repair`) measures thin strips on the units' cells; drawing
(:mod:`geo.redraw.draw`) then gives every thin part holding no address to a neighbour. What is
left is a thin part of a drawn outline with a house in it — typically a spike of empty land with
one homestead at its tip, which on the cells looked wide. Here the units whose points lie in
such a part move to a neighbouring grid (longest shared boundary first), the village is drawn
again, and the move is kept only when the village has fewer grids breaking the width rule.

The rules of the repair hold: every grid stays connected, no settlement a grid could hold is
split, and the band gives way only when no move keeps it (the grids pushed out are returned).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely

from geo.redraw.cells import geoms_to_metric
from geo.redraw.draw import REASON_ADDRESS
from geo.redraw.repair import RepairVillage
from geo.redraw.repair_passes import RULE_MIN_WIDTH
from geo.redraw.shapes import rule_pieces

# Rounds of moves per village (each must lessen the grids breaking the width rule).
MAX_ROUNDS = 4
# A unit's point lies in a thin part when it is this close to it (metres).
IN_PART_M = 0.5


def _thin_grids(plan) -> dict[int, str]:
    """Per grid index of ``plan``, the reason it keeps a thin strip after drawing."""
    out = {}
    for i, grid in enumerate(plan.grids):
        for note in grid.get("shape_exceptions", []):
            if note["rule"] == "min_width":
                out[i] = note["reason"]
    return out


def _homes_in_strips(village: RepairVillage, geom_m, grid: int) -> set[int]:
    """Units of ``grid`` whose points lie in the thin parts of its drawn outline ``geom_m``."""
    found = rule_pieces(geom_m, village.village_loss)
    if not found:
        return set()
    thin = shapely.union_all(found).buffer(IN_PART_M)
    members = np.fromiter(village.state.members.get(grid, ()), dtype=np.int64)
    inside = shapely.contains_xy(thin, village.cells.xy[members, 0], village.cells.xy[members, 1])
    return set(members[inside].tolist())


def _move_options(village: RepairVillage, grid: int, units: set[int]) -> list[dict[int, int]]:
    """Ways to move ``units`` out of ``grid``, best first: to each neighbouring grid (longest
    shared boundary first) keeping every grid connected and no fitting settlement split, with
    blocks exchanged back when the band needs it; then the ways out of the band (blocks
    exchanged back as far as they help, or none), the smallest worst excess first."""
    if len(units) >= len(village.state.members[grid]):
        return []
    kept, relaxed = [], []
    splits = village.unforced_splits(units)
    beside = village.neighbours_of(units)
    for g in sorted(beside, key=lambda g: (-village.shared_with(units, g), g)):
        moves = {u: g for u in units}
        if not village.connected_after(moves):
            continue
        back = village.apply(moves)
        more_split = village.unforced_splits(units) > splits
        village.apply(back)
        if more_split:
            continue
        if village.loads_ok(village.delta_of(moves)):
            kept.append(moves)
            continue
        plan = village.rebalance(moves, prefer=g)
        if plan is not None:
            kept.append(plan)
        for option in (village.rebalance(moves, prefer=g, relaxed=True), moves):
            if option not in kept and option not in relaxed:
                relaxed.append(option)
    relaxed.sort(key=lambda m: round(village.excess(village.delta_of(m)), 6))
    return kept + relaxed


def clear_strip_homes(
    plan,
    assemble: Callable[[np.ndarray], object],
    *,
    initial: np.ndarray,
    lo: float,
    hi: float,
    limit: float,
):
    """``plan`` (a :class:`~geo.redraw.village.VillagePlan`) with the houses in its drawn thin
    strips moved to a neighbouring grid where that leaves fewer grids breaking the width rule;
    ``assemble(unit_grid)`` builds the plan of a labelling. Returns the plan and the grid
    indices that a move took further out of the band ``lo``–``hi``."""
    pushed: set[int] = set()
    for _ in range(MAX_ROUNDS):
        thin = _thin_grids(plan)
        homes = [i for i, why in sorted(thin.items()) if why == REASON_ADDRESS]
        if not homes:
            break
        village = RepairVillage(plan.cells, plan.unit_grid, initial, plan.settlement, lo, hi, limit)
        geoms_m = geoms_to_metric(
            np.array([g["geometry"] for g in plan.grids], dtype=object), plan.cells.epsg
        )
        improved = None
        for i in homes:
            units = _homes_in_strips(village, geoms_m[i], i)
            for moves in _move_options(village, i, units) if units else []:
                labels = plan.unit_grid.copy()
                labels[list(moves)] = list(moves.values())
                trial = assemble(labels)
                if len(_thin_grids(trial)) < len(thin):
                    improved = (trial, moves)
                    break
            if improved:
                break
        if improved is None:
            break
        plan, moves = improved
        village.note_pushed(village.delta_of(moves), RULE_MIN_WIDTH)
        pushed |= set(village.pushed)
    return plan, pushed
