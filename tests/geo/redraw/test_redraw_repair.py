"""The shape repair on a small lattice village: thin arms, forced strips, settlement rejoins."""

from __future__ import annotations

import numpy as np
import shapely

from geo.redraw.cells import build_cells, dissolve, geoms_to_lonlat, geoms_to_metric
from geo.redraw.explain import plan_summary
from geo.redraw.repair import repair_shapes
from geo.redraw.shapes import MIN_STRIP_WIDTH_M, thinnest_strip

EPSG = 32648  # UTM 48N, where the lattice is laid out
COLS, ROWS, STEP = 10, 6, 60.0


def _village():
    """A 600 m × 360 m village with one address every 60 m (cells of 60 m × 60 m)."""
    x0, y0 = 500_000.0, 3_900_000.0
    box = shapely.box(x0, y0, x0 + COLS * STEP, y0 + ROWS * STEP)
    pts = [
        shapely.Point(x0 + (c + 0.5) * STEP, y0 + (r + 0.5) * STEP)
        for r in range(ROWS)
        for c in range(COLS)
    ]
    village = geoms_to_lonlat(np.array([box]), EPSG)[0]
    points = geoms_to_lonlat(np.array(pts, dtype=object), EPSG)
    return village, points


def _cells(weight):
    village, points = _village()
    return build_cells(village=village, points=points, households=np.asarray(weight, float))


def _unit(cells, r, c):
    """The unit of the address in row ``r``, column ``c`` of the lattice."""
    return int(cells.unit_of_address[r * COLS + c])


def _arm_labels(cells):
    """Grid 0: columns 0–3 and an arm one cell (60 m) wide along row 0 to column 8; grid 1: the
    rest."""
    labels = np.ones(cells.n_units, dtype=np.int64)
    for r in range(ROWS):
        for c in range(COLS):
            if c <= 3 or (r == 0 and c <= 8):
                labels[_unit(cells, r, c)] = 0
    return labels


def _strip_widths(cells, labels):
    village_m = geoms_to_metric(np.array([cells.village]), cells.epsg)[0]
    grids = [dissolve(cells.cells[labels == g]) for g in np.unique(labels)]
    return [thinnest_strip(g, village_m) for g in geoms_to_metric(np.array(grids), cells.epsg)]


def _connected(cells, labels, g) -> bool:
    members = set(np.flatnonzero(labels == g).tolist())
    start = next(iter(members))
    seen, stack = {start}, [start]
    while stack:
        for v in cells.neighbours[stack.pop()].tolist():
            if v in members and v not in seen:
                seen.add(v)
                stack.append(v)
    return seen == members


def test_a_thin_arm_goes_to_the_neighbour_sharing_most_boundary():
    cells = _cells(np.ones(COLS * ROWS))
    labels = _arm_labels(cells)
    assert min(_strip_widths(cells, labels)) < MIN_STRIP_WIDTH_M
    out = repair_shapes(
        cells=cells,
        labels=labels,
        initial=labels,
        settlement=np.arange(cells.n_units),
        lo=20,
        hi=40,
        limit=55,
    )
    assert min(_strip_widths(cells, out.labels)) >= MIN_STRIP_WIDTH_M
    assert all(out.labels[_unit(cells, 0, c)] == 1 for c in range(4, 9))
    assert not out.thin
    for g in (0, 1):
        assert 20 <= (out.labels == g).sum() <= 40
        assert _connected(cells, out.labels, g)


def test_a_strip_no_balanced_move_can_remove_is_reported_with_its_reason():
    # The arm holds 50 of grid 0's 74 households; grid 1 (31) is already short of the band:
    # giving the arm away empties grid 0, widening it starves grid 1 further.
    weight = np.ones(COLS * ROWS)
    weight[[c for c in range(4, 9)]] = 10.0
    cells = _cells(weight)
    labels = _arm_labels(cells)
    out = repair_shapes(
        cells=cells,
        labels=labels,
        initial=labels,
        settlement=np.arange(cells.n_units),
        lo=70,
        hi=80,
        limit=200,
    )
    assert (out.labels == labels).all()
    assert out.thin == {0: "balance"}
    summary = plan_summary(
        {"grids": 2, "households_total": 105},
        [
            {
                "code": "v",
                "target": 75,
                "grids": [
                    {
                        "code": "g0",
                        "name": "一网格",
                        "households": 74,
                        "shape_exceptions": [{"rule": "min_width", "reason": out.thin[0]}],
                    },
                    {"code": "g1", "name": "二网格", "households": 31},
                ],
            }
        ],
        0.15,
    )
    assert "一网格有宽不足100米的狭长部分" in summary
    assert "no move keeps the grids in band" in summary


def _split_settlement(cells, units, labels, limit, lo=25, hi=35):
    settlement = np.arange(cells.n_units) + cells.n_units
    settlement[units] = 0
    return repair_shapes(
        cells=cells,
        labels=labels,
        initial=labels,
        settlement=settlement,
        lo=lo,
        hi=hi,
        limit=limit,
    )


def _halves(cells):
    labels = np.zeros(cells.n_units, dtype=np.int64)
    for r in range(ROWS):
        for c in range(5, COLS):
            labels[_unit(cells, r, c)] = 1
    return labels


def test_a_split_settlement_that_fits_a_grid_is_rejoined_with_the_grid_holding_most():
    cells = _cells(np.ones(COLS * ROWS))
    labels = _halves(cells)
    hamlet = [_unit(cells, 2, c) for c in (3, 4, 5)]  # two units in grid 0, one in grid 1
    out = _split_settlement(cells, hamlet, labels, limit=55)
    assert {int(out.labels[u]) for u in hamlet} == {0}
    assert not out.split
    for g in (0, 1):
        assert 25 <= (out.labels == g).sum() <= 35
        assert _connected(cells, out.labels, g)


def test_a_settlement_larger_than_the_target_may_stay_split():
    cells = _cells(np.ones(COLS * ROWS))
    labels = _halves(cells)
    town = [_unit(cells, r, c) for r in (2, 3) for c in range(2, 8)]  # 12 households
    out = _split_settlement(cells, town, labels, limit=10)
    assert len({int(out.labels[u]) for u in town}) == 2
    assert not out.split
