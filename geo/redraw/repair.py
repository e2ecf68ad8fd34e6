"""Shape repair after balancing: no strip thinner than the minimum, no needless settlement split.

Runs on a balanced labelling of a village's units (:func:`repair_shapes`). Two passes, repeated
until neither changes anything:

* **Settlements rejoined.** A settlement that the target could hold in one grid but that lies in
  several is moved whole into one grid: each grid holding part of it or touching it is tried,
  with blocks that split no settlement exchanged back when the band needs it. The way leaving no
  new thin strip, then with the smallest worst excess over the band, then moving fewest
  households from their current grid, is taken, even out of the band.
* **Thin strips removed.** The parts of a grid narrower than ``MIN_STRIP_WIDTH_M`` (the rule of
  :mod:`geo.redraw.shapes`) are found; the units lying in such a part move to a neighbouring
  grid, or the neighbours' units beside it move in, when that lessens the thin area of the grids
  involved: first a move that keeps the band (a grid already outside it may only come closer),
  else the one with the smallest worst excess.

The shape rules are must-haves and the band a goal, so the band gives way; the grids a rule took
out of it are returned (``pushed``). Every move keeps every grid connected and never splits a
settlement that a grid could hold. What is left is returned as exceptions with a reason
(:class:`ShapeRepair`).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np
import shapely

from geo.redraw.cells import VillageCells, dissolve, geoms_to_metric
from geo.redraw.regions import RegionState
from geo.redraw.repair_passes import rejoin_settlements, remove_strips, thin_exceptions
from geo.redraw.shapes import RULE_WIDTHS_M, rule_pieces, village_losses

# Passes of both rules before giving up on a village.
MAX_ROUNDS = 4
# Blocks moved back at most in one exchange.
MAX_EXCHANGE = 12
# A unit lies in a thin piece when this share of its cell (or of the piece) is inside it.
SHARE_IN_PIECE = 0.5


@dataclass
class ShapeRepair:
    """The repaired labels and what could not be repaired.

    ``thin``: per grid label left with a thin strip, the reason. ``split``: per settlement that
    fits a grid but stays split, ``(grids, reason)``. ``moved``: units that changed grid.
    ``pushed``: per grid label the shape rules took out of the band (or further out of it),
    the rule (``settlement`` or ``min_width``)."""

    labels: np.ndarray
    thin: dict[int, str] = field(default_factory=dict)
    split: dict[int, tuple[list[int], str]] = field(default_factory=dict)
    moved: int = 0
    pushed: dict[int, str] = field(default_factory=dict)


class RepairVillage:
    """A labelling of one village's units with its grids' geometry, loads and settlements."""

    def __init__(self, cells, labels, initial, settlement, lo, hi, limit):
        self.cells = cells
        self.state = RegionState(
            np.asarray(labels, dtype=np.int64).copy(),
            np.asarray(cells.weight, dtype=float),
            cells.neighbours,
            cells.xy,
            np.asarray(initial, dtype=np.int64),
        )
        self.shared = cells.shared_m or [np.ones(len(v)) for v in cells.neighbours]
        self.lo, self.hi, self.limit = lo, hi, limit
        self.settlement = np.asarray(settlement, dtype=np.int64)
        order = np.argsort(self.settlement, kind="stable")
        bounds = np.flatnonzero(np.diff(self.settlement[order])) + 1
        self.members_of = {
            int(self.settlement[g[0]]): set(g.tolist()) for g in np.split(order, bounds) if len(g)
        }
        self.set_load = np.bincount(self.settlement, weights=self.state.w, minlength=1)
        self.cells_m = geoms_to_metric(cells.cells, cells.epsg)
        self.cell_area = shapely.area(self.cells_m)
        self.tree = shapely.STRtree(self.cells_m)
        self.village_m = geoms_to_metric(np.array([cells.village]), cells.epsg)[0]
        self.widths = RULE_WIDTHS_M
        self.village_loss = village_losses(self.village_m)
        self._pieces: dict[int, list] = {}
        self.notes: dict[int, set[str]] = {}
        # Per grid, the last rule whose move took it further out of the band.
        self.pushed: dict[int, str] = {}

    # --- geometry -------------------------------------------------------------------------
    def pieces(self, r: int) -> list:
        """Thin pieces of grid ``r`` at any width up to the minimum (metric polygons)."""
        if r not in self._pieces:
            idx = np.fromiter(self.state.members[r], dtype=np.int64)
            geom = dissolve(self.cells_m[idx])
            found = rule_pieces(geom, self.village_loss)
            if found:
                found = list(shapely.get_parts(shapely.union_all(found)))
            self._pieces[r] = found
        return self._pieces[r]

    def thin_area(self, r: int) -> float:
        """Total area (m²) of grid ``r``'s thin pieces."""
        return float(sum(p.area for p in self.pieces(r)))

    def units_in(self, r: int, piece) -> list[set[int]]:
        """Candidate unit sets of grid ``r`` covering ``piece``: the units mostly inside it,
        then every unit it touches substantially, then those with their whole settlements."""
        hits = self.tree.query(piece, predicate="intersects")
        hits = [int(u) for u in hits if self.state.labels[u] == r]
        if not hits:
            return []
        inside = shapely.area(shapely.intersection(self.cells_m[hits], piece))
        share = SHARE_IN_PIECE
        core = {u for u, a in zip(hits, inside, strict=True) if a >= share * self.cell_area[u]}
        touched = {
            u
            for u, a in zip(hits, inside, strict=True)
            if a >= share * min(self.cell_area[u], piece.area)
        }
        out = []
        for units in (core, touched | core):
            if units and units not in out:
                out.append(units)
        for units in list(out):
            whole = set(units)
            for s in {int(self.settlement[u]) for u in units}:
                if self.set_load[s] <= self.limit:
                    whole |= {v for v in self.members_of[s] if self.state.labels[v] == r}
            if whole not in out:
                out.append(whole)
        return out

    # --- moves ----------------------------------------------------------------------------
    def _dist(self, load: float) -> float:
        return max(self.lo - load, 0.0, load - self.hi)

    def excess(self, delta: dict[int, float] | None = None) -> float:
        """The village's worst distance (households) of a grid's load outside the band, were
        the loads changed by ``delta``."""
        load, delta = self.state.load, delta or {}
        return max((self._dist(load[r] + delta.get(r, 0.0)) for r in self.state.members), default=0)

    def spread(self, delta: dict[int, float] | None = None) -> float:
        """The village's worst distance of a grid's load from the middle of the band."""
        load, delta, mid = self.state.load, delta or {}, (self.lo + self.hi) / 2
        return max((abs(load[r] + delta.get(r, 0.0) - mid) for r in self.state.members), default=0)

    def note_pushed(self, delta: dict[int, float], rule: str) -> None:
        """Remember ``rule`` on the grids that ``delta`` takes further out of the band."""
        load = self.state.load
        for r, d in delta.items():
            if self._dist(load[r] + d) > self._dist(load[r]) + 1e-9:
                self.pushed[r] = rule

    def loads_ok(self, delta: dict[int, float]) -> bool:
        """Whether changing loads by ``delta`` keeps each grid in the band or brings it closer."""
        load = self.state.load
        return all(self._dist(load[r] + d) <= self._dist(load[r]) + 1e-9 for r, d in delta.items())

    def connected_after(self, moves: dict[int, int]) -> bool:
        """Whether every grid touched by ``moves`` (unit → grid) is non-empty and connected."""
        labels = self.state.labels
        new = lambda u: moves.get(u, int(labels[u]))  # noqa: E731
        touched = set(moves.values()) | {int(labels[u]) for u in moves}
        for r in touched:
            members = (self.state.members.get(r, set()) - moves.keys()) | {
                u for u, g in moves.items() if g == r
            }
            if not members:
                return False
            start = next(iter(members))
            seen, queue = {start}, deque([start])
            while queue:
                x = queue.popleft()
                for y in self.state.nb[x].tolist():
                    if y not in seen and new(y) == r:
                        seen.add(y)
                        queue.append(y)
            if len(seen) != len(members):
                return False
        return True

    def unforced_splits(self, units) -> int:
        """Settlements among those of ``units`` that a grid could hold and that lie split."""
        count = 0
        for s in {int(self.settlement[u]) for u in units}:
            if self.set_load[s] <= self.limit:
                grids = {int(self.state.labels[v]) for v in self.members_of[s]}
                count += len(grids) > 1
        return count

    def apply(self, moves: dict[int, int]) -> dict[int, int]:
        """Move units (unit → grid); return the inverse moves."""
        back = {u: int(self.state.labels[u]) for u in moves}
        for u, g in moves.items():
            for r in (int(self.state.labels[u]), g):
                self._pieces.pop(r, None)
            self.state.move(u, g)
        return back

    def shared_with(self, units: set[int], r: int) -> float:
        """Boundary (m) between ``units`` and the units of grid ``r``."""
        labels = self.state.labels
        return float(
            sum(
                s[labels[nb] == r].sum()
                for s, nb in ((self.shared[u], self.state.nb[u]) for u in units)
            )
        )

    def neighbours_of(self, units: set[int]) -> set[int]:
        """Grids touching ``units`` other than the units' own."""
        labels = self.state.labels
        own = {int(labels[u]) for u in units}
        out = {int(labels[v]) for u in units for v in self.state.nb[u].tolist()}
        return out - own

    def rebalance(
        self, moves: dict[int, int], prefer: int | None = None, relaxed: bool = False
    ) -> dict[int, int] | None:
        """``moves`` plus blocks exchanged between neighbouring grids until every grid's load is
        acceptable again (:meth:`loads_ok`), the moved units staying where ``moves`` put them;
        ``None`` when no such blocks are found. Blocks to or from ``prefer`` come first.
        ``relaxed``: when the band cannot be kept, the exchanges that bring the village's worst
        excess (:meth:`excess`) lowest instead, never ``None``."""
        plan = dict(moves)
        frozen = set(moves)
        load = self.state.load
        best_relaxed = (self.excess(self.delta_of(plan)), plan)
        for _ in range(MAX_EXCHANGE):
            delta = self.delta_of(plan)
            if relaxed and self.excess(delta) < best_relaxed[0] - 1e-9:
                best_relaxed = (self.excess(delta), plan)
            bad = [g for g, d in delta.items() if self._dist(load[g] + d) > self._dist(load[g])]
            if not bad:
                return plan
            g = min(bad, key=lambda r: (-self._dist(load[r] + delta[r]), r))
            now = load[g] + delta[g]
            over = now > self.hi
            need = now - self.hi if over else self.lo - now
            best = None
            for h in sorted(self._grids_touching(plan, g)):
                src, dst = (g, h) if over else (h, g)
                for block in self._boundary_blocks(plan, src, dst):
                    if block & frozen:
                        continue
                    trial = {**plan, **{u: dst for u in block}}
                    d = self.delta_of(trial)
                    h_after = self._dist(load[h] + d.get(h, 0.0))
                    if relaxed:
                        if max(h_after, self._dist(load[g] + d.get(g, 0.0))) >= self._dist(now):
                            continue
                    elif h_after > self._dist(load[h]) + 1e-9:
                        continue
                    w = float(self.state.w[list(block)].sum())
                    home = sum(self.state.w[u] for u in block if self.state.orig[u] == dst)
                    key = (max(need - w, 0.0), h != prefer, w, -home)
                    if best is not None and key >= best[0]:
                        continue
                    if self.connected_after(trial):
                        best = (key, trial)
            if best is None:
                return best_relaxed[1] if relaxed else None
            plan = best[1]
        if self.loads_ok(self.delta_of(plan)):
            return plan
        if relaxed and self.excess(self.delta_of(plan)) < best_relaxed[0] - 1e-9:
            return plan
        return best_relaxed[1] if relaxed else None

    def _grids_touching(self, plan: dict[int, int], grid: int) -> set[int]:
        labels = self.state.labels
        new = lambda u: plan.get(u, int(labels[u]))  # noqa: E731
        members = (self.state.members.get(grid, set()) - plan.keys()) | {
            u for u, g in plan.items() if g == grid
        }
        return {new(v) for u in members for v in self.state.nb[u].tolist()} - {grid}

    def _boundary_blocks(self, plan: dict[int, int], grid: int, to: int) -> list[set[int]]:
        """Units of ``grid`` (after ``plan``) touching grid ``to`` that may move there: whole
        settlements that a grid can hold, single units of larger ones."""
        labels = self.state.labels
        new = lambda u: plan.get(u, int(labels[u]))  # noqa: E731
        seen, out = set(), []
        for u in self.state.members[grid]:
            if u in plan or u in seen:
                continue
            if not any(new(v) == to for v in self.state.nb[u].tolist()):
                continue
            s = int(self.settlement[u])
            if self.set_load[s] > self.limit:
                out.append({u})  # a settlement larger than a grid moves unit by unit
                continue
            block = self.members_of[s]
            if any(new(v) != grid for v in block):
                continue
            seen |= block
            out.append(set(block))
        return out

    def delta_of(self, moves: dict[int, int]) -> dict[int, float]:
        """Change of each grid's load were ``moves`` (unit → grid) made."""
        delta: dict[int, float] = {}
        for u, g in moves.items():
            here = int(self.state.labels[u])
            if here == g:
                continue
            delta[here] = delta.get(here, 0.0) - self.state.w[u]
            delta[g] = delta.get(g, 0.0) + self.state.w[u]
        return delta


