"""Shape rules of a redraw: settlements, boundary lengths between units, and thin strips.

Settlements (自然村落) are clusters of addresses whose neighbouring units lie within
``SETTLEMENT_GAP_M`` of each other (single linkage along the cell adjacency, so every settlement
is connected). A grid boundary never runs through a settlement unless the settlement alone holds
more households than a grid may; then its units are placed one by one.

The width rule, as a township would check it on the map: **no grid has a part narrower than
``MIN_STRIP_WIDTH_M`` (100 m) between two of its boundaries — with other grids or with the
village edge — where the village itself is wider.** Precisely, for a grid ``G`` in village
``V`` and a width ``w``:

* the part of ``G`` that a disc of diameter ``w`` lying inside ``G`` cannot reach is what the
  morphological opening of ``G`` at radius ``w/2`` removes;
* what the opening of ``V`` itself removes (within 1 m) is left out: there the village is
  narrower than ``w`` and no grid boundary could do better;
* a connected piece of what is left is a strip when it is longer than it is wide (area > ``w²``);
  smaller pieces are corners where two boundaries meet at an angle.

A grid breaks the rule when it has a strip at some ``w`` ≤ 100 m (tested at 25, 50, 75 and
100 m, ``WIDTH_STEPS_M``); its thinnest strip is the largest tested width below which it has
none. The grid's own dissolved outline is measured, not its units' cells, so a unit whose cell
is itself narrow counts only where that narrow part lies between the grid's boundaries.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry.base import BaseGeometry

# Addresses closer than this (metres, along neighbouring cells) belong to one settlement.
SETTLEMENT_GAP_M = 150.0
# No grid may have a strip thinner than this (metres) that its village does not force.
MIN_STRIP_WIDTH_M = 100.0
# Widths (metres) tried when measuring a grid's thinnest strip.
WIDTH_STEPS_M = (25.0, 50.0, 75.0, 100.0, 125.0, 150.0, 200.0, 300.0)
# Widths (metres) at which the width rule is tested: the steps up to the minimum.
RULE_WIDTHS_M = tuple(w for w in WIDTH_STEPS_M if w <= MIN_STRIP_WIDTH_M)


def settlements(xy: np.ndarray, neighbours: list[np.ndarray], gap: float = SETTLEMENT_GAP_M):
    """Settlement of each unit: connected components of the neighbour graph restricted to
    pairs of units at most ``gap`` metres apart."""
    n = len(xy)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    sizes = [len(v) for v in neighbours]
    src = np.repeat(np.arange(n), sizes)
    dst = np.concatenate(neighbours).astype(np.int64) if sum(sizes) else np.zeros(0, np.int64)
    near = np.hypot(*(xy[src] - xy[dst]).T) <= gap
    graph = coo_matrix((np.ones(int(near.sum())), (src[near], dst[near])), shape=(n, n))
    return connected_components(graph, directed=False)[1].astype(np.int64)


def split_settlement_ids(settlement: np.ndarray, unit_grid: np.ndarray) -> np.ndarray:
    """The settlements whose units lie in more than one grid."""
    pairs = np.unique(np.stack([settlement, unit_grid], axis=1), axis=0)
    ids, count = np.unique(pairs[:, 0], return_counts=True)
    return ids[count > 1]


def settlements_split(
    settlement: np.ndarray, unit_grid: np.ndarray, weight: np.ndarray, limit: float
) -> tuple[int, int]:
    """``(split, forced)``: settlements whose units lie in more than one grid, and how many of
    those hold more than ``limit`` households (a split the grid size forces)."""
    split = split_settlement_ids(settlement, unit_grid)
    load = np.bincount(settlement, weights=weight)
    forced = int((load[split] > limit).sum())
    return len(split), forced


def opening_loss(geom_m: BaseGeometry, width: float) -> BaseGeometry:
    """What a morphological opening at ``width`` removes from ``geom_m`` (metric CRS): every
    part narrower than ``width``, thin strips and notches alike."""
    radius = width / 2
    opened = geom_m.buffer(-radius, quad_segs=4).buffer(radius, quad_segs=4)
    return geom_m.difference(opened)


def thin_pieces(
    geom_m: BaseGeometry, width: float, village_loss: BaseGeometry | None = None
) -> list[BaseGeometry]:
    """Parts of ``geom_m`` (metric CRS) narrower than ``width`` and larger than ``width²``,
    leaving out what ``village_loss`` (the village's own narrow parts) covers."""
    loss = opening_loss(geom_m, width)
    if village_loss is not None and not village_loss.is_empty:
        loss = loss.difference(village_loss.buffer(1.0))
    return [p for p in shapely.get_parts(loss) if p.area > width * width]


def village_loss(village_m: BaseGeometry, width: float) -> BaseGeometry:
    """The village's own parts narrower than ``width`` (metric CRS)."""
    return opening_loss(village_m, width)


def village_losses(village_m: BaseGeometry) -> dict[float, BaseGeometry]:
    """The village's own narrow parts (metric CRS) at each width the rule tests."""
    return {w: village_loss(village_m, w) for w in RULE_WIDTHS_M}


def rule_pieces(geom_m: BaseGeometry, losses: dict[float, BaseGeometry]) -> list[BaseGeometry]:
    """A grid's thin pieces (metric CRS) at every width the rule tests, the village's own
    narrow parts (``losses``, from :func:`village_losses`) left out; overlaps not merged."""
    found = []
    for width, loss in losses.items():
        found.extend(thin_pieces(geom_m, width, loss))
    return found


def thinnest_strip(
    geom_m: BaseGeometry, village_m: BaseGeometry, steps: tuple[float, ...] = WIDTH_STEPS_M
) -> float:
    """The largest width of ``steps`` at which the grid has no strip thinner than it (its
    village's own narrow parts aside); the last step when it has none at all."""
    passed = 0.0
    for width in steps:
        if thin_pieces(geom_m, width, village_loss(village_m, width)):
            return passed
        passed = width
    return passed
