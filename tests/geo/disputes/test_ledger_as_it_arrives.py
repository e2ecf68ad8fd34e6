"""A township's 矛盾纠纷台账 as it arrives: a merged title row and a 填报单位 line above the
header, dates written every way an office writes them, a 合计 row and a footer; and times
outside the plausible window refused with the field named (a 0001-01-01 once broke the
county's ranking)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd

from geo.disputes import columns as cols
from geo.disputes.intake import read_table

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
HEADER = ["序号", "编号", "受理时间", "当事人", "纠纷类别", "发生地点", "简要情况", "等级"]
WHEN = [
    ("JF-001", "2026年11月6日 14:20", "2026-11-06 14:20"),
    ("JF-002", "2026/11/6", "2026-11-06 00:00"),
    ("JF-003", "2026.11.06", "2026-11-06 00:00"),
    ("JF-004", 46332.59722222222, "2026-11-06 14:20"),  # an Excel serial, format lost
    ("JF-005", dt.datetime(2026, 11, 6, 14, 20, 5), "2026-11-06 14:20:05"),
    ("JF-006", "2026年11月6日14时20分", "2026-11-06 14:20"),
]
BAD = [
    ("JF-007", "0001-01-01", "早于 1990-01-01"),
    ("JF-008", "2099-01-01 08:00", "晚于现在一天以上"),
    ("JF-009", "11月6日下午", "不是日期时间"),
]


def _ledger(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["临潭县城关镇矛盾纠纷排查化解台账（2026年11月）"])
    sheet.merge_cells("A1:H1")
    sheet.append(["填报单位：城关镇综治中心", None, None, None, None, "填报日期：2026年11月30日"])
    sheet.append(HEADER)
    for k, (external_id, when, _) in enumerate(WHEN + [(e, w, None) for e, w, _ in BAD]):
        sheet.append([k + 1, external_id, when, "张三；李四", "邻里纠纷", "城关镇东环路社区一组",
                      "宅基地界线", "一般"])  # fmt: skip
    sheet.append(["合  计", None, "9件"])
    sheet.append([])
    sheet.append(["填报人：王五", None, None, "审核人：赵六"])
    book.save(path)
    return path


def test_a_ledger_with_a_title_row_and_chinese_dates_is_read(tmp_path):
    frame = read_table(_ledger(tmp_path / "台账.xlsx"), kind="disputes")
    assert frame.index.tolist() == list(range(4, 13))  # rows as Excel shows them
    checked = cols.check(cols.rename_headers(frame, cols.DISPUTES), cols.DISPUTES, now=NOW)
    got = {
        r.external_id: r.reported_at.strftime("%Y-%m-%d %H:%M" + (":%S" if r.reported_at.second
                                                                 else ""))
        for r in checked.rows.itertuples()
    }  # fmt: skip
    assert got == {external_id: expected for external_id, _, expected in WHEN}
    assert all(str(r.reported_at.tz) == "Asia/Shanghai" for r in checked.rows.itertuples())


def test_times_outside_the_plausible_window_are_refused_with_the_field_named(tmp_path):
    frame = read_table(_ledger(tmp_path / "台账.xlsx"), kind="disputes")
    checked = cols.check(cols.rename_headers(frame, cols.DISPUTES), cols.DISPUTES, now=NOW)
    problems = {p.row: p for p in checked.problems}
    assert sorted(problems) == [10, 11, 12]
    for (external_id, given, reason), row in zip(BAD, (10, 11, 12), strict=True):
        assert problems[row].field == "reported_at"
        assert reason in problems[row].reason and given in problems[row].reason, external_id
    assert "before 1990-01-01" in problems[10].reason
    assert "in the future" in problems[11].reason


def test_api_records_meet_the_same_window():
    frame = pd.DataFrame(
        [
            {"external_id": "A-1", "reported_at": "0001-01-01", "category": "neighbour",
             "address": "城关镇"},
            {"external_id": "A-2", "reported_at": "1989-12-31 23:59", "category": "neighbour",
             "address": "城关镇"},
            {"external_id": "A-3", "reported_at": "1990-01-01 08:00", "category": "neighbour",
             "address": "城关镇"},
        ]
    )  # fmt: skip
    checked = cols.check(frame, cols.DISPUTES, now=NOW)
    assert [(p.row, p.field) for p in checked.problems] == [(2, "reported_at"), (3, "reported_at")]
    assert checked.rows["external_id"].tolist() == ["A-3"]
