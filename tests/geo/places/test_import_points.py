"""Loading addresses and facilities: formats, bad cells, the county, grids, re-import."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from core.errors import ImportRejected
from geo.places import import_file
from tests.geo.places.test_import_factories import (
    VILLAGE_A,
    VILLAGE_B,
    add_admin_units,
    add_grids,
    counts,
    row_versions,
    write_csv,
    write_vector,
    write_xlsx,
)

HEADER = ["地址编码", "标准地址", "村编码", "组", "门牌号", "户数", "人口", "经度", "纬度"]


@pytest.fixture
def lintan_grids(db):
    """Lintan, 城关镇, two communities and their eight grids (synthetic outlines)."""
    add_admin_units(db)
    add_grids(db)
    return db


def _refused(session, path, kind="addresses", **kw) -> list:
    before = counts(session)
    with pytest.raises(ImportRejected) as info:
        import_file(session=session, kind=kind, path=path, **kw)
    assert counts(session) == before, "a refused file must write nothing"
    return [p for p in info.value.problems if p.severity == "error"]


def _rows():
    return [
        ["CG-0001", "东环路社区1组1号（模拟）", VILLAGE_A, "1组", "1", 1, 4, 103.605, 34.705],
        ["CG-0002", "东环路社区2组7号（模拟）", VILLAGE_A, "2", "7", 2, 6, 103.615, 34.715],
        ["CG-0003", "城南社区3组2号（模拟）", VILLAGE_B, "3", "2", 1, 3, 103.625, 34.705],
    ]  # fmt: skip


def test_addresses_from_xlsx_with_chinese_headers_load_onto_their_grids(lintan_grids, tmp_path):
    path = write_xlsx(tmp_path / "addresses.xlsx", HEADER, _rows())
    report = import_file(session=lintan_grids, kind="addresses", path=path)
    assert (report.inserted, report.updated, report.unchanged) == (3, 0, 0)
    assert not report.outside_grids
    stored = lintan_grids.execute(
        text(
            "SELECT a.code, g.code AS grid, a.township_code, a.group_no, a.houses, a.residents "
            "FROM address a JOIN grid g ON g.id = a.grid_id ORDER BY a.code"
        )
    ).all()
    assert [(r.code, r.grid[-3:], r.group_no, r.houses, r.residents) for r in stored] == [
        ("CG-0001", "001", 1, 1, 4), ("CG-0002", "004", 2, 2, 6), ("CG-0003", "001", 3, 1, 3),
    ]  # fmt: skip
    assert {r.township_code for r in stored} == {"623021100"}


def test_reimporting_addresses_changes_nothing_and_a_change_is_an_update(lintan_grids, tmp_path):
    path = write_csv(tmp_path / "addresses.csv", HEADER, _rows())
    import_file(session=lintan_grids, kind="addresses", path=path)
    before = row_versions(lintan_grids, "address")
    again = import_file(session=lintan_grids, kind="addresses", path=path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert row_versions(lintan_grids, "address") == before
    rows = _rows()
    rows[1][6] = 9  # residents changed
    changed = write_csv(tmp_path / "changed.csv", HEADER, rows)
    report = import_file(session=lintan_grids, kind="addresses", path=changed)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 2)
    after = row_versions(lintan_grids, "address")
    assert [k for k in after if after[k] != before[k]] == [k for k in before if k[0] == "CG-0002"]


def test_gbk_csv_from_chinese_excel_is_read(lintan_grids, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", HEADER, _rows(), encoding="gbk")
    assert import_file(session=lintan_grids, kind="addresses", path=path).inserted == 3


def test_a_gbk_csv_with_title_and_totals_rows_loads_only_its_records(lintan_grids, tmp_path):
    lines = [["临潭县城关镇标准地址表（模拟）"], ["填报单位：城关镇"], HEADER, *_rows()]
    lines += [["合计", "", "", "", "", 4, 13, "", ""], [], ["填报人：张三", "", "审核人：李四"]]
    path = write_csv(tmp_path / "titled.csv", lines[0], lines[1:], encoding="gbk")
    assert import_file(session=lintan_grids, kind="addresses", path=path).inserted == 3
    lines[4][7] = "东经"  # the second address's longitude, on sheet row 5
    path = write_csv(tmp_path / "bad.csv", lines[0], lines[1:], encoding="gbk")
    assert [(p.row, p.field) for p in _refused(lintan_grids, path)] == [(5, "经度")]


def test_bad_xlsx_cells_are_named_by_row_and_header(lintan_grids, tmp_path):
    rows = _rows()
    rows[0][5] = "三户"  # row 2: households as words
    rows[1][7] = "#VALUE!"  # row 3: an Excel error in the longitude
    rows[2][6] = dt.datetime(2024, 3, 1)  # row 4: a date where a count belongs
    rows.append(["CG-0004", "", VILLAGE_A, "甲组", "9", 1, 1, 103.606, 34.706])  # row 5
    path = write_xlsx(tmp_path / "bad.xlsx", HEADER, rows)
    problems = _refused(lintan_grids, path)
    named = {(p.row, p.field) for p in problems}
    assert {(2, "户数"), (3, "经度"), (4, "人口"), (5, "标准地址"), (5, "组")} <= named
    assert any("#VALUE!" in p.reason for p in problems)


def test_xlsx_row_numbers_follow_the_sheet_even_below_blank_rows(lintan_grids, tmp_path):
    rows = _rows()
    rows.insert(1, [None] * len(HEADER))  # a blank sheet row 3
    rows[2][7] = "东经103"  # now on sheet row 4
    path = write_xlsx(tmp_path / "blank.xlsx", HEADER, rows)
    problems = _refused(lintan_grids, path)
    assert [(p.row, p.field) for p in problems] == [(4, "经度")]


def test_point_outside_the_county_is_refused(lintan_grids, tmp_path):
    rows = _rows()
    rows[2][7], rows[2][8] = 102.90, 34.98  # in 卓尼/碌曲, west of Lintan
    path = write_csv(tmp_path / "outside.csv", HEADER, rows)
    problems = _refused(lintan_grids, path)
    assert [(p.row, p.field) for p in problems] == [(4, "经度/纬度")]
    assert "outside the county" in problems[0].reason


def test_point_outside_every_grid_is_kept_and_listed(lintan_grids, tmp_path):
    rows = _rows()
    rows.append(["CG-0100", "临潭县城关镇某处（模拟）", "", "", "", "", "", 103.683, 34.790])
    path = write_csv(tmp_path / "outside_grids.csv", HEADER, rows)
    report = import_file(session=lintan_grids, kind="addresses", path=path)
    assert report.inserted == 4
    assert [(p.row, p.severity) for p in report.outside_grids] == [(5, "warning")]
    kept = lintan_grids.execute(
        text("SELECT grid_id, village_code, county_code FROM address WHERE code = 'CG-0100'")
    ).one()
    assert kept.grid_id is None and kept.village_code is None and kept.county_code == "623021"


def test_addresses_need_a_county_boundary_first(db, tmp_path):
    path = write_csv(tmp_path / "a.csv", HEADER, _rows())
    problems = _refused(db, path)
    assert any("load the county" in p.reason for p in problems)
    assert any(p.field == "村编码" and p.row == 2 for p in problems)  # unknown village too


def test_duplicate_address_codes_are_refused(lintan_grids, tmp_path):
    rows = _rows()
    rows[2][0] = rows[0][0]
    problems = _refused(lintan_grids, write_csv(tmp_path / "d.csv", HEADER, rows))
    assert [(p.row, p.field) for p in problems] == [(4, "地址编码")]


def test_facilities_load_from_geojson_with_chinese_kinds(lintan_grids, tmp_path):
    import shapely

    records = [
        {"编码": "F-PS-01", "名称": "城关派出所（模拟）", "类型": "派出所",
         "所属单位编码": "623021100"},
        {"编码": "F-CC-01", "名称": "东环路社区综治中心（模拟）", "类型": "村(社区)综治中心",
         "所属单位编码": VILLAGE_A},
        {"编码": "F-MC-01", "名称": "城南社区调委会（模拟）", "类型": "mediation_committee",
         "所属单位编码": VILLAGE_B},
    ]  # fmt: skip
    points = [shapely.Point(103.611, 34.711), shapely.Point(103.605, 34.715),
              shapely.Point(103.63, 34.71)]  # fmt: skip
    path = write_vector(tmp_path / "facilities.geojson", records, points, driver="GeoJSON")
    report = import_file(session=lintan_grids, kind="facilities", path=path)
    assert report.inserted == 3
    kinds = lintan_grids.execute(text("SELECT kind FROM facility ORDER BY code")).scalars().all()
    assert kinds == ["village_centre", "mediation_committee", "police_station"]
    assert import_file(session=lintan_grids, kind="facilities", path=path).unchanged == 3


def test_unknown_facility_kind_is_refused(lintan_grids, tmp_path):
    path = write_csv(
        tmp_path / "f.csv",
        ["code", "name", "type", "lon", "lat"],
        [
            ["F1", "某所", "菜市场", 103.61, 34.71],
            ["F2", "派出所", "police_station", 103.61, 34.71],
        ],
    )
    problems = _refused(lintan_grids, path, kind="facilities")
    assert [(p.row, p.field) for p in problems] == [(2, "type")]
    assert "police_station" in problems[0].reason


def test_missing_required_columns_are_named(lintan_grids, tmp_path):
    path = write_csv(tmp_path / "cols.csv", ["编号", "经度", "纬度"], [["x", 103.61, 34.71]])
    problems = _refused(lintan_grids, path)
    assert {p.field for p in problems} == {"code", "full_text"}
    assert all(p.row == 1 for p in problems)


def test_a_point_in_another_village_than_its_row_says_gets_a_warning(lintan_grids, tmp_path):
    rows = _rows()
    rows[2][2] = VILLAGE_A  # the point (103.625, 34.705) lies in 城南社区
    report = import_file(
        session=lintan_grids, kind="addresses", path=write_csv(tmp_path / "v.csv", HEADER, rows)
    )
    assert report.inserted == 3
    assert [(w.row, "lies in grid" in w.reason) for w in report.warnings if w.row] == [(4, True)]


def test_a_title_row_above_the_header_is_skipped_and_rows_keep_sheet_numbers(
    lintan_grids, tmp_path
):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["临潭县城关镇标准地址表（模拟）"])
    sheet.merge_cells("A1:I1")
    sheet.append(HEADER)
    for row in _rows():
        sheet.append(row)
    sheet.cell(row=5, column=8, value="东经")  # the third address's longitude
    path = tmp_path / "titled.xlsx"
    book.save(path)
    problems = _refused(lintan_grids, path)
    assert [(p.row, p.field) for p in problems] == [(5, "经度")]


def test_an_empty_file_is_refused(lintan_grids, tmp_path):
    path = write_csv(tmp_path / "empty.csv", HEADER, [])
    problems = _refused(lintan_grids, path)
    assert [p.reason for p in problems] == ["文件中没有数据行 / the file holds no data rows"]


def test_a_vector_file_missing_a_column_names_no_row(lintan_grids, tmp_path):
    import shapely

    path = write_vector(tmp_path / "f.gpkg", [{"名称": "某所"}], [shapely.Point(103.61, 34.71)])
    problems = _refused(lintan_grids, path, kind="facilities")
    assert {(p.row, p.field) for p in problems} == {(None, "code"), (None, "kind")}
