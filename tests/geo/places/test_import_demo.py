"""Import against the demo county (synthetic grids over the real Lintan boundary and codes)."""

from __future__ import annotations

from sqlalchemy import text

from geo.places import import_file
from tests.geo.places.test_import_factories import row_versions, write_csv


def test_imported_addresses_land_on_the_same_grids_as_the_demo_addresses(demo_db, tmp_path):
    sample = demo_db.execute(
        text(
            "SELECT a.code, a.full_text, g.code AS grid, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat "
            "FROM address a LEFT JOIN grid g ON g.id = a.grid_id ORDER BY a.code LIMIT 2000"
        )
    ).all()
    rows = [[f"T-{r.code}", r.full_text, repr(r.lon), repr(r.lat)] for r in sample]
    path = write_csv(tmp_path / "copy.csv", ["地址编码", "地址", "经度", "纬度"], rows)
    report = import_file(session=demo_db, kind="addresses", path=path)
    assert report.inserted == len(sample)
    assert not [w for w in report.warnings if "GCJ" in w.reason]
    placed = dict(
        demo_db.execute(
            text(
                "SELECT a.code, g.code FROM address a LEFT JOIN grid g ON g.id = a.grid_id "
                "WHERE a.code LIKE 'T-%'"
            )
        ).all()
    )
    assert placed == {f"T-{r.code}": r.grid for r in sample}


def test_reloading_demo_grids_as_a_county_file_marks_them_real_then_changes_nothing(
    demo_db, tmp_path
):
    village = demo_db.execute(
        text("SELECT village_code FROM grid WHERE valid_to IS NULL ORDER BY code LIMIT 1")
    ).scalar_one()
    grids = demo_db.execute(
        text(
            "SELECT code, name, households, population, ST_AsText(geom) AS wkt FROM grid "
            "WHERE valid_to IS NULL AND village_code = :v ORDER BY code"
        ),
        {"v": village},
    ).all()
    rows = [[g.code, g.name, g.households, g.population, g.wkt] for g in grids]
    path = write_csv(tmp_path / "grids.csv", ["网格编码", "网格名称", "户数", "人口", "WKT"], rows)
    first = import_file(session=demo_db, kind="grids", path=path)
    assert (first.inserted, first.updated, first.closed) == (0, len(grids), 0)
    synthetic = demo_db.execute(
        text("SELECT bool_or(synthetic) FROM grid WHERE valid_to IS NULL AND village_code = :v"),
        {"v": village},
    ).scalar_one()
    assert synthetic is False
    before = row_versions(demo_db, "grid")
    again = import_file(session=demo_db, kind="grids", path=path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(grids))
    assert row_versions(demo_db, "grid") == before
