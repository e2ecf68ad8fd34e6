"""Repairing a partition of units into contiguous, balanced regions while moving few households.

The search starts from the current assignment (each unit's current grid) and only repairs it:

1. units without a grid join the grid of their nearest assigned neighbour (graph distance);
2. pieces of a grid that are cut off from its main part join the neighbour they touch most;
3. while there are too many grids the lightest merges into its lightest neighbour, while there
   are too few the heaviest is split (region growing along its principal axis);
4. every grid outside the household band ``[lo, hi]`` is repaired by pushing boundary units
   along the shortest chain of neighbouring grids to one with room (or from one with spare
   households), so that the grids in between give as much as they receive. A unit only leaves a
   grid that stays connected without it, and among the units on a boundary the search takes one
   going back to its original grid first, then the one that sits closest to the receiving grid.

5. a grid left short in a pocket no chain can reach is merged away (the heaviest grid is split
   instead); units the balancing pushed out of their original grid go back where the band
   allows, and neighbouring grids are reshaped pair by pair for compactness
   (:mod:`geo.redraw.reshape`; without unit shapes, boundaries are shortened by
   :mod:`geo.redraw.compact`).

The moves are what the balance needs: grids already inside the band are not touched unless they
lie on a chain. This is the classic transfer-path repair of political districting
(e.g. Bozkaya, Erkut & Laporte 2003, "A tabu search heuristic and adaptive memory procedure for
political districting", EJOR 144) restricted to feasibility repair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from geo.redraw.balance import flow_balance
from geo.redraw.compact import METRES_PER_HOUSEHOLD, send_home, tighten
from geo.redraw.recount import carve, merge_cheapest, split_cheapest
from geo.redraw.regions import UNASSIGNED, RegionState, fill_unassigned, make_contiguous
from geo.redraw.reshape import PP_PER_HOUSEHOLD, UnitShapes, reshape_pairs


@dataclass
class Partition:
    """Regions of units: ``labels[u]`` is the region of unit ``u``.

    Regions keep the ids of the initial labels where they survive; regions created by a split
    get new ids (``parent[new] = old``); ``merged[old] = into`` for regions merged away.
    """

    labels: np.ndarray
    parent: dict[int, int] = field(default_factory=dict)
    merged: dict[int, int] = field(default_factory=dict)
    unbalanced: list[int] = field(default_factory=list)


def _merge_lightest(state: RegionState) -> None:
    _merge(state, min(state.members, key=lambda k: (state.load[k], len(state.members[k]), k)))


def _merge(state: RegionState, r: int) -> None:
    """Merge region ``r`` into its lightest neighbour."""
    adj = state.region_neighbours()
    if not adj[r]:
        raise ValueError("cannot merge a region that has no neighbour")
    into = min(adj[r], key=lambda k: (state.load[k], k))
    for u in list(state.members[r]):
        state.move(u, into)
    state.merged[r] = into


def _split_heaviest(state: RegionState, mean: float) -> None:
    r = max(
        (k for k in state.members if len(state.members[k]) > 1),
        key=lambda k: (state.load[k], k),
    )
    parts = max(2, round(state.load[r] / mean))
    carve(state, r, state.load[r] / parts)


def _transfer(
    state: RegionState,
    src: int,
    dst: int,
    amount: float,
    *,
    dst_ceiling: float = np.inf,
    src_floor: float = -np.inf,
) -> float:
    """Move boundary units from ``src`` to ``dst`` until ``amount`` households have moved,
    never taking ``dst`` above ``dst_ceiling`` nor ``src`` below ``src_floor``."""
    moved = 0.0
    while moved < amount and src in state.members and len(state.members[src]) > 1:
        remaining = amount - moved
        on_edge = (state.labels[state.src] == src) & (state.labels[state.dst] == dst)
        cand = np.unique(state.src[on_edge])
        fits = (state.load[dst] + state.w[cand] <= dst_ceiling) & (
            state.load[src] - state.w[cand] >= src_floor
        )
        cand = cand[fits]
        if len(cand) == 0:
            break
        c_src, c_dst = state.centre(src), state.centre(dst)
        orig = state.orig[cand]
        cost = np.where(orig == dst, -1, np.where(orig == src, 1, 0))
        too_big = state.w[cand] > remaining + max(1.0, 0.5 * remaining)
        pts = state.xy[cand]
        pull = np.hypot(*(pts - c_dst).T) - np.hypot(*(pts - c_src).T)
        for i in np.lexsort((pull, cost, too_big)):
            u = int(cand[i])
            if state.stays_connected_without(u):
                state.move(u, dst)
                moved += state.w[u]
                break
        else:
            break
    return moved


def _path(adj: dict[int, set[int]], start: int, accept, usable) -> list[int] | None:
    """Shortest chain of regions from ``start`` to the best region ``accept`` scores (> 0),
    along steps ``usable(from, to)`` allows."""
    prev = {start: None}
    frontier = [start]
    while frontier:
        best, best_score = None, 0.0
        for r in frontier:
            if r != start:
                score = accept(r)
                if score > best_score:
                    best, best_score = r, score
        if best is not None:
            chain = [best]
            while prev[chain[-1]] is not None:
                chain.append(prev[chain[-1]])
            return chain[::-1]
        nxt = []
        for r in frontier:
            for s in sorted(adj[r]):
                if s not in prev and usable(r, s):
                    prev[s] = r
                    nxt.append(s)
        frontier = nxt
    return None


def _balance(state: RegionState, lo: float, hi: float, max_rounds: int) -> list[int]:
    # Repairs aim a little inside the band, so that a unit too many on a chain does not push
    # the next grid just outside it.
    margin = max(1.0, min((hi - lo) / 4, float(np.median(state.w)) if len(state.w) else 1.0))
    mean = sum(state.load.values()) / max(len(state.members), 1)
    margin = max(0.0, min(margin, hi - mean, mean - lo))
    stuck: set[int] = set()
    # Region pairs across which no unit could move (each candidate would cut its grid in two).
    blocked: set[tuple[int, int]] = set()
    for _ in range(max_rounds):
        bad = {
            r: max(state.load[r] - hi, lo - state.load[r])
            for r in state.members
            if (state.load[r] > hi or state.load[r] < lo) and r not in stuck
        }
        if not bad:
            break
        r = max(bad, key=lambda k: (bad[k], k))
        adj = state.region_neighbours()
        if state.load[r] > hi:
            need = state.load[r] - (hi - margin)
            chain = _path(
                adj,
                r,
                lambda t, need=need: min(need, hi - margin - state.load[t]),
                lambda a, b: (a, b) not in blocked,
            )
            if chain is None:
                stuck.add(r)
                continue
            amount = min(need, hi - margin - state.load[chain[-1]])
        else:
            need = lo + margin - state.load[r]
            back = _path(
                adj,
                r,
                lambda t, need=need: min(need, state.load[t] - lo - margin),
                lambda a, b: (b, a) not in blocked,
            )
            if back is None:
                stuck.add(r)
                continue
            amount = min(need, state.load[back[-1]] - lo - margin)
            chain = back[::-1]
        steps = list(pairwise(chain))
        for step, (a, b) in enumerate(steps):
            amount = _transfer(
                state,
                a,
                b,
                amount,
                dst_ceiling=hi if step == len(steps) - 1 else np.inf,
                src_floor=lo if step == 0 and state.load[a] >= lo else -np.inf,
            )
            if amount <= 0:
                blocked.add((a, b))
                break
        else:
            blocked.clear()
    return sorted(r for r in state.members if state.load[r] > hi or state.load[r] < lo)


def repair_partition(
    *,
    weights: np.ndarray,
    neighbours: list[np.ndarray],
    xy: np.ndarray,
    initial: np.ndarray,
    n_regions: int,
    lo: float,
    hi: float,
    random_state: int = 0,
    shared_m: list[np.ndarray] | None = None,
    metres_per_household: float = METRES_PER_HOUSEHOLD,
    shapes: UnitShapes | None = None,
    pp_per_household: float = PP_PER_HOUSEHOLD,
    fewest_moved: bool = False,
) -> Partition:
    """Repair ``initial`` (region per unit, ``-1`` = none) into ``n_regions`` balanced regions.

    Regions are connected in the ``neighbours`` graph, hold between ``lo`` and ``hi`` households
    wherever the search could reach that, and differ from ``initial`` as little as it could
    manage. With no initial labels at all the start is a weighted k-means of ``xy``. With
    ``shared_m`` (boundary metres between neighbours) the balanced regions are tightened
    (:func:`geo.redraw.compact.tighten`). With ``fewest_moved`` a changing count of regions
    tries several splits and merges and keeps the one that moves fewest households
    (:mod:`geo.redraw.recount`), and the balance follows a min-cost flow of households between
    neighbouring regions (:mod:`geo.redraw.balance`) before the chain search repairs what is
    left; without it the heaviest region is split, the lightest merged, and chains balance.
    """
    weights = np.asarray(weights, dtype=float)
    initial = np.asarray(initial, dtype=np.int64)
    n = len(weights)
    n_regions = max(1, min(n_regions, n))
    if (initial == UNASSIGNED).all():
        labels = _kmeans_start(xy, weights, n_regions, random_state)
        original = np.full(n, UNASSIGNED, dtype=np.int64)
    else:
        labels = fill_unassigned(initial, neighbours)
        original = initial.copy()
    state = RegionState(labels.copy(), weights, neighbours, xy, original)
    make_contiguous(state)
    mean = weights.sum() / n_regions if weights.sum() > 0 else 1.0
    while len(state.members) > n_regions:
        if fewest_moved:
            state = merge_cheapest(state, lo, hi)
        else:
            _merge_lightest(state)
    while len(state.members) < n_regions:
        if fewest_moved:
            state = split_cheapest(state, lo, hi)
        else:
            _split_heaviest(state, mean)
    if fewest_moved:
        flow_balance(state, lo, hi, shapes)
    unbalanced = _balance(state, lo, hi, max_rounds=30 * n_regions + 50)
    for _ in range(3):
        # A region left short in a pocket no transfer can reach (its neighbours would fall
        # apart or below the band) is merged away, and the heaviest region is split instead.
        if not unbalanced:
            break
        short = [r for r in unbalanced if r in state.members and state.load[r] < lo]
        for r in short:
            if r in state.members and len(state.members) > 1:
                _merge(state, r)
        while len(state.members) < n_regions:
            _split_heaviest(state, mean)
        unbalanced = _balance(state, lo, hi, max_rounds=10 * n_regions + 20)
    if not unbalanced:
        send_home(state, lo, hi)
        if shapes is not None and (state.labels != original).any():
            # Grids the repair did not touch are left as they are (repair, not redraw).
            reshape_pairs(state, shapes, lo, hi, pp_per_household=pp_per_household)
        elif shared_m is not None:
            tighten(state, shared_m, lo, hi, metres_per_household=metres_per_household)
            send_home(state, lo, hi)
    return Partition(state.labels, state.parent, state.merged, unbalanced)


def _kmeans_start(xy: np.ndarray, weights: np.ndarray, k: int, random_state: int) -> np.ndarray:
    """Weighted k-means (Lloyd, k-means++ start): cheap enough for thousands of small calls."""
    n = len(xy)
    if k <= 1 or n <= k:
        return np.arange(n, dtype=np.int64) if n <= k else np.zeros(n, dtype=np.int64)
    rng = np.random.default_rng(random_state)
    w = weights + 1e-3
    centres = [xy[rng.choice(n, p=w / w.sum())]]
    for _ in range(1, k):
        d2 = np.min(((xy[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1) * w
        centres.append(xy[rng.choice(n, p=d2 / d2.sum())] if d2.sum() > 0 else xy[rng.integers(n)])
    centres = np.array(centres)
    labels = np.zeros(n, dtype=np.int64)
    for _ in range(30):
        labels_new = np.argmin(((xy[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
        if (labels_new == labels).all() and _ > 0:
            break
        labels = labels_new
        for c in range(k):
            m = labels == c
            if m.any():
                centres[c] = (xy[m] * w[m, None]).sum(0) / w[m].sum()
    return labels


def household_band(target: float, tolerance: float) -> tuple[int, int]:
    """Whole numbers of households within ``tolerance`` of ``target``: ``(lo, hi)``."""
    return math.ceil(target * (1 - tolerance) - 1e-9), math.floor(target * (1 + tolerance) + 1e-9)


def choose_region_count(
    *, households: float, current: int, target: float, tolerance: float, prefer: str = "current"
) -> int:
    """How many regions (grids, groups) ``households`` are split into.

    Counts whose regions can all hold a whole number of households within ``tolerance`` of
    ``target`` are feasible. With ``prefer="current"`` the feasible count nearest the current
    one wins (fewest splits and merges), with ``prefer="target"`` the one whose mean is nearest
    the target. With no feasible count, the current count if its mean is within twice the
    tolerance (``prefer="current"``), else the count whose mean lies nearest the target.
    """
    if households <= 0:
        return 1
    lo, hi = household_band(target, tolerance)
    if hi >= max(lo, 1):
        first = max(1, math.floor(households / hi))
        last = math.ceil(households / lo) if lo > 0 else first + 1
        feasible = [k for k in range(first, last + 1) if k * lo <= households <= k * hi]
        # Prefer counts that leave room to move (a mean well inside the band): at the very edge
        # every grid must hit the bound exactly, which whole households rarely allow.
        roomy = [k for k in feasible if abs(households / k - target) <= 0.6 * tolerance * target]
        feasible = roomy or feasible
        if feasible:
            if prefer == "current" and current in feasible:
                return current
            if prefer == "current":
                return min(feasible, key=lambda k: (abs(k - current), abs(households / k - target)))
            return min(feasible, key=lambda k: (abs(households / k - target), k))
    # No count fits: keep the current one if it is not far off (a merge or split would move
    # many households and stretch grids over more hamlets for little gain), else the nearest.
    near = current >= 1 and abs(households / current - target) <= 2 * tolerance * target
    if prefer == "current" and near:
        return current
    low = max(1, int(households // target))
    return min({low, low + 1}, key=lambda k: (abs(households / k - target), k))
