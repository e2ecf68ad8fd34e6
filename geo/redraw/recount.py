"""Changing a village's number of grids where it must, at the fewest households moved.

When the count of grids must grow, one grid gives up a piece that becomes the new grid; when it
must shrink, one grid merges into a neighbour. Which grid, which piece and which neighbour decide
most of the households a village's redraw moves, so every candidate is tried on a copy: the
households that change grid (after matching grids to their original codes one to one, as the
proposal's codes are matched) plus the min-cost flow that then balances the village
(:func:`geo.redraw.balance.flow_cost`). The cheapest wins.
"""

from __future__ import annotations

import heapq

import numpy as np
from scipy.optimize import linear_sum_assignment

from geo.redraw.balance import flow_cost
from geo.redraw.regions import UNASSIGNED, RegionState, make_contiguous

# Regions tried: the heaviest to split, the lightest to merge.
CANDIDATES = 4


def matched_moved(labels: np.ndarray, original: np.ndarray, weights: np.ndarray) -> float:
    """Households whose region is not the one matched to their original region, when regions
    and original regions are paired one to one to share the most households."""
    had = original != UNASSIGNED
    if not had.any():
        return 0.0
    _, row = np.unique(labels[had], return_inverse=True)
    _, col = np.unique(original[had], return_inverse=True)
    shared = np.zeros((row.max() + 1, col.max() + 1))
    np.add.at(shared, (row.ravel(), col.ravel()), weights[had])
    i, j = linear_sum_assignment(-shared)
    return float(weights[had].sum() - shared[i, j].sum())


def carve(state: RegionState, r: int, amount: float, *, from_far_end: bool = False) -> int:
    """Grow a new region inside ``r`` from one end of its principal axis until it holds about
    ``amount`` households; the rest of ``r`` is made contiguous. Returns the new region."""
    idx = np.fromiter(state.members[r], dtype=np.int64)
    pts = state.xy[idx] - state.xy[idx].mean(0)
    wts = state.w[idx] + 1e-3
    cov = (pts * wts[:, None]).T @ pts
    axis = np.linalg.eigh(cov)[1][:, -1] * (-1.0 if from_far_end else 1.0)
    proj = dict(zip(idx.tolist(), (pts @ axis).tolist(), strict=True))
    new = state.next_id
    state.next_id += 1
    start = min(proj, key=proj.get)
    heap = [(proj[start], start)]
    queued = {start}
    taken = 0.0
    while heap and (taken < amount or taken == 0) and len(state.members[r]) > 1:
        _, u = heapq.heappop(heap)
        state.move(u, new)
        taken += state.w[u]
        for v in state.nb[u]:
            v = int(v)
            if v not in queued and state.labels[v] == r:
                queued.add(v)
                heapq.heappush(heap, (proj[v], v))
    state.parent[new] = r
    make_contiguous(state)
    return new


def _cost(state: RegionState, lo: float, hi: float) -> float:
    return matched_moved(state.labels, state.orig, state.w) + flow_cost(state, lo, hi)


def split_cheapest(state: RegionState, lo: float, hi: float) -> RegionState:
    """``state`` with one more region: the piece of one region, of the size and from the end
    that leaves the fewest households to move (see the module)."""
    best, best_cost = None, np.inf
    divisible = [k for k in state.members if len(state.members[k]) > 1]
    if not divisible:
        raise ValueError("no region has two units to split")
    for r in sorted(divisible, key=lambda k: (-state.load[k], k))[:CANDIDATES]:
        load = state.load[r]
        sizes = {load / 2, lo, (lo + hi) / 2, hi, load - (lo + hi) / 2, load - lo}
        for size in sorted(s for s in sizes if 0 < s < load):
            for far in (False, True):
                trial = state.copy()
                carve(trial, r, size, from_far_end=far)
                cost = _cost(trial, lo, hi)
                if best is None or cost < best_cost - 1e-9:
                    best, best_cost = trial, cost
    return best


def merge_cheapest(state: RegionState, lo: float, hi: float) -> RegionState:
    """``state`` with one region fewer: the region merged into the neighbour that leaves the
    fewest households to move (see the module)."""
    adj = state.region_neighbours()
    best, best_cost = None, np.inf
    joined = [k for k in state.members if adj[k]]
    for r in sorted(joined, key=lambda k: (state.load[k], k))[:CANDIDATES]:
        for into in sorted(adj[r]):
            trial = state.copy()
            for u in list(trial.members[r]):
                trial.move(u, into)
            trial.merged[r] = into
            cost = _cost(trial, lo, hi)
            if best is None or cost < best_cost - 1e-9:
                best, best_cost = trial, cost
    if best is None:
        raise ValueError("cannot merge a region that has no neighbour")
    return best
