"""What intake says about a refused row: Chinese first with the English beside it, the value as
written and what would be accepted; the column as the file writes it travels with the report."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from core.errors import InvalidRequest
from geo.disputes import columns as cols
from geo.disputes import intake_messages as say
from geo.disputes.intake import read_file

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
HEADER = ["编号", "受理时间", "纠纷类别", "发生地点", "东经", "经度", "纬度", "坐标系"]
ROWS = [
    # row 2 is the first record below the header
    ["JF-1", "2026-11-06", "邻居纠纷", "城关镇", None, None, None, None],  # 2: category
    ["", "2026-11-06", "邻里纠纷", "城关镇", None, None, None, None],  # 3: no id
    ["JF-3", "2026-11-06", "邻里纠纷", None, None, "103.6", None, None],  # 4: half a point
    ["JF-4", "2026-11-06", "邻里纠纷", None, None, None, None, None],  # 5: no location
    ["JF-5", "2026-11-06", "邻里纠纷", None, None, "34.7", "103.6", None],  # 6: swapped
    ["JF-6", "2026-11-06", "邻里纠纷", None, None, "203.6", "34.7", None],  # 7: off the globe
    ["JF-7", "2026-11-06", "邻里纠纷", None, None, "103.6", "34.7", "北京54"],  # 8: crs
    ["JF-1", "2026-11-06", "邻里纠纷", "城关镇", None, None, None, None],  # 9: repeat of row 2
    ["JF-9", "", "邻里纠纷", "城关镇", None, None, None, None],  # 10: no time
]


def _checked():
    frame = pd.DataFrame(ROWS, columns=HEADER)
    written = cols.written_headers(frame, cols.DISPUTES)
    renamed = cols.rename_headers(frame, cols.DISPUTES)
    return cols.check(renamed, cols.DISPUTES, now=NOW, written=written), written


def _chinese_first(reason: str) -> bool:
    chinese, _, english = reason.partition(" / ")
    return bool(english) and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_every_refusal_is_chinese_first_with_the_value_and_what_is_accepted():
    checked, written = _checked()
    problems = {p.row: p for p in checked.problems}
    assert sorted(problems) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert all(_chinese_first(p.reason) for p in checked.problems), checked.problems
    category = problems[2].reason
    assert "'邻居纠纷' 不是已知的类别" in category
    assert "最接近的：邻里纠纷 (neighbour)" in category and "可填：婚姻家庭、邻里纠纷" in category
    assert "closest: 邻里纠纷 (neighbour)" in category
    assert "编号为空" in problems[3].reason
    assert "经度 '103.6'，纬度 ''" in problems[4].reason
    assert "“发生地点”，或“经度”和“纬度”" in problems[5].reason
    assert "填反了（经度 '34.7'，纬度 '103.6'）" in problems[6].reason
    assert "超出范围（经度 '203.6'" in problems[7].reason
    assert "坐标系 '北京54' 无法识别" in problems[8].reason and "GCJ02" in problems[8].reason
    assert "编号 'JF-1' 与第 2 行重复" in problems[9].reason
    assert "受理时间为空" in problems[10].reason
    assert written["category"] == "纠纷类别" and written["address"] == "发生地点"
    assert written["lon"] == "经度", "东经 is no lon header; 经度 is"


def test_a_file_without_a_required_column_names_the_headers_it_may_use():
    frame = pd.DataFrame([["JF-1", "邻里纠纷", "城关镇"]], columns=["编号", "类别", "地址"])
    with pytest.raises(InvalidRequest) as refused:
        cols.check(cols.rename_headers(frame, cols.DISPUTES), cols.DISPUTES, now=NOW)
    assert "文件缺少“受理时间”列（列名可写 受理时间、登记时间、reported_at）" in str(refused.value)


def test_closest_categories_by_spelling_and_by_characters():
    assert say.closest("邻居纠纷", {"neighbour": "邻里纠纷", "debt": "债权债务"})[0] == (
        "邻里纠纷 (neighbour)"
    )
    assert say.closest("欠债", {"neighbour": "邻里纠纷", "debt": "债权债务"}) == ["债权债务 (debt)"]
    assert say.closest("xyz", {"neighbour": "邻里纠纷"}) == []


def test_the_file_reader_reports_the_title_totals_and_footer_rows_it_skipped(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["临潭县城关镇矛盾纠纷排查化解台账（2026年11月）"])
    sheet.append(["编号", "受理时间", "类别", "地址"])
    sheet.append(["JF-1", "2026-11-06", "邻里纠纷", "城关镇"])
    sheet.append(["合计", None, "1件"])
    sheet.append(["填报人：王五"])
    book.save(tmp_path / "台账.xlsx")
    read = read_file(tmp_path / "台账.xlsx", kind="disputes")
    assert read.frame.index.tolist() == [3]
    assert read.skipped_rows == {1: "title", 4: "totals", 5: "footer"}
    assert say.skipped_rows(read.skipped_rows) == (
        "跳过的行 / rows skipped: 1 (标题 title), 4 (合计 totals), 5 (落款/注 footer)"
    )
