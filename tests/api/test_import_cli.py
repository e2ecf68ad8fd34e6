"""``wangge load`` end to end on a private committed database: summary, refusal, re-import."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app
from geo.database import migrate
from geo.database.engine import make_engine
from tests.geo.places.test_import_factories import (
    BOUNDARY,
    DIVISIONS,
    ROOT,
    VILLAGE_A,
    grid_boxes,
    write_csv,
)

EXAMPLES = ROOT / "tests/fixtures/import"


@pytest.fixture
def private_url(new_database, monkeypatch) -> str:
    """A migrated database of its own, used by the command through DATABASE_URL."""
    url = new_database(kind="load")
    migrate.upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _load(*args):
    return CliRunner().invoke(app, ["load", *map(str, args)])


def _count(url, table):
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def test_load_prints_a_summary_and_reloading_changes_nothing(private_url, tmp_path):
    first = _load("admin-units", BOUNDARY)
    assert first.exit_code == 0, first.output
    assert "inserted 1, updated 0, unchanged 0" in first.stdout
    divisions = shutil.copy(DIVISIONS, tmp_path / "divisions.csv")
    second = _load("admin-units", divisions)
    assert second.exit_code == 0, second.output
    assert "inserted 163" in second.stdout
    again = _load("admin-units", divisions)
    assert "inserted 0, updated 0, unchanged 164" in again.stdout
    assert _count(private_url, "admin_unit") == 164


def test_refused_file_exits_non_zero_with_every_problem_on_stderr(private_url, tmp_path):
    assert _load("admin-units", BOUNDARY).exit_code == 0
    assert _load("admin-units", shutil.copy(DIVISIONS, tmp_path / "d.csv")).exit_code == 0
    box = grid_boxes(VILLAGE_A)[f"{VILLAGE_A}001"]
    wkt = f"POLYGON(({box[0]} {box[1]},{box[2]} {box[1]},{box[2]} {box[3]},{box[0]} {box[1]}))"
    path = write_csv(
        tmp_path / "bad_grids.csv",
        ["网格编码", "户数", "wkt"],
        [["62302110000X001", "1", wkt], [f"{VILLAGE_A}001", "-3", wkt]],
    )
    result = _load("grids", path)
    assert result.exit_code != 0
    assert "row 2, field '网格编码'" in result.stderr
    assert "row 3, field '户数'" in result.stderr
    assert "nothing was written" in result.stderr
    assert result.stdout == ""
    assert _count(private_url, "grid") == 0


def test_the_shipped_examples_load_in_order_and_reload_unchanged(private_url):
    steps = [
        ("admin-units", BOUNDARY, 1),
        ("admin-units", EXAMPLES / "admin_units_example.csv", 3),
        ("grids", EXAMPLES / "grids_example.csv", 8),
        ("addresses", EXAMPLES / "addresses_example.csv", 4),
        ("facilities", EXAMPLES / "facilities_example.csv", 3),
    ]
    for kind, path, rows in steps:
        result = _load(kind, path)
        assert result.exit_code == 0, result.output
        assert f"inserted {rows}, updated 0, unchanged 0" in result.stdout
    for kind, path, rows in steps:
        assert f"inserted 0, updated 0, unchanged {rows}" in _load(kind, path).stdout
    assert _count(private_url, "address WHERE grid_id IS NOT NULL") == 4


def test_exit_status_is_0_loaded_1_refused_2_usage(private_url, tmp_path):
    missing = _load("grids", tmp_path / "nowhere.csv")
    assert missing.exit_code == 2 and "找不到文件 / no such file" in missing.stderr
    assert _load("grids", BOUNDARY, "--no-such-option").exit_code == 2
    ingest = CliRunner().invoke(app, ["ingest", "disputes", str(tmp_path / "nowhere.xlsx")])
    assert ingest.exit_code == 2 and "找不到文件" in ingest.stderr
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused = _load("addresses", empty)
    assert refused.exit_code == 1
    assert "文件是空的（0 字节）/ the file is empty (0 bytes)" in refused.stderr
    assert "文件被拒绝，未写入任何数据 / " in refused.stderr
    assert _load("admin-units", BOUNDARY).exit_code == 0


def test_problems_name_row_and_column_in_chinese_and_english(private_url, tmp_path):
    assert _load("admin-units", BOUNDARY).exit_code == 0
    assert _load("admin-units", shutil.copy(DIVISIONS, tmp_path / "d.csv")).exit_code == 0
    path = write_csv(
        tmp_path / "addresses.csv",
        ["地址编码", "标准地址", "组", "经度", "纬度"],
        [["A-1", "城关镇东环路社区", "一组", "103.605", "34.705"],
         ["A-2", "城关镇东环路社区", "第X组", "103.606", "34.706"]],
    )  # fmt: skip
    result = _load("addresses", path)
    assert result.exit_code == 1
    assert "第 3 行，“组”列 / row 3, field '组': '第X组' 不是组号" in result.stderr
    assert "第 2 行" not in result.stderr  # 一组 is group 1


def test_a_ledger_with_a_title_row_is_taken_in_and_bad_times_are_named(private_url, tmp_path):
    import openpyxl

    steps = [
        ("admin-units", BOUNDARY),
        ("admin-units", EXAMPLES / "admin_units_example.csv"),
        ("grids", EXAMPLES / "grids_example.csv"),
    ]
    for kind, path in steps:
        assert _load(kind, path).exit_code == 0
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["临潭县城关镇矛盾纠纷排查化解台账（2026年11月）"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "编号", "受理时间", "纠纷类别", "发生地点", "经度", "纬度"])
    sheet.append([1, "JF-1", "2026年11月6日 14:20", "邻里纠纷", "城关镇", 103.605, 34.705])
    sheet.append([2, "JF-2", "0001-01-01", "邻里纠纷", "城关镇", 103.605, 34.705])
    sheet.append([3, "JF-3", "2026.11.06", "邻里纠纷", "岷县", 104.04, 34.44])
    sheet.append(["合计", None, "3件"])
    book.save(tmp_path / "台账.xlsx")
    result = CliRunner().invoke(
        app, ["ingest", "disputes", str(tmp_path / "台账.xlsx"), "--county", "623021"]
    )
    assert result.exit_code == 1, result.output
    assert "第 4 行，“受理时间”列 / row 4, column '受理时间' (reported_at)" in result.stderr
    assert "跳过的行 / rows skipped: 1 (标题 title), 6 (合计 totals)" in result.stderr
    assert "早于 1990-01-01" in result.stderr
    assert "needs a location" in result.stderr and "JF-3" in result.stderr
    assert "accepted 2" in result.stdout