def repair_shapes(
    *,
    cells: VillageCells,
    labels: np.ndarray,
    initial: np.ndarray,
    settlement: np.ndarray,
    lo: float,
    hi: float,
    limit: float,
) -> ShapeRepair:
    """Rejoin needlessly split settlements and remove thin strips from the grids ``labels``
    (grid per unit) of one village; ``limit`` is the largest settlement a grid must hold whole
    (the target), ``initial`` each unit's current grid (moves home are preferred)."""
    village = RepairVillage(cells, labels, initial, settlement, lo, hi, limit)
    start = village.state.labels.copy()
    start_load = dict(village.state.load)
    split: dict[int, tuple[list[int], str]] = {}
    for _ in range(MAX_ROUNDS):
        joined, split = rejoin_settlements(village)
        thinned = remove_strips(village)
        if not joined and not thinned:
            break
    _, split = rejoin_settlements(village)
    return ShapeRepair(
        labels=village.state.labels.copy(),
        thin=thin_exceptions(village),
        split=split,
        moved=int((village.state.labels != start).sum()),
        pushed={
            r: rule
            for r, rule in village.pushed.items()
            if r in village.state.members
            and village._dist(village.state.load[r]) > village._dist(start_load.get(r, 0.0)) + 1e-9
        },
    )
