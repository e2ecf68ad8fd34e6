"""Reshaping two neighbouring grids at a time for compactness, keeping both in their band.

A single move of a boundary unit rarely helps: it takes one grid out of the household band, and
the move that would bring it back is not considered. :func:`reshape_pairs` therefore works on
one pair of neighbouring grids at a time, in the way of Fiduccia & Mattheyses ("A linear-time
heuristic for improving network partitions", DAC 1982): it moves the best boundary unit either
way, locks it, and goes on even through moves that cost or leave the band for a while; at the
end it rolls back to the best state seen in which both grids were inside the band. Every state
keeps both grids connected (a unit only leaves a grid that stays connected without it).

The score is what the plan is measured by: the sum of both grids' Polsby–Popper 4πA/P², where A
sums the units' cell areas and P is the units' outer boundary (the village outline) plus the
boundary they share with units of other grids, less ``pp_per_household`` for every household
away from its original grid (a move home earns it back).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from geo.redraw.regions import RegionState

# Polsby–Popper points a reshaping move must gain per household it takes from its original grid.
PP_PER_HOUSEHOLD = 0.004
# Moves the pair search tries past its best state before it gives up.
PATIENCE = 8


@dataclass(frozen=True)
class UnitShapes:
    """Per unit: cell area (m²), outer boundary on the village outline (m), and the boundary
    shared with each neighbour (m, aligned with the neighbour lists)."""

    area: np.ndarray
    outer: np.ndarray
    shared: list[np.ndarray]


def polsby_popper_of(area: float, perimeter: float) -> float:
    """4πA/P², 0 for an empty shape."""
    return 4 * math.pi * area / (perimeter * perimeter) if perimeter > 0 else 0.0


class _PairSearch:
    """Area, perimeter and households of the regions, updated as units move."""

    def __init__(self, state: RegionState, shapes: UnitShapes, pp_per_household: float):
        self.state = state
        self.shapes = shapes
        self.penalty = pp_per_household
        self.total_shared = [float(s.sum()) for s in shapes.shared]
        self.nb = [n.tolist() for n in state.nb]
        self.sh = [s.tolist() for s in shapes.shared]
        self.labels = state.labels.tolist()
        self.area: dict[int, float] = {}
        self.perimeter: dict[int, float] = {}
        labels = state.labels
        for r, members in state.members.items():
            idx = np.fromiter(members, dtype=np.int64)
            self.area[r] = float(shapes.area[idx].sum())
            cut = sum(
                float(s[labels[n] != r].sum())
                for s, n in ((shapes.shared[u], state.nb[u]) for u in idx.tolist())
            )
            self.perimeter[r] = float(shapes.outer[idx].sum()) + cut

    def effect(self, u: int, there: int) -> tuple[float, float, float]:
        """``(gain, new perimeter here, new perimeter there)`` of moving ``u`` to ``there``."""
        state = self.state
        labels = self.labels
        here = labels[u]
        s_here = s_there = 0.0
        for v, length in zip(self.nb[u], self.sh[u], strict=True):
            r = labels[v]
            if r == here:
                s_here += length
            elif r == there:
                s_there += length
        outer, total = float(self.shapes.outer[u]), self.total_shared[u]
        area = float(self.shapes.area[u])
        p_here = self.perimeter[here] - outer - (total - s_here) + s_here
        p_there = self.perimeter[there] + outer + (total - s_there) - s_there
        before = polsby_popper_of(self.area[here], self.perimeter[here]) + polsby_popper_of(
            self.area[there], self.perimeter[there]
        )
        after = polsby_popper_of(self.area[here] - area, p_here) + polsby_popper_of(
            self.area[there] + area, p_there
        )
        away = 0.0
        if state.orig[u] == here:
            away = state.w[u]
        elif state.orig[u] == there:
            away = -state.w[u]
        return after - before - self.penalty * away, p_here, p_there

    def move(self, u: int, there: int, p_here: float, p_there: float) -> None:
        here = int(self.state.labels[u])
        area = float(self.shapes.area[u])
        self.area[here] -= area
        self.area[there] += area
        self.perimeter[here], self.perimeter[there] = p_here, p_there
        self.state.move(u, there)
        self.labels[u] = there


def _frontier(state: RegionState, a: int, b: int, units) -> set[int]:
    out = set()
    for u in units:
        r = int(state.labels[u])
        if r not in (a, b):
            continue
        other = b if r == a else a
        if (state.labels[state.nb[u]] == other).any():
            out.add(u)
    return out


def _refine_pair(search: _PairSearch, a: int, b: int, lo: float, hi: float) -> float:
    """One pass of the pair search between regions ``a`` and ``b``; the gain kept."""
    state = search.state
    slack = hi - lo
    frontier = _frontier(state, a, b, state.members[a] | state.members[b])
    locked: set[int] = set()
    history: list[tuple[int, int]] = []
    score, best, best_len = 0.0, 0.0, 0
    while frontier - locked and len(history) - best_len <= PATIENCE:
        options = []
        for u in frontier - locked:
            here = int(state.labels[u])
            there = b if here == a else a
            w = state.w[u]
            if state.load[there] + w > hi + slack or state.load[here] - w < lo - slack:
                continue
            gain, p_here, p_there = search.effect(u, there)
            options.append((-gain, u, there, p_here, p_there))
        options.sort()
        for neg_gain, u, there, p_here, p_there in options:
            if len(state.members[int(state.labels[u])]) > 1 and state.stays_connected_without(u):
                here = int(state.labels[u])
                search.move(u, there, p_here, p_there)
                history.append((u, here))
                locked.add(u)
                score -= neg_gain
                changed = [u, *state.nb[u].tolist()]
                frontier = (frontier - set(changed)) | _frontier(state, a, b, changed)
                break
        else:
            break
        if lo <= state.load[a] <= hi and lo <= state.load[b] <= hi and score > best + 1e-9:
            best, best_len = score, len(history)
    for u, home in reversed(history[best_len:]):
        gain, p_here, p_there = search.effect(u, home)
        search.move(u, home, p_here, p_there)
    return best


def reshape_pairs(
    state: RegionState,
    shapes: UnitShapes,
    lo: float,
    hi: float,
    *,
    pp_per_household: float = PP_PER_HOUSEHOLD,
    max_passes: int = 3,
) -> float:
    """Improve the sum of Polsby–Popper over all grids, pair by pair of neighbouring grids,
    never leaving a grid outside ``[lo, hi]`` or cut in two. Returns the score gained."""
    if not all(lo <= state.load[r] <= hi for r in state.members):
        return 0.0
    search = _PairSearch(state, shapes, pp_per_household)
    gained = 0.0
    for _ in range(max_passes):
        adj = state.region_neighbours()
        pairs = sorted({(min(r, s), max(r, s)) for r in adj for s in adj[r]})
        step = 0.0
        for a, b in pairs:
            if a in state.members and b in state.members:
                step += _refine_pair(search, a, b, lo, hi)
        gained += step
        if step <= 1e-6:
            break
    return gained
