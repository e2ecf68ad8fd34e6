"""Balancing grids by the fewest households moved: a flow of households between neighbouring
grids, then the boundary units that carry it.

The repair of :mod:`geo.redraw.partition` keeps each unit in its current grid unless balance
needs it elsewhere. How many households must leave which grid for which neighbour is a
min-cost flow on the graph of grids (Ahuja, Magnanti & Orlin, "Network Flows", 1993): every
household crossing a boundary costs one, every grid must end inside the band ``[lo, hi]``, and a
grid in the band may pass households on as long as it stays in it. :func:`plan_flows` solves that
linear programme; :func:`flow_balance` then moves, across each boundary with a flow, the units
that cost least: those going back to their original grid first, then those whose move keeps
both grids most compact (Polsby–Popper 4πA/P² of the pair, from the units' cell areas and
boundaries), never cutting a grid in two and never overshooting the flow by more than the band
leaves room for. What the whole units leave over is repaired by the chain search of
:mod:`geo.redraw.partition`.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
from scipy.optimize import linprog

from geo.redraw.regions import RegionState
from geo.redraw.reshape import UnitShapes, polsby_popper_of


def boundary_lengths(state: RegionState, shared: list[np.ndarray]) -> dict[tuple[int, int], float]:
    """Length of the boundary between each pair of neighbouring regions ``(a, b)``, both ways."""
    lengths = np.concatenate(shared) if len(shared) else np.zeros(0)
    a, b = state.labels[state.src], state.labels[state.dst]
    cross = a != b
    out: dict[tuple[int, int], float] = {}
    pairs = zip(a[cross].tolist(), b[cross].tolist(), lengths[cross].tolist(), strict=True)
    for x, y, length in pairs:
        out[(x, y)] = out.get((x, y), 0.0) + length
    return out


# Among flows that move equally few households, prefer those across long boundaries (a shallow
# band of units moves, the grids stay compact): each household crossing a boundary costs
# 1 + TIE_BREAK × (median boundary length / this boundary's length), capped.
TIE_BREAK = 0.02
# Times the flow is planned again for what whole units left over.
ROUNDS = 3


def plan_flows(
    state: RegionState, lo: float, hi: float, shared: list[np.ndarray] | None = None
) -> dict[tuple[int, int], float] | None:
    """Households to move across each boundary ``(from, to)`` so that every grid ends within
    ``[lo, hi]`` with the fewest households moved; ``None`` when no flow can balance them.
    With ``shared`` (boundary metres between neighbouring units) ties go to long boundaries."""
    regions = sorted(state.members)
    load = np.array([state.load[r] for r in regions])
    if ((load >= lo - 1e-9) & (load <= hi + 1e-9)).all():
        return {}
    adj = state.region_neighbours()
    index = {r: i for i, r in enumerate(regions)}
    edges = [(a, b) for a in regions for b in sorted(adj[a])]
    if not edges:
        return None
    net = np.zeros((len(regions), len(edges)))
    for e, (a, b) in enumerate(edges):
        net[index[a], e] -= 1.0
        net[index[b], e] += 1.0
    cost = np.ones(len(edges))
    if shared is not None:
        lengths = boundary_lengths(state, shared)
        length = np.array([max(lengths.get(e, 0.0), 1e-3) for e in edges])
        cost += TIE_BREAK * np.minimum(np.median(length) / length, 10.0)
    result = linprog(
        cost,
        A_ub=np.vstack([net, -net]),
        b_ub=np.concatenate([hi - load, load - lo]),
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        return None
    return {edge: float(f) for edge, f in zip(edges, result.x, strict=True) if f > 1e-6}


class ShapeBook:
    """Area and perimeter of every region as units move (perimeter = the units' share of the
    village outline plus the boundary they share with units of other regions)."""

    def __init__(self, state: RegionState, shapes: UnitShapes):
        self.state = state
        self.shapes = shapes
        self.total_shared = np.array([float(s.sum()) for s in shapes.shared])
        labels = state.labels
        self.area: dict[int, float] = {}
        self.perimeter: dict[int, float] = {}
        for r, members in state.members.items():
            idx = np.fromiter(members, dtype=np.int64)
            cut = sum(float(shapes.shared[u][labels[state.nb[u]] != r].sum()) for u in idx.tolist())
            self.area[r] = float(shapes.area[idx].sum())
            self.perimeter[r] = float(shapes.outer[idx].sum()) + cut

    def _after(self, u: int, there: int) -> tuple[float, float]:
        labels = self.state.labels
        here = int(labels[u])
        nb_labels = labels[self.state.nb[u]]
        shared = self.shapes.shared[u]
        s_here = float(shared[nb_labels == here].sum())
        s_there = float(shared[nb_labels == there].sum())
        outer, total = float(self.shapes.outer[u]), float(self.total_shared[u])
        p_here = self.perimeter[here] - outer - (total - s_here) + s_here
        p_there = self.perimeter[there] + outer + (total - s_there) - s_there
        return p_here, p_there

    def gain(self, u: int, there: int) -> float:
        """Change in the two regions' summed Polsby–Popper if unit ``u`` moved to ``there``."""
        here = int(self.state.labels[u])
        area = float(self.shapes.area[u])
        p_here, p_there = self._after(u, there)
        before = polsby_popper_of(self.area[here], self.perimeter[here]) + polsby_popper_of(
            self.area[there], self.perimeter[there]
        )
        after = polsby_popper_of(self.area[here] - area, p_here) + polsby_popper_of(
            self.area[there] + area, p_there
        )
        return after - before

    def move(self, u: int, there: int) -> None:
        """Move unit ``u`` to region ``there`` and keep the books."""
        here = int(self.state.labels[u])
        p_here, p_there = self._after(u, there)
        area = float(self.shapes.area[u])
        self.area[here] -= area
        self.area[there] = self.area.get(there, 0.0) + area
        self.perimeter[here], self.perimeter[there] = p_here, p_there
        self.state.move(u, there)
        if here not in self.state.members:
            del self.area[here], self.perimeter[here]


