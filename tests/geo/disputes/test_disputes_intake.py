"""Intake on a real PostGIS: Chinese headers and labels, GPS and text, bad rows listed and
good rows kept, idempotent re-sends, parties in their own table, signals, files of each type."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import text

from core.crs import wgs84_to_gcj02
from core.errors import InvalidRequest
from core.limits import time_limit_days
from geo.disputes.intake import ingest_frame, read_table
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    DONGSHAN,
    GRID,
    NOW,
    address_point,
    build_world,
)


@pytest.fixture
def world(db):
    return build_world(db)


def _dispute(session, external_id):
    return (
        session.execute(
            text(
                "SELECT d.*, g.code AS grid_code, a.code AS address_code FROM dispute d"
                " LEFT JOIN grid g ON g.id = d.grid_id LEFT JOIN address a ON a.id = d.address_id"
                " WHERE external_id = :e"
            ),
            {"e": external_id},
        )
        .mappings()
        .one()
    )


CLERK_SHEET = [
    # 编号, 受理时间, 类别, 等级, 地址, 经度, 纬度, 简要情况
    (
        "JF-001",
        "2026-11-10 09:30",
        "婚姻家庭",
        "一般",
        "",
        *address_point(CHIGOU, 2, 3),
        "夫妻争吵",
    ),
    (
        "JF-002",
        "2026/11/11",
        "邻里纠纷",
        "较大",
        "临潭县冶力关镇池沟村二组三号",
        None,
        None,
        "宅基地",
    ),
    ("JF-003", "2026-11-12 14:00", "土地山林", "", "新城镇东山村1组", None, None, "地界"),
    ("JF-004", "not a date", "债权债务", "一般", "", 103.31, 34.71, "欠款"),
    ("", "2026-11-12", "其他", "一般", "", 103.31, 34.71, "no id"),
    ("JF-006", "2026-11-12", "打架", "一般", "", 103.31, 34.71, "unknown category"),
    ("JF-007", "2026-11-12", "其他", "一般", "", None, None, "no location"),
    ("JF-008", "2026-11-12", "其他", "一般", "", 34.71, 103.31, "swapped"),
    ("JF-001", "2026-11-12", "其他", "一般", "", 103.31, 34.71, "repeat"),
    ("JF-010", "2026-11-12", "其他", "特别重大", "某某地方", None, None, "cannot be placed"),
]
HEADERS = ["编号", "受理时间", "类别", "等级", "地址", "经度", "纬度", "简要情况"]


def _sheet() -> pd.DataFrame:
    return pd.DataFrame(CLERK_SHEET, columns=HEADERS)


def test_a_clerks_sheet_keeps_good_rows_and_lists_bad_ones_with_row_and_reason(world):
    report = world.ingest(_sheet().to_dict("records"))
    assert report.received == 10
    assert sorted(report.accepted) == ["JF-001", "JF-002", "JF-003", "JF-010"]
    problems = {(p.row, p.field): p.reason for p in report.rejected}
    # Row numbers as a spreadsheet shows them: header is row 1.
    assert set(problems) == {
        (5, "reported_at"),
        (6, "external_id"),
        (7, "category"),
        (8, "address"),
        (9, "lon"),
        (10, "external_id"),
    }
    assert "not a date" in problems[(5, "reported_at")] or "date" in problems[(5, "reported_at")]
    assert (
        "'打架'" in problems[(7, "category")]
        and "marriage_family (婚姻家庭)" in problems[(7, "category")]
    )
    assert "swapped" in problems[(9, "lon")]
    assert "repeats row 2" in problems[(10, "external_id")]
    stored = world.session.execute(text("SELECT count(*) FROM dispute")).scalar()
    assert stored == 4


def test_gps_and_text_rows_are_put_on_grids_with_level_and_deadline(world):
    world.ingest(_sheet().to_dict("records"))
    gps = _dispute(world.session, "JF-001")
    assert gps["grid_code"] == GRID[CHIGOU]
    assert (gps["category"], gps["severity"], gps["status"]) == (
        "marriage_family",
        "minor",
        "received",
    )
    assert gps["geocode_level"] == "address" and gps["address_code"] == f"{CHIGOU}-2-3"
    assert gps["deadline"] - gps["reported_at"] == pd.Timedelta(
        days=time_limit_days("marriage_family", "minor")
    )
    by_text = _dispute(world.session, "JF-002")
    assert by_text["geocode_level"] == "address" and by_text["address_code"] == f"{CHIGOU}-2-3"
    assert by_text["grid_code"] == GRID[CHIGOU] and by_text["severity"] == "serious"
    group = _dispute(world.session, "JF-003")
    assert group["geocode_level"] == "group" and group["grid_code"] == GRID[DONGSHAN]
    assert group["severity"] == "minor"  # blank 等级 → the default


def test_a_record_that_cannot_be_placed_is_kept_and_listed_as_needing_a_location(world):
    report = world.ingest(_sheet().to_dict("records"))
    assert report.needs_location == ["JF-010"]
    row = _dispute(world.session, "JF-010")
    assert row["grid_id"] is None and row["geom"] is None
    assert row["geocode_level"] == "none" and row["county_code"] == "623021"
    assert row["location_text"] == "某某地方"


def test_every_new_dispute_has_its_intake_event(world):
    report = world.ingest(_sheet().to_dict("records"))
    events = world.session.execute(
        text("SELECT dispute_id, from_status, to_status, actor FROM dispute_event")
    ).all()
    assert sorted(e.dispute_id for e in events) == sorted(report.accepted.values())
    assert all(e.from_status is None and e.to_status == "received" for e in events)


def test_re_sending_the_same_records_never_duplicates(world):
    first = world.ingest(_sheet().to_dict("records"))
    second = world.ingest(_sheet().to_dict("records"))
    assert second.accepted == {}
    assert sorted(second.already_present) == sorted(first.accepted)
    assert world.session.execute(text("SELECT count(*) FROM dispute")).scalar() == 4
    assert world.session.execute(text("SELECT count(*) FROM dispute_event")).scalar() == 4
    mixed = world.ingest(
        [
            {
                "external_id": "JF-001",
                "reported_at": "2026-11-10",
                "category": "other",
                "lon": 103.31,
                "lat": 34.71,
            },
            {
                "external_id": "JF-100",
                "reported_at": "2026-11-10",
                "category": "other",
                "lon": 103.31,
                "lat": 34.71,
            },
        ]
    )
    assert list(mixed.accepted) == ["JF-100"] and mixed.already_present == ["JF-001"]
    # The stored record is not overwritten by the re-sent one.
    assert _dispute(world.session, "JF-001")["category"] == "marriage_family"


def test_gcj02_points_are_shifted_back_before_the_grid_is_found(world):
    lon, lat = address_point(DONGSHAN, 1, 1)
    glon, glat = wgs84_to_gcj02(lon, lat)
    report = world.ingest(
        [
            {
                "external_id": "G-1",
                "reported_at": "2026-11-10",
                "category": "debt",
                "lon": float(glon),
                "lat": float(glat),
                "crs": "gcj02",
            }
        ]
    )
    assert list(report.accepted) == ["G-1"]
    row = world.session.execute(
        text("SELECT ST_X(geom) AS x, ST_Y(geom) AS y, address_id FROM dispute")
    ).one()
    assert (row.x, row.y) == pytest.approx((lon, lat), abs=1e-6)
    assert row.address_id is not None


def test_parties_go_to_the_restricted_table_only(world):
    parties = [{"name": "张三（模拟）", "phone": "13800000000"}, {"name": "李四（模拟）"}]
    report = world.ingest(
        [
            {
                "external_id": "P-1",
                "reported_at": "2026-11-10",
                "category": "neighbour",
                "lon": 103.31,
                "lat": 34.71,
                "当事人": json.dumps(parties, ensure_ascii=False),
            }
        ]
    )
    dispute_id = report.accepted["P-1"]
    stored = world.session.execute(
        text("SELECT name, phone FROM dispute_party WHERE dispute_id = :d ORDER BY id"),
        {"d": dispute_id},
    ).all()
    assert [tuple(r) for r in stored] == [("张三（模拟）", "13800000000"), ("李四（模拟）", None)]
    row = _dispute(world.session, "P-1")
    assert "张三" not in (row["description"] or "") and "张三" not in (row["location_text"] or "")


def test_signals_go_through_the_same_path(world):
    lon, lat = address_point(CHIGOU, 1, 2)
    report = world.ingest(
        [
            {
                "编号": "S-1",
                "发现时间": "2026-11-10 08:00",
                "类型": "安全隐患",
                "经度": lon,
                "纬度": lat,
                "权重": "2.5",
            },
            {
                "编号": "S-2",
                "发现时间": "2026-11-10 08:00",
                "类型": "petition",
                "地址": "冶力关镇池沟村3组",
            },
            {"编号": "S-3", "发现时间": "2026-11-10 08:00", "类型": "天气"},
        ],
        kind="signals",
    )
    assert sorted(report.accepted) == ["S-1", "S-2"]
    assert [(p.row, p.field) for p in report.rejected] == [(4, "kind")]
    negative = world.ingest(
        [
            {
                "编号": "S-9",
                "发现时间": "2026-11-10",
                "类型": "hazard",
                "经度": lon,
                "纬度": lat,
                "权重": "-1",
            }
        ],
        kind="signals",
    )
    assert [(p.row, p.field) for p in negative.rejected] == [(2, "weight")]
    rows = world.session.execute(
        text(
            "SELECT s.external_id, s.kind, s.weight, g.code FROM signal s"
            " JOIN grid g ON g.id = s.grid_id ORDER BY s.external_id"
        )
    ).all()
    assert [tuple(r) for r in rows] == [
        ("S-1", "hazard", 2.5, GRID[CHIGOU]),
        ("S-2", "petition", 1.0, GRID[CHIGOU]),
    ]
    again = world.ingest(
        [{"编号": "S-1", "发现时间": "2026-11-10", "类型": "hazard", "经度": lon, "纬度": lat}],
        kind="signals",
    )
    assert again.already_present == ["S-1"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson"])
def test_files_of_each_type_read_into_the_template(world, tmp_path, suffix):
    frame = _sheet().iloc[:3]
    path = tmp_path / f"sheet{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        import geopandas as gpd

        gdf = gpd.GeoDataFrame(
            frame.drop(columns=["经度", "纬度"]),
            geometry=gpd.points_from_xy(frame["经度"], frame["纬度"]),
            crs="EPSG:4326",
        )
        gdf.to_file(path, driver="GeoJSON")
    read = read_table(path)
    report = world.ingest(read.to_dict("records"))
    assert sorted(report.accepted) == ["JF-001", "JF-002", "JF-003"], report.rejected
    assert not report.rejected


def _county_ledger(path, lon: float, lat: float):
    """A ledger as a township office sends it: merged title, 填报单位 line, header on row 3,
    records, a blank row, a 合计 row and a 填报人/审核人 footer."""
    lines = [
        ["临潭县矛盾纠纷排查化解台账（2026年11月）"],
        ["填报单位：冶力关镇综治中心", None, None, None, "填报日期：2026年11月30日"],
        HEADERS,
        ["JF-101", "2026-11-10 09:30", "婚姻家庭", "一般", None, lon, lat, "争吵"],
        ["JF-102", "十一月十日", "邻里纠纷", "一般", "新城镇东山村1组", None, None, "地界"],
        [],
        ["JF-103", "2026-11-12", "土地山林", "较大", "新城镇东山村1组", None, None, "林地"],
        ["JF-101", "2026-11-12", "其他", "一般", "新城镇东山村1组", None, None, "又报"],
        ["合计", None, "4件"],
        [],
        ["填报人：张三", None, "审核人：李四"],
    ]
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        for line in lines:
            book.active.append(line)
        book.active.merge_cells("A1:H1")
        book.save(path)
    else:
        text_lines = [",".join("" if c is None else str(c) for c in line) for line in lines]
        path.write_bytes("\r\n".join(text_lines).encode("gbk"))
    return path


@pytest.mark.parametrize("name", ["台账.xlsx", "台账.csv"])
def test_a_ledger_with_title_and_totals_rows_is_taken_in_with_its_sheet_rows(world, tmp_path, name):
    path = _county_ledger(tmp_path / name, *address_point(CHIGOU, 2, 3))
    frame = read_table(path, kind="disputes")
    report = ingest_frame(
        session=world.session, frame=frame, kind="disputes", locator=world.locator, now=NOW
    )
    assert report.received == 4  # title, totals, blank and footer rows are not records
    assert sorted(report.accepted) == ["JF-101", "JF-103"]
    problems = {(p.row, p.field): p.reason for p in report.rejected}
    assert set(problems) == {(5, "reported_at"), (8, "external_id")}
    assert "repeats row 4" in problems[(8, "external_id")]


def test_a_file_without_the_id_column_is_refused_as_a_whole(world):
    with pytest.raises(InvalidRequest, match="external_id"):
        world.ingest([{"reported_at": "2026-11-10", "category": "other", "lon": 1, "lat": 1}])
