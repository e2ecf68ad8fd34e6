"""Loading grids: formats, tiling checks (gap, overlap, outside), re-import, history."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from sqlalchemy import text

from core.crs import wgs84_to_gcj02
from core.errors import ImportRejected
from geo.places import import_file
from tests.geo.places.test_import_factories import (
    VILLAGE_A,
    VILLAGE_B,
    add_admin_units,
    add_grids,
    counts,
    grid_boxes,
    grid_file_rows,
    row_versions,
    write_csv,
    write_vector,
    write_xlsx,
)


@pytest.fixture
def lintan(db):
    """Lintan with 城关镇 and two communities (synthetic outlines), no grids yet."""
    add_admin_units(db)
    return db


def _refused(session, path, **kw) -> list:
    before = counts(session)
    with pytest.raises(ImportRejected) as info:
        import_file(session=session, kind="grids", path=path, **kw)
    assert counts(session) == before, "a refused file must write nothing"
    return [p for p in info.value.problems if p.severity == "error"]


@pytest.mark.parametrize("suffix", [".shp", ".gpkg", ".geojson"])
def test_good_grid_file_loads_in_each_vector_format(lintan, tmp_path, suffix):
    records, geoms = grid_file_rows(VILLAGE_A)
    if suffix == ".shp":  # dBase field names: ASCII, 10 characters
        records = [{"code": r["网格编码"], "name": r["网格名称"], "households": r["户数"]}
                   for r in records]  # fmt: skip
    path = write_vector(tmp_path / f"grids{suffix}", records, geoms)
    report = import_file(session=lintan, kind="grids", path=path)
    assert (report.inserted, report.updated, report.unchanged) == (4, 0, 0)
    assert not report.warnings
    stored = lintan.execute(
        text("SELECT code, township_code, households FROM grid ORDER BY code")
    ).all()
    assert [r.code for r in stored] == list(grid_boxes(VILLAGE_A))
    assert {r.township_code for r in stored} == {"623021100"}
    assert [r.households for r in stored] == [30, 31, 32, 33]


def test_grids_from_csv_wkt_and_xlsx_wkt_load(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    header = ["网格编码", "户数", "WKT"]
    rows = [[r["网格编码"], r["户数"], g.wkt] for r, g in zip(records, geoms, strict=True)]
    report = import_file(
        session=lintan, kind="grids", path=write_csv(tmp_path / "g.csv", header, rows)
    )
    assert report.inserted == 4
    other, other_geoms = grid_file_rows(VILLAGE_B)
    rows = [[r["网格编码"], r["户数"], g.wkt] for r, g in zip(other, other_geoms, strict=True)]
    report = import_file(
        session=lintan, kind="grids", path=write_xlsx(tmp_path / "g.xlsx", header, rows)
    )
    assert report.inserted == 4
    names = lintan.execute(text("SELECT name FROM grid ORDER BY code LIMIT 1")).scalar_one()
    assert names == "东环路社区第1网格"  # no name column: village short name + sequence


def test_reimporting_the_same_file_changes_nothing(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    path = write_vector(tmp_path / "grids.gpkg", records, geoms)
    import_file(session=lintan, kind="grids", path=path)
    before = row_versions(lintan, "grid")
    again = import_file(session=lintan, kind="grids", path=path)
    assert (again.inserted, again.updated, again.unchanged, again.closed) == (0, 0, 4, 0)
    assert row_versions(lintan, "grid") == before


def test_changed_geometry_closes_the_old_row_and_opens_a_new_one(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    import_file(
        session=lintan, kind="grids", path=write_vector(tmp_path / "v1.gpkg", records, geoms)
    )
    lintan.execute(
        text(
            "INSERT INTO address (code, county_code, full_text, geom) VALUES "
            "('A1', '623021', '临潭县城关镇东环路1号（模拟）', "
            "ST_SetSRID(ST_MakePoint(103.6095, 34.7050), 4326))"
        )
    )
    lintan.execute(text("UPDATE address SET grid_id = (SELECT id FROM grid WHERE code = :c)"),
                   {"c": f"{VILLAGE_A}001"})  # fmt: skip
    # Move the boundary between grids 001 and 002 west by 0.001°: both change shape.
    minx, miny, maxx, maxy = grid_boxes(VILLAGE_A)[f"{VILLAGE_A}001"]
    moved = list(geoms)
    moved[0] = shapely.box(minx, miny, maxx - 0.001, maxy)
    moved[1] = shapely.box(maxx - 0.001, miny, maxx + (maxx - minx), maxy)
    report = import_file(
        session=lintan, kind="grids", path=write_vector(tmp_path / "v2.gpkg", records, moved)
    )
    assert (report.inserted, report.updated, report.unchanged, report.closed) == (0, 2, 2, 2)
    history = lintan.execute(
        text(
            "SELECT code, count(*) AS n, count(*) FILTER (WHERE valid_to IS NULL) AS current, "
            "bool_and(valid_to IS NULL OR valid_to = (SELECT max(valid_from) FROM grid)) AS at "
            "FROM grid GROUP BY code ORDER BY code"
        )
    ).all()
    assert [(r.code[-3:], r.n, r.current) for r in history] == [
        ("001", 2, 1), ("002", 2, 1), ("003", 1, 1), ("004", 1, 1),
    ]  # fmt: skip
    assert all(r.at for r in history), "the old row closes when the new one opens"
    # The address at x = 103.6095 now lies in the widened grid 002.
    grid = lintan.execute(
        text("SELECT g.code, g.valid_to FROM address a JOIN grid g ON g.id = a.grid_id")
    ).one()
    assert grid.code == f"{VILLAGE_A}002" and grid.valid_to is None
    assert report.moved["addresses"] == 1


def test_gap_overlap_and_outside_grids_are_refused_with_their_rows(lintan, tmp_path):
    boxes = list(grid_boxes(VILLAGE_A).values())
    codes = list(grid_boxes(VILLAGE_A))
    geoms = [shapely.box(*b) for b in boxes]
    minx, miny, maxx, maxy = boxes[0]
    geoms[0] = shapely.box(minx, miny, maxx - 0.0005, maxy)  # leaves a gap east of it
    minx, miny, maxx, maxy = boxes[2]
    geoms[2] = shapely.box(minx, miny - 0.0005, maxx, maxy)  # overlaps grid 001 to the south
    minx, miny, maxx, maxy = boxes[3]
    geoms[3] = shapely.box(minx, miny, maxx + 0.0005, maxy)  # sticks out of the village
    path = write_csv(
        tmp_path / "tiling.csv",
        ["网格编码", "wkt"],
        [[c, g.wkt] for c, g in zip(codes, geoms, strict=True)],
    )
    problems = _refused(lintan, path)
    reasons = {(p.row, p.field): p.reason for p in problems}
    assert any("gap" in p.reason and p.row == 2 for p in problems), problems
    assert any("overlaps" in p.reason and p.row == 4 for p in problems)
    assert any("overlaps" in p.reason and p.row == 2 for p in problems)
    assert any("outside its village" in p.reason and p.row == 5 for p in problems)
    assert all(field == "wkt" for _, field in reasons)


def test_overlap_with_a_stored_grid_of_the_village_is_refused(lintan, tmp_path):
    add_grids(lintan, villages=(VILLAGE_A,))
    code = f"{VILLAGE_A}005"
    box = grid_boxes(VILLAGE_A)[f"{VILLAGE_A}004"]
    path = write_csv(tmp_path / "extra.csv", ["code", "wkt"], [[code, shapely.box(*box).wkt]])
    problems = _refused(lintan, path)
    assert [p.row for p in problems] == [2]
    assert "in the database" in problems[0].reason


def test_thin_slivers_are_snapped_and_wide_gaps_refused_unless_tolerated(lintan, tmp_path):
    boxes = grid_boxes(VILLAGE_A)
    minx, miny, maxx, maxy = boxes[f"{VILLAGE_A}001"]

    def file_with_gap(name, width_degrees):
        geoms = [shapely.box(*b) for b in boxes.values()]
        geoms[0] = shapely.box(minx, miny, maxx - width_degrees, maxy)
        rows = [[c, g.wkt] for c, g in zip(boxes, geoms, strict=True)]
        return write_csv(tmp_path / name, ["code", "wkt"], rows)

    wide = file_with_gap("wide.csv", 1e-5)  # 1 m wide, about 2,200 m²
    assert any("gap" in p.reason for p in _refused(lintan, wide))
    thin = import_file(session=lintan, kind="grids", path=file_with_gap("thin.csv", 1e-7))
    assert thin.inserted == 4  # 1 cm wide, about 20 m²: rounding, snapped
    assert any("snapped" in w.reason and "已吸附" in w.reason for w in thin.warnings)
    assert import_file(session=lintan, kind="grids", path=wide, tolerance_m2=5000).updated >= 1


def test_bad_grid_codes_and_unknown_village_are_named(lintan, tmp_path):
    box = shapely.box(*grid_boxes(VILLAGE_A)[f"{VILLAGE_A}001"]).wkt
    path = write_csv(
        tmp_path / "codes.csv",
        ["网格编码", "村编码", "户数", "wkt"],
        [
            [VILLAGE_A, VILLAGE_A, "10", box],  # row 2: the village code, no sequence
            ["G-001", VILLAGE_A, "10", box],  # row 3: not digits
            ["623021100003001", VILLAGE_A, "10", box],  # row 4: other village's prefix
            ["623021199001001", "623021199001", "10", box],  # row 5: unknown village
            [f"{VILLAGE_A}009", VILLAGE_A, "十", box],  # row 6: households not a number
            [f"{VILLAGE_A}009", VILLAGE_A, "10", box],  # row 7: duplicate of row 6's code
        ],
    )
    problems = _refused(lintan, path)
    named = {(p.row, p.field) for p in problems}
    assert {(2, "网格编码"), (3, "网格编码"), (4, "网格编码"), (5, "村编码"), (6, "户数")} <= named
    assert (7, "网格编码") in named and "first on row 6" in str(problems)


def test_grids_drawn_on_a_gcj02_map_are_refused_with_a_hint_then_load_with_crs(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)

    def to_gcj(xy):
        x, y = wgs84_to_gcj02(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    shifted = [shapely.transform(shapely.segmentize(g, 0.001), to_gcj) for g in geoms]
    path = write_vector(tmp_path / "amap_grids.gpkg", records, shifted)
    with pytest.raises(ImportRejected) as info:
        import_file(session=lintan, kind="grids", path=path)
    hints = [p for p in info.value.problems if p.severity == "warning" and "GCJ-02" in p.reason]
    assert hints and "--crs gcj02" in hints[0].reason
    report = import_file(session=lintan, kind="grids", path=path, crs="gcj02")
    assert report.inserted == 4


def test_a_geopackage_with_several_layers_needs_layer(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    path = tmp_path / "county.gpkg"
    write_vector(path, records, geoms, layer="grids")
    write_vector(path, [{"note": "x"}], [shapely.Point(103.61, 34.71)], layer="other")
    problems = _refused(lintan, path)
    assert [p.field for p in problems] == ["--layer"] and "grids, other" in problems[0].reason
    assert import_file(session=lintan, kind="grids", path=path, layer="grids").inserted == 4


def test_an_xlsx_sheet_is_chosen_with_layer(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    header = ["网格编码", "WKT"]
    rows = [[r["网格编码"], g.wkt] for r, g in zip(records, geoms, strict=True)]
    path = write_xlsx(tmp_path / "book.xlsx", header, rows, sheet="网格")
    assert import_file(session=lintan, kind="grids", path=path, layer="网格").inserted == 4
    assert [p.field for p in _refused(lintan, path, layer="Sheet9")] == ["--layer"]


def test_a_gbk_shapefile_without_cpg_keeps_its_chinese_names(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    records = [{"code": r["网格编码"], "name": r["网格名称"]} for r in records]
    path = write_vector(tmp_path / "gbk.shp", records, geoms, encoding="GBK")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    assert import_file(session=lintan, kind="grids", path=path).inserted == 4
    names = lintan.execute(text("SELECT name FROM grid ORDER BY code")).scalars().all()
    assert names == [r["name"] for r in records]


def test_a_new_grid_picks_up_addresses_that_had_none(lintan, tmp_path):
    lintan.execute(
        text(
            "INSERT INTO address (code, county_code, full_text, geom) VALUES "
            "('A9', '623021', '东环路9号（模拟）', ST_SetSRID(ST_MakePoint(103.605, 34.705), 4326))"
        )
    )
    records, geoms = grid_file_rows(VILLAGE_A)
    report = import_file(
        session=lintan, kind="grids", path=write_vector(tmp_path / "g.gpkg", records, geoms)
    )
    assert report.moved["addresses"] == 1
    grid = lintan.execute(
        text("SELECT g.code FROM address a JOIN grid g ON g.id = a.grid_id WHERE a.code = 'A9'")
    ).scalar_one()
    assert grid == f"{VILLAGE_A}001"


def test_overlaps_are_reported_beside_other_refused_rows(lintan, tmp_path):
    boxes = grid_boxes(VILLAGE_A)
    rows = [[code, "5", shapely.box(*box).wkt] for code, box in boxes.items()]
    rows[0][1] = "五"  # row 2: a bad count
    minx, miny, maxx, maxy = boxes[f"{VILLAGE_A}004"]
    rows[3][2] = shapely.box(minx - 0.001, miny, maxx, maxy).wkt  # row 5 overlaps row 4
    problems = _refused(lintan, write_csv(tmp_path / "both.csv", ["code", "户数", "wkt"], rows))
    assert (2, "户数") in {(p.row, p.field) for p in problems}
    assert {p.row for p in problems if "overlaps" in p.reason} == {4, 5}
    assert not any("gap" in p.reason for p in problems)  # row 2's grid is missing, not a gap
