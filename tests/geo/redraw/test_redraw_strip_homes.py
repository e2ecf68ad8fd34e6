"""Thin strips holding houses after drawing (geo/redraw/strip_homes.py), on a SYNTHETIC village."""

from __future__ import annotations

import numpy as np
import shapely

from demo.village import LINTAN_EPSG
from geo.redraw.assemble import assemble_village
from geo.redraw.cells import build_cells, geoms_to_lonlat, geoms_to_metric
from geo.redraw.draw import REASON_ADDRESS
from geo.redraw.shapes import MIN_STRIP_WIDTH_M, settlements, thinnest_strip
from geo.redraw.strip_homes import clear_strip_homes
from geo.redraw.village import RedrawParams, VillageInput

X0, Y0 = 580_000.0, 3_840_000.0  # metres in UTM 48N, near Lintan
LANE = [(520, 300), (600, 300), (680, 300)]  # grid A's homesteads along a lane into grid B


def _lane_village():
    """A 1 km × 600 m village: grid A's houses on a lattice on the left and along a lane that
    runs east between two rows of grid B's houses, so A's outline there is a strip about 60 m
    wide holding A's houses; 5 households at each address, 12 addresses per grid."""
    pts, grid = [], []
    for x in (100, 250, 400):
        for y in (100, 300, 500):
            pts.append((x, y))
            grid.append(0)
    for x in (560, 640, 720):
        for y in (230, 370):
            pts.append((x, y))
            grid.append(1)
    for xy in ((560, 60), (720, 60), (560, 540), (720, 540), (880, 150), (880, 450)):
        pts.append(xy)
        grid.append(1)
    pts += LANE
    grid += [0] * len(LANE)
    n = len(pts)
    xy = np.array(pts, float) + np.array([X0, Y0])
    village = geoms_to_lonlat(np.array([shapely.box(X0, Y0, X0 + 1000, Y0 + 600)]), LINTAN_EPSG)[0]
    points = geoms_to_lonlat(shapely.points(xy), LINTAN_EPSG)
    codes = np.array(["623021100299001" if g == 0 else "623021100299002" for g in grid], object)
    houses = np.full(n, 5.0)
    cells = build_cells(village=village, points=points, households=houses)
    current = {
        c: shapely.union_all(cells.cells[np.unique(cells.unit_of_address[codes == c])])
        for c in sorted(set(codes))
    }
    village_input = VillageInput(
        code="623021100299",
        geom=village,
        address_ids=np.arange(1, n + 1),
        points=points,
        houses=houses,
        grid_codes=codes,
        group_codes=np.array([None] * n, dtype=object),
        current_grids=current,
        used_grid_codes=set(current),
    )
    labels = np.zeros(cells.n_units, dtype=np.int64)
    labels[cells.unit_of_address] = grid
    return village_input, cells, labels


def _planner(village, cells, labels):
    codes = sorted(village.current_grids)
    settlement = settlements(cells.xy, cells.neighbours)

    def assemble(unit_grid):
        return assemble_village(
            village=village,
            params=RedrawParams(target=60),
            cells=cells,
            initial=labels,
            current_codes=codes,
            unit_grid=unit_grid,
            grid_codes=codes,
            parent_of={},
            feasible=True,
            settlement=settlement,
        )

    return assemble


def _min_width_notes(plan) -> dict[str, str]:
    return {
        g["code"]: e["reason"]
        for g in plan.grids
        for e in g.get("shape_exceptions", [])
        if e["rule"] == "min_width"
    }


def _lane_units(cells) -> list[int]:
    return [int(np.argmin(np.hypot(*(cells.xy - (X0 + x, Y0 + y)).T))) for x, y in LANE]


def test_houses_in_a_drawn_strip_go_to_the_grid_beside_it_and_the_strip_is_gone():
    village, cells, labels = _lane_village()
    assemble = _planner(village, cells, labels)
    plan = assemble(labels)
    # Drawing alone keeps the lane: households live in it.
    assert _min_width_notes(plan) == {"623021100299001": REASON_ADDRESS}

    fixed, pushed = clear_strip_homes(plan, assemble, initial=labels, lo=51, hi=69, limit=60)

    assert _min_width_notes(fixed) == {}
    village_m = geoms_to_metric(np.array([cells.village]), cells.epsg)[0]
    outlines = geoms_to_metric(np.array([g["geometry"] for g in fixed.grids]), cells.epsg)
    assert min(thinnest_strip(g, village_m) for g in outlines) >= MIN_STRIP_WIDTH_M
    # The lane's far homesteads now belong to B; the band held, so no grid was pushed out.
    lane = _lane_units(cells)
    assert fixed.unit_grid[lane[1]] == fixed.unit_grid[lane[2]] == 1
    assert pushed == set()
    households = [g["households"] for g in fixed.grids]
    assert sum(households) == 120 and all(51 <= h <= 69 for h in households)
    # Every house lies inside its grid's drawn outline, and each grid is one piece.
    for u in range(cells.n_units):
        assert outlines[fixed.unit_grid[u]].buffer(0.01).contains(shapely.Point(cells.xy[u]))
    assert all(g.geom_type == "Polygon" for g in outlines)


def test_a_plan_without_houses_in_strips_is_returned_unchanged():
    village, cells, labels = _lane_village()
    assemble = _planner(village, cells, labels)
    lane = _lane_units(cells)
    clean = labels.copy()
    clean[lane] = 1
    plan = assemble(clean)
    assert _min_width_notes(plan) == {}
    same, pushed = clear_strip_homes(plan, assemble, initial=labels, lo=51, hi=69, limit=60)
    assert same is plan and pushed == set()
