"""Loading admin units: real Lintan boundary and codes, bad codes, parents, duplicates, repairs."""

from __future__ import annotations

import shutil

import pytest
import shapely
from sqlalchemy import text

from core.errors import ImportRejected
from geo.places import import_file
from tests.geo.places.test_import_factories import (
    BOUNDARY,
    COUNTY,
    DIVISIONS,
    TOWNSHIP,
    VILLAGE_A,
    add_admin_units,
    counts,
    write_csv,
    write_vector,
)


@pytest.fixture
def lintan(db):
    """Lintan with 城关镇 and two communities (synthetic outlines)."""
    add_admin_units(db)
    return db


def _refused(session, path, kind="admin-units", **kw) -> list:
    before = counts(session)
    with pytest.raises(ImportRejected) as info:
        import_file(session=session, kind=kind, path=path, **kw)
    assert counts(session) == before, "a refused file must write nothing"
    return [p for p in info.value.problems if p.severity == "error"]


def test_real_lintan_boundary_and_official_codes_load_and_reload_changes_nothing(db, tmp_path):
    county = import_file(session=db, kind="admin-units", path=BOUNDARY)
    assert (county.inserted, county.updated, county.unchanged) == (1, 0, 0)
    divisions = tmp_path / "divisions.csv"
    shutil.copy(DIVISIONS, divisions)
    report = import_file(session=db, kind="admin-units", path=divisions)
    # 16 townships + 147 villages are new; the county row matches (name, level), no geometry
    # column in the list, so its boundary is kept.
    assert (report.inserted, report.unchanged) == (163, 1)
    assert "code12" in report.ignored_columns
    stored = db.execute(
        text("SELECT level, count(*) FROM admin_unit GROUP BY level ORDER BY level")
    ).all()
    assert [tuple(r) for r in stored] == [("county", 1), ("township", 16), ("village", 147)]
    kept = db.execute(text("SELECT geom IS NOT NULL FROM admin_unit WHERE code = '623021'"))
    assert kept.scalar_one()
    short = db.execute(text("SELECT short_name FROM admin_unit WHERE code = '623021109200'"))
    assert short.scalar_one() == "岐山村"
    before = row_versions_admin(db)
    for path in (BOUNDARY, divisions):
        again = import_file(session=db, kind="admin-units", path=path)
        assert (again.inserted, again.updated) == (0, 0)
    assert row_versions_admin(db) == before


def row_versions_admin(session):
    return session.execute(text("SELECT code, xmin::text FROM admin_unit ORDER BY code")).all()


def test_bad_codes_are_named_by_row_and_field(lintan, tmp_path):
    path = write_csv(
        tmp_path / "bad_codes.csv",
        ["编码", "名称", "级别", "上级编码"],
        [
            ["6230211000021", "多一位", "村", TOWNSHIP],  # row 2: 13 digits
            ["62302110000A", "字母", "村", TOWNSHIP],  # row 3: letters
            ["6.23021E+11", "科学计数", "村", TOWNSHIP],  # row 4: spreadsheet mangled
            ["623021100", "乡镇写成村", "村", COUNTY],  # row 5: 9 digits but level village
            ["623021100099", "好的", "村", TOWNSHIP],  # row 6: fine
            ["623021100098", "", "村", TOWNSHIP],  # row 7: no name
            ["623021100097", "级别不明", "大队", TOWNSHIP],  # row 8: unknown level
        ],
    )
    problems = _refused(lintan, path)
    by_row = {(p.row, p.field) for p in problems}
    assert {(2, "编码"), (3, "编码"), (4, "编码"), (5, "编码"), (7, "名称"), (8, "级别")} <= by_row
    assert not any(p.row == 6 for p in problems)
    assert any("scientific notation" in p.reason for p in problems if p.row == 4)


