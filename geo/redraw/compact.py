"""Tightening a balanced partition: units go back home, boundaries get shorter.

Once every grid is inside its household band, two local searches trade moves for shape:

- :func:`send_home` returns units the balancing pushed out of their original grid wherever that
  grid borders them and both grids stay connected and inside the band;
- :func:`tighten` hands a boundary unit to a neighbouring grid when that shortens the boundary
  between grids (the cut length, the sum over both sides of the perimeter inside the village) by
  more than ``metres_per_household`` for each household it takes from its original grid. A
  shorter total perimeter for the same areas is what Polsby–Popper rewards, and a strip or a
  notch is the longest boundary there is for the households it holds.
"""

from __future__ import annotations

import numpy as np

from geo.redraw.regions import UNASSIGNED, RegionState

# Boundary metres a move must save per household it takes away from its current grid.
METRES_PER_HOUSEHOLD = 6.0


def send_home(state: RegionState, lo: float, hi: float, max_passes: int = 5) -> None:
    """Move units back into their original grid where it borders them and the band allows."""
    for _ in range(max_passes):
        changed = False
        away = np.flatnonzero((state.orig != UNASSIGNED) & (state.orig != state.labels))
        for u in away.tolist():
            home = int(state.orig[u])
            if home not in state.members:
                continue
            if not any(state.labels[v] == home for v in state.nb[u]):
                continue
            if state.move_within_band(u, home, lo, hi):
                changed = True
        if not changed:
            return


def _boundary_by_region(state: RegionState, shared: list[np.ndarray], u: int) -> dict[int, float]:
    out: dict[int, float] = {}
    for v, length in zip(state.nb[u].tolist(), shared[u].tolist(), strict=True):
        r = int(state.labels[v])
        out[r] = out.get(r, 0.0) + length
    return out


def tighten(
    state: RegionState,
    shared: list[np.ndarray],
    lo: float,
    hi: float,
    *,
    metres_per_household: float = METRES_PER_HOUSEHOLD,
    max_passes: int = 8,
) -> int:
    """Move boundary units to the neighbouring grid where that shortens the grid boundaries by
    more than the households it moves cost; both grids stay connected and in ``[lo, hi]``.
    Returns the number of moves."""
    moves = 0
    for _ in range(max_passes):
        changed = 0
        labels = state.labels
        cross = labels[state.src] != labels[state.dst]
        for u in np.unique(state.src[cross]).tolist():
            here = int(labels[u])
            if len(state.members[here]) <= 1:
                continue
            by_region = _boundary_by_region(state, shared, u)
            inside = by_region.get(here, 0.0)
            best, best_gain = None, 0.0
            for there, length in by_region.items():
                if there == here:
                    continue
                cost = 0.0
                if state.orig[u] == here:
                    cost = state.w[u]
                elif state.orig[u] == there:
                    cost = -state.w[u]
                gain = (length - inside) - metres_per_household * cost
                if gain > best_gain + 1e-6:
                    best, best_gain = there, gain
            if best is not None and state.move_within_band(u, best, lo, hi):
                changed += 1
        moves += changed
        if not changed:
            break
    return moves
