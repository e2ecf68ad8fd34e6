"""Shape rules of a redraw on small hand-made fixtures: compact pairs, band, settlements, strips."""

from __future__ import annotations

import numpy as np
import shapely

from geo.redraw.blocks import block_labels
from geo.redraw.partition import repair_partition
from geo.redraw.regions import RegionState
from geo.redraw.reshape import UnitShapes, polsby_popper_of, reshape_pairs
from geo.redraw.shapes import MIN_STRIP_WIDTH_M, thinnest_strip


def _lattice(side: int) -> tuple[list[np.ndarray], UnitShapes, np.ndarray]:
    """Unit squares of 100 m on a ``side``×``side`` lattice: neighbours, shapes, centres."""
    neighbours, shared, outer = [], [], []
    for i in range(side * side):
        r, c = divmod(i, side)
        nb = [
            (r + dr) * side + (c + dc)
            for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1))
            if 0 <= r + dr < side and 0 <= c + dc < side
        ]
        neighbours.append(np.array(sorted(nb), dtype=np.int64))
        shared.append(np.full(len(nb), 100.0))
        outer.append(100.0 * (4 - len(nb)))
    xy = np.array([divmod(i, side)[::-1] for i in range(side * side)], float) * 100
    shapes = UnitShapes(area=np.full(side * side, 1e4), outer=np.array(outer), shared=shared)
    return neighbours, shapes, xy


def _comb_labels(side: int) -> np.ndarray:
    """Two interlocking combs: region 1 holds the last column and the odd rows but for their
    first cell, region 0 the rest."""
    labels = np.zeros(side * side, dtype=np.int64)
    for i in range(side * side):
        r, c = divmod(i, side)
        if (r % 2 == 1 and c > 0) or c == side - 1:
            labels[i] = 1
    return labels


def _sum_pp(labels: np.ndarray, neighbours, shapes: UnitShapes) -> float:
    total = 0.0
    for r in np.unique(labels):
        idx = np.flatnonzero(labels == r)
        cut = sum(shapes.shared[u][labels[neighbours[u]] != r].sum() for u in idx.tolist())
        total += polsby_popper_of(shapes.area[idx].sum(), shapes.outer[idx].sum() + cut)
    return total


def _connected(labels: np.ndarray, neighbours, r: int) -> bool:
    state = RegionState(labels.copy(), np.ones(len(labels)), neighbours, None, labels.copy())
    return len(state.components(r)) == 1


def test_reshape_makes_interlocking_grids_more_compact_and_keeps_the_band():
    side = 8
    neighbours, shapes, xy = _lattice(side)
    labels = _comb_labels(side)
    weights = np.ones(side * side)
    lo, hi = 27, 37
    assert all(lo <= (labels == r).sum() <= hi for r in (0, 1))
    state = RegionState(labels.copy(), weights, neighbours, xy, labels.copy())
    before = _sum_pp(labels, neighbours, shapes)
    gained = reshape_pairs(state, shapes, lo, hi, pp_per_household=0.0)
    after = _sum_pp(state.labels, neighbours, shapes)
    assert gained > 0
    assert after > before
    assert abs(after - before - gained) < 1e-6
    for r in (0, 1):
        assert lo <= (state.labels == r).sum() <= hi
        assert _connected(state.labels, neighbours, r)


def test_reshape_never_leaves_compact_grids_worse():
    side = 6
    neighbours, shapes, xy = _lattice(side)
    labels = (np.arange(side * side) % side >= side // 2).astype(np.int64)
    state = RegionState(labels.copy(), np.ones(side * side), neighbours, xy, labels.copy())
    before = _sum_pp(labels, neighbours, shapes)
    reshape_pairs(state, shapes, 15, 21)
    assert _sum_pp(state.labels, neighbours, shapes) >= before - 1e-9


def test_reshape_weighs_households_moved_against_compactness():
    side = 8
    neighbours, shapes, xy = _lattice(side)
    labels = _comb_labels(side)
    state = RegionState(labels.copy(), np.ones(side * side), neighbours, xy, labels.copy())
    reshape_pairs(state, shapes, 27, 37, pp_per_household=1.0)
    assert (state.labels == labels).all()


def test_partition_with_shapes_balances_and_is_at_least_as_compact_as_without():
    side = 8
    neighbours, shapes, xy = _lattice(side)
    start = _comb_labels(side)
    start[:3] = 1  # region 0 too light: the repair must move units into it
    weights = np.ones(side * side)
    common = dict(
        weights=weights, neighbours=neighbours, xy=xy, initial=start, n_regions=2, lo=28, hi=36
    )
    plain = repair_partition(**common, shared_m=shapes.shared)
    shaped = repair_partition(**common, shared_m=shapes.shared, shapes=shapes)
    for part in (plain, shaped):
        assert not part.unbalanced
        assert all(28 <= (part.labels == r).sum() <= 36 for r in np.unique(part.labels))
    assert _sum_pp(shaped.labels, neighbours, shapes) >= _sum_pp(plain.labels, neighbours, shapes)


def test_settlement_that_fits_a_grid_is_one_block_and_a_larger_one_is_cut():
    # Two hamlets 1 km apart on a path; across the hamlets two current grids.
    xy = np.array([[0, 0], [50, 0], [100, 0], [1100, 0], [1150, 0], [1200, 0]], float)
    neighbours = [np.array([v for v in (u - 1, u + 1) if 0 <= v < 6]) for u in range(6)]
    weight = np.array([10, 10, 10, 30, 30, 30], float)
    initial = np.array([0, 0, 1, 1, 1, 1])
    labels = block_labels(xy, neighbours, weight, initial, limit=60, inner_limit=30)
    assert len(set(labels[:3].tolist())) == 1  # 30 households: whole, though two grids had it
    assert len(set(labels[3:].tolist())) > 1  # 90 households: more than a grid, cut
    assert not set(labels[:3].tolist()) & set(labels[3:].tolist())


def test_strip_thinner_than_the_minimum_is_flagged_unless_the_village_forces_it():
    village = shapely.box(0, 0, 1000, 1000)
    body = shapely.box(0, 0, 400, 400)
    strip = shapely.box(400, 0, 900, 50)
    grid = shapely.union_all([body, strip])
    assert thinnest_strip(grid, village) < MIN_STRIP_WIDTH_M
    assert thinnest_strip(body, village) >= MIN_STRIP_WIDTH_M
    narrow_village = shapely.union_all([body, strip])
    assert thinnest_strip(grid, narrow_village) >= MIN_STRIP_WIDTH_M