def test_missing_parent_and_mismatched_parent_are_refused(lintan, tmp_path):
    path = write_csv(
        tmp_path / "parents.csv",
        ["code", "name", "level", "parent_code"],
        [
            ["623021101001", "新城镇某村", "village", "623021101"],  # township not loaded
            ["623021100050", "错上级", "village", "623021101"],  # parent does not match code
            ["623021101", "新城镇", "township", COUNTY],  # in the file: fine
            ["623021101002", "新城镇另一村", "village", "623021101"],  # parent in the file
        ],
    )
    problems = _refused(lintan, path)
    assert {(p.row, p.field) for p in problems} == {(3, "parent_code")}
    fixed = write_csv(
        tmp_path / "parents_ok.csv",
        ["code", "name", "level", "parent_code"],
        [
            ["623021101001", "新城镇某村", "village", "623021101"],
            ["623021101", "新城镇", "township", COUNTY],
        ],
    )
    report = import_file(session=lintan, kind="admin-units", path=fixed)
    assert report.inserted == 2


def test_missing_parent_names_the_row(db, tmp_path):
    add_admin_units(db, villages=False)
    path = write_csv(
        tmp_path / "orphan.csv",
        ["代码", "名称", "上级代码"],
        [["623021100002", "东环路社区", TOWNSHIP], ["623021104001", "王旗村", "623021104"]],
    )
    problems = _refused(db, path)
    assert [(p.row, p.field) for p in problems] == [(3, "上级代码")]
    assert "neither in the file nor in the database" in problems[0].reason


def test_duplicate_codes_in_the_file_name_both_rows(lintan, tmp_path):
    path = write_csv(
        tmp_path / "dupes.csv",
        ["编码", "名称"],
        [[VILLAGE_A, "东环路社区"], ["623021100010", "某村"], [VILLAGE_A, "又一次"]],
    )
    problems = _refused(lintan, path)
    assert [(p.row, p.field) for p in problems] == [(4, "编码")]
    assert "first on row 2" in problems[0].reason


def test_invalid_geometry_is_repaired_with_a_warning_naming_the_feature(lintan, tmp_path):
    spiky = shapely.Polygon(
        [(103.61, 34.71), (103.62, 34.71), (103.62, 34.72), (103.6101, 34.72),
         (103.61, 34.7201), (103.6101, 34.72), (103.61, 34.72), (103.61, 34.71)]
    )  # fmt: skip
    assert not spiky.is_valid
    path = write_vector(
        tmp_path / "repaired.gpkg", [{"code": "623021100090", "name": "修复村"}], [spiky]
    )
    report = import_file(session=lintan, kind="admin-units", path=path)
    assert report.inserted == 1
    warned = [w for w in report.warnings if w.row == 1 and "repaired with make_valid" in w.reason]
    assert warned and "623021100090" in warned[0].reason
    stored = lintan.execute(
        text("SELECT ST_IsValid(geom) FROM admin_unit WHERE code = '623021100090'")
    ).scalar_one()
    assert stored


def test_invalid_geometry_that_repair_would_change_materially_is_refused(lintan, tmp_path):
    bowtie = shapely.Polygon(
        [(103.61, 34.71), (103.62, 34.72), (103.62, 34.71), (103.61, 34.72), (103.61, 34.71)]
    )
    good = shapely.box(103.60, 34.70, 103.605, 34.705)
    path = write_vector(
        tmp_path / "bowtie.geojson",
        [{"code": "623021100091", "name": "好村"}, {"code": "623021100092", "name": "蝴蝶结村"}],
        [good, bowtie],
        driver="GeoJSON",
    )
    problems = _refused(lintan, path)
    assert [(p.row, p.field) for p in problems] == [(2, "geometry")]
    assert "623021100092" in problems[0].reason and "refused" in problems[0].reason


def test_a_line_where_a_polygon_belongs_is_refused(lintan, tmp_path):
    path = write_csv(
        tmp_path / "line.csv",
        ["编码", "名称", "WKT"],
        [["623021100093", "线村", "LINESTRING(103.61 34.71, 103.62 34.72)"]],
    )
    problems = _refused(lintan, path)
    assert [(p.row, p.field) for p in problems] == [(2, "WKT")]
    assert "expected a polygon" in problems[0].reason


def test_a_polygon_with_no_area_is_refused(lintan, tmp_path):
    flat = "POLYGON((103.61 34.71, 103.62 34.72, 103.63 34.73, 103.61 34.71))"
    path = write_csv(
        tmp_path / "flat.csv", ["编码", "名称", "WKT"], [["623021100094", "扁村", flat]]
    )
    problems = _refused(lintan, path)
    assert [(p.row, p.field) for p in problems] == [(2, "WKT")]
    assert "no area" in problems[0].reason
