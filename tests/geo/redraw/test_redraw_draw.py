"""Grid outlines drawn through empty land (geo/redraw/draw.py) on SYNTHETIC shapes."""

from __future__ import annotations

import numpy as np
import shapely

from demo.village import LINTAN_EPSG, synthetic_village
from geo.redraw.cells import geoms_to_lonlat, geoms_to_metric
from geo.redraw.draw import REASON_ADDRESS, draw_grids
from geo.redraw.explain import shape_exceptions
from geo.redraw.shapes import MIN_STRIP_WIDTH_M, thinnest_strip
from geo.redraw.village import RedrawParams, propose_village

X0, Y0 = 580_000.0, 3_840_000.0  # metres in UTM 48N, near Lintan


def _spiked(spike_address: bool):
    """A 1 km square village: grid A on the left with a 20 m wide, 400 m long spike running
    east between grids B (top right) and C (bottom right); addresses in each body, and with
    ``spike_address`` one of A's at the spike's tip."""
    spike = shapely.box(X0 + 500, Y0 + 490, X0 + 900, Y0 + 510)
    a = shapely.union(shapely.box(X0, Y0, X0 + 500, Y0 + 1000), spike)
    b = shapely.box(X0 + 500, Y0 + 500, X0 + 1000, Y0 + 1000).difference(spike)
    c = shapely.box(X0 + 500, Y0, X0 + 1000, Y0 + 500).difference(spike)
    xy = [(X0 + 250, Y0 + 300), (X0 + 250, Y0 + 700), (X0 + 750, Y0 + 750), (X0 + 750, Y0 + 250)]
    grid = [0, 0, 1, 2]
    if spike_address:
        xy.append((X0 + 880, Y0 + 500))
        grid.append(0)
    geoms = geoms_to_lonlat(np.array([a, b, c]), LINTAN_EPSG)
    # The village as the grids tile it in EPSG:4326 (a square reprojected alone bends apart).
    village = shapely.coverage_union_all(geoms)
    return geoms, village, np.array(xy), np.array(grid)


def _assert_tiles(geoms: np.ndarray, village) -> None:
    union = shapely.union_all(geoms)
    assert shapely.area(shapely.symmetric_difference(union, village)) < 1e-9 * village.area
    assert abs(shapely.area(geoms).sum() - village.area) < 1e-9 * village.area
    assert all(g.geom_type == "Polygon" and g.is_valid for g in geoms)


def _widths(geoms: np.ndarray, village) -> list[float]:
    village_m = geoms_to_metric(np.array([village]), LINTAN_EPSG)[0]
    return [thinnest_strip(g, village_m) for g in geoms_to_metric(geoms, LINTAN_EPSG)]


def test_an_empty_spike_goes_to_a_neighbour_and_the_grid_widens():
    geoms, village, xy, grid = _spiked(spike_address=False)
    assert _widths(geoms, village)[0] < MIN_STRIP_WIDTH_M
    drawn = draw_grids(geoms, village=village, epsg=LINTAN_EPSG, unit_xy=xy, unit_grid=grid)
    widths = _widths(drawn.geoms, village)
    assert min(widths) >= MIN_STRIP_WIDTH_M
    assert not drawn.thin
    assert drawn.transfers and drawn.transfers[0].src == 0
    # The spike's land now lies in B or C, and A keeps its body and its households.
    tip = geoms_to_lonlat(np.array([shapely.Point(X0 + 880, Y0 + 500)]), LINTAN_EPSG)[0]
    assert not drawn.geoms[0].intersects(tip)
    assert drawn.geoms[1].intersects(tip) or drawn.geoms[2].intersects(tip)
    homes = geoms_to_lonlat(shapely.points(xy), LINTAN_EPSG)
    assert all(drawn.geoms[g].intersects(p) for g, p in zip(grid, homes, strict=True))
    _assert_tiles(drawn.geoms, village)


def test_a_spike_holding_an_address_stays_and_is_named():
    geoms, village, xy, grid = _spiked(spike_address=True)
    drawn = draw_grids(geoms, village=village, epsg=LINTAN_EPSG, unit_xy=xy, unit_grid=grid)
    assert drawn.thin == {0: REASON_ADDRESS}
    assert _widths(drawn.geoms, village)[0] < MIN_STRIP_WIDTH_M
    assert shapely.area(shapely.symmetric_difference(drawn.geoms[0], geoms[0])) < 1e-12
    grids = [{"code": c, "name": c} for c in ("A", "B", "C")]
    grids[0]["shape_exceptions"] = [{"rule": "min_width", "reason": drawn.thin[0]}]
    (phrase,) = shape_exceptions([{"grids": grids}])
    assert phrase.startswith("A有宽不足100米") and "住户" in phrase
    _assert_tiles(drawn.geoms, village)


def test_a_proposal_draws_outlines_that_still_tile_the_village_with_their_groups():
    village = synthetic_village(n_addresses=500, n_grids=5, seed=3)
    plan = propose_village(village, RedrawParams(target=200.0))
    assert plan.metrics["outline_pieces_given"] > 0
    geoms = np.array([g["geometry"] for g in plan.grids])
    _assert_tiles(geoms, village.geom)
    points = village.points
    for g in plan.grids:
        mine = points[plan.address_grid == g["code"]]
        assert shapely.intersects(g["geometry"], mine).all()
    for g in plan.grids:
        parts = [x["geometry"] for x in plan.groups if x["grid_code"] == g["code"]]
        union = shapely.union_all(parts)
        gap = shapely.area(shapely.symmetric_difference(union, g["geometry"]))
        assert gap < 1e-9 * g["geometry"].area
    # Polsby–Popper is measured on the drawn outlines.
    pp = 4 * np.pi * shapely.area(geoms_to_metric(geoms, plan.cells.epsg))
    pp /= shapely.length(geoms_to_metric(geoms, plan.cells.epsg)) ** 2
    assert np.allclose(plan.metrics["polsby_popper"], pp, atol=1e-4)
