"""Point-to-grid assignment: the boundary rule, points outside every grid, three paths agree.

Rule (geo/places/assign.py): a point covered by several current grids goes to the grid whose code
sorts first; a point outside every grid keeps ``grid_id`` null and is reported.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from geo.places import import_file
from geo.places.assign import GridIndex, assign_addresses, grid_at
from tests.geo.places.test_import_factories import (
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_BOXES,
    add_admin_units,
    add_grids,
    grid_boxes,
    write_csv,
)

A1, A2, A3, A4 = grid_boxes(VILLAGE_A)
B1 = next(iter(grid_boxes(VILLAGE_B)))
EDGE_X = grid_boxes(VILLAGE_A)[A1][2]  # the meridian between A1 and A2
MID_Y = grid_boxes(VILLAGE_A)[A1][3]  # the parallel between A1 and A3
VILLAGE_EDGE_X = VILLAGE_BOXES[VILLAGE_A][2]  # between the two villages (A2 | B1)

CASES = [
    # (what, lon, lat, expected grid code or None)
    ("inside A1", 103.605, 34.705, A1),
    ("edge A1|A2", EDGE_X, 34.705, A1),
    ("corner of A1, A2, A3, A4", EDGE_X, MID_Y, A1),
    ("edge A2|A4", 103.615, MID_Y, A2),
    ("edge between villages A2|B1", VILLAGE_EDGE_X, 34.705, A2),
    ("outside every grid", 103.683, 34.790, None),
]


@pytest.fixture
def grids(db):
    """Lintan, its set-up admin units and eight synthetic grids."""
    add_admin_units(db)
    add_grids(db)
    return db


@pytest.mark.parametrize(("what", "lon", "lat", "expected"), CASES, ids=[c[0] for c in CASES])
def test_sql_and_memory_paths_follow_the_documented_rule(grids, what, lon, lat, expected):
    hit = grid_at(session=grids, lon=lon, lat=lat)
    assert (hit.code if hit else None) == expected, what
    index = GridIndex.load(session=grids, county="623021")
    position = index.assign([lon], [lat])[0]
    assert (str(index.codes[position]) if position >= 0 else None) == expected, what


def test_import_puts_each_boundary_point_on_exactly_the_documented_grid(grids, tmp_path):
    rows = [[f"P{i}", f"{what}（模拟）", lon, lat] for i, (what, lon, lat, _) in enumerate(CASES)]
    path = write_csv(tmp_path / "points.csv", ["code", "address", "lon", "lat"], rows)
    report = import_file(session=grids, kind="addresses", path=path)
    assert report.inserted == len(CASES)
    assert [p.row for p in report.outside_grids] == [len(CASES) + 1]
    stored = dict(
        grids.execute(
            text("SELECT a.code, g.code FROM address a LEFT JOIN grid g ON g.id = a.grid_id")
        ).all()
    )
    assert stored == {f"P{i}": expected for i, (*_, expected) in enumerate(CASES)}
    # The set-based SQL path gives the same answer and lists the point outside every grid.
    grids.execute(text("UPDATE address SET grid_id = NULL"))
    outside = assign_addresses(session=grids, county="623021")
    again = dict(
        grids.execute(
            text("SELECT a.code, g.code FROM address a LEFT JOIN grid g ON g.id = a.grid_id")
        ).all()
    )
    assert again == stored
    assert [r["code"] for r in outside] == [f"P{len(CASES) - 1}"]