def _order(flows: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """Boundaries with a flow, those out of a grid that receives nothing first (a min-cost
    flow has no cycle, so this orders them all)."""
    incoming: dict[int, int] = {}
    for _, b in flows:
        incoming[b] = incoming.get(b, 0) + 1
    ready = deque(sorted({a for a, _ in flows if incoming.get(a, 0) == 0}))
    out, done = [], set()
    while ready:
        a = ready.popleft()
        for edge in sorted(e for e in flows if e[0] == a and e not in done):
            done.add(edge)
            out.append(edge)
            incoming[edge[1]] -= 1
            if incoming[edge[1]] == 0:
                ready.append(edge[1])
    out.extend(sorted(e for e in flows if e not in done))
    return out


def _unit_cost(state: RegionState, u: int, src: int, dst: int) -> int:
    """-1 for a unit going back to its original grid, 1 for one leaving it, 0 otherwise."""
    orig = int(state.orig[u])
    return -1 if orig == dst else (1 if orig == src else 0)


def _shift(
    state: RegionState,
    book: ShapeBook | None,
    src: int,
    dst: int,
    amount: float,
    allowance: float,
) -> float:
    """Move boundary units from ``src`` to ``dst`` carrying about ``amount`` households (at
    most ``allowance`` more); the households moved."""
    moved = 0.0
    while amount - moved > 1e-9 and src in state.members and len(state.members[src]) > 1:
        remaining = amount - moved
        on_edge = (state.labels[state.src] == src) & (state.labels[state.dst] == dst)
        cand = np.unique(state.src[on_edge])
        cand = cand[state.w[cand] <= remaining + allowance + 1e-9]
        if len(cand) == 0:
            break
        if book is not None:
            shape = np.array([-book.gain(int(u), dst) for u in cand.tolist()])
        else:
            c_src, c_dst = state.centre(src), state.centre(dst)
            pts = state.xy[cand]
            shape = np.hypot(*(pts - c_dst).T) - np.hypot(*(pts - c_src).T)
        cost = np.array([_unit_cost(state, int(u), src, dst) for u in cand.tolist()])
        # Units that fit what is left first; past it, the one overshooting least.
        over = np.maximum(0.0, state.w[cand] - remaining)
        for i in np.lexsort((shape, cost, over)):
            u = int(cand[i])
            if state.stays_connected_without(u):
                if book is not None:
                    book.move(u, dst)
                else:
                    state.move(u, dst)
                moved += state.w[u]
                break
        else:
            break
    return moved


def flow_balance(
    state: RegionState,
    lo: float,
    hi: float,
    shapes: UnitShapes | None = None,
    *,
    rounds: int = ROUNDS,
) -> bool:
    """Bring every grid into ``[lo, hi]`` along the min-cost flow of :func:`plan_flows`,
    moving the cheapest boundary units (see the module); what whole units leave over is planned
    and moved again, up to ``rounds`` times. Returns whether every grid ended in the band."""
    book = ShapeBook(state, shapes) if shapes is not None else None
    shared = shapes.shared if shapes is not None else None
    for _ in range(rounds):
        flows = plan_flows(state, lo, hi, shared)
        if not flows:
            return flows is not None
        final = dict(state.load)
        for (a, b), f in flows.items():
            final[a] -= f
            final[b] += f
        for a, b in _order(flows):
            if a not in state.members or b not in state.members:
                continue
            f = flows[(a, b)]
            # Overshoot only as far as both grids' final loads stay in the band.
            allowance = max(0.0, min(hi - final[b], final[a] - lo))
            moved = _shift(state, book, a, b, f, allowance)
            final[a] -= moved - f
            final[b] += moved - f
    return all(lo <= load <= hi for load in state.load.values())


def households_moved(labels: np.ndarray, original: np.ndarray, weights: np.ndarray) -> float:
    """Households of units whose label differs from their original one (unlabelled ones aside)."""
    had = original >= 0
    return float(np.asarray(weights)[had & (labels != original)].sum())


def flow_cost(state: RegionState, lo: float, hi: float) -> float:
    """Households the min-cost flow must move to balance ``state`` (infinite when none can)."""
    flows = plan_flows(state, lo, hi)
    return math.inf if flows is None else float(sum(flows.values()))
