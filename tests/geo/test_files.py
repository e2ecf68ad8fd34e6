"""The one reader of tabular files, on files shaped the way county offices produce them:
GBK CSV from a Chinese Excel, UTF-8 with BOM, UTF-16 "Unicode text", .xlsx with a merged
title, a 填报单位 line, a 合计 row, blank rows and a 填报人/审核人 footer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from core.errors import ImportRejected
from geo.files import cell_text, decode, normalise_header, read_table

KNOWN = ["编号", "受理时间", "类别", "等级", "地址", "经度", "纬度", "简要情况", "单位"]
HEADER = ["编号", "受理时间", "类别", "等级", "地址", "简要情况"]
TITLE = "临潭县矛盾纠纷排查化解台账（2026年11月）"


def csv_bytes(lines: list[list[str]], encoding: str, delimiter: str = ",") -> bytes:
    """A CSV as Excel saves it: CRLF line ends, every row as wide as the widest."""
    width = max(len(line) for line in lines)
    padded = [line + [""] * (width - len(line)) for line in lines]
    text = "".join(delimiter.join(line) + "\r\n" for line in padded)
    return text.encode(encoding)


def ledger_lines() -> list[list[str]]:
    return [
        [TITLE],
        ["填报单位：冶力关镇综治中心", "", "", "", "填报日期：2026年11月30日"],
        HEADER,
        ["JF-001", "2026-11-10 09:30", "婚姻家庭", "一般", "冶力关镇池沟村二组", "夫妻争吵"],
        [],
        ["JF-002", "2026-11-11", "邻里纠纷", "较大", "新城镇东山村1组", "宅基地，地界"],
        ["合  计", "", "2件", "", "", ""],
        [],
        ["填报人：张三", "", "审核人：李四", "", "", ""],
    ]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_a_csv_ledger_is_read_in_any_office_encoding(tmp_path, encoding):
    path = tmp_path / "台账.csv"
    path.write_bytes(csv_bytes(ledger_lines(), encoding))
    sheet = read_table(path, known=KNOWN)
    assert sheet.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    assert sheet.header_row == 3
    assert sheet.headers[:6] == HEADER
    assert sheet.rows == [4, 6]
    assert [r[0] for r in sheet.records] == ["JF-001", "JF-002"]
    assert sheet.records[1][5] == "宅基地，地界"
    assert sheet.dropped == {1: "title", 2: "title", 7: "totals", 9: "footer"}


def test_utf16_tab_separated_text_is_read(tmp_path):
    path = tmp_path / "unicode.txt"
    lines = [["标题"], HEADER, ["JF-001", "2026-11-10", "其他", "一般", "某地", "说明"]]
    path.write_bytes(csv_bytes(lines, "utf-16", delimiter="\t"))
    sheet = read_table(path, known=KNOWN)
    assert (sheet.encoding, sheet.header_row, sheet.rows) == ("utf-16", 2, [3])
    assert sheet.column("地址") == ["某地"]


def test_a_semicolon_csv_with_a_bare_title_line_finds_its_delimiter(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "标题\n编号;地址;经度\nA1;某地;103.5\n".encode())
    sheet = read_table(path, known=KNOWN)
    assert sheet.headers == ["编号", "地址", "经度"]
    assert (sheet.rows, sheet.records) == ([3], [["A1", "某地", "103.5"]])


def write_ledger_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "11月"
    sheet.append([TITLE])
    sheet.merge_cells("A1:F1")
    sheet.append(["填报单位：冶力关镇", None, None, None, "单位：件"])
    sheet.merge_cells("A2:D2")
    sheet.append(HEADER)
    sheet.append(["JF-001", dt.datetime(2026, 11, 10, 9, 30), "婚姻家庭", "一般", "池沟村", "争吵"])
    sheet.append([2026002, "2026-11-11", "邻里纠纷", "较大", "东山村", 3.0])
    sheet.append([])
    sheet.append(["总计：", None, 2])
    sheet.append([])
    sheet.append(["审核人：李四"])
    other = book.create_sheet("说明")
    other.append(["编号", "地址"])
    other.append(["X", "Y"])
    book.save(path)
    return path


def test_an_xlsx_ledger_drops_title_totals_and_footer_and_keeps_sheet_rows(tmp_path):
    sheet = read_table(write_ledger_xlsx(tmp_path / "台账.xlsx"), known=KNOWN)
    assert (sheet.format, sheet.encoding, sheet.header_row) == ("xlsx", None, 3)
    assert sheet.headers == HEADER
    assert sheet.rows == [4, 5]
    assert sheet.dropped == {1: "title", 2: "title", 7: "totals", 9: "footer"}
    first, second = sheet.records
    assert first[1] == dt.datetime(2026, 11, 10, 9, 30)  # cells keep their type
    assert [cell_text(c) for c in second] == ["2026002", "2026-11-11", "邻里纠纷", "较大",
                                              "东山村", "3"]  # fmt: skip


def test_a_named_worksheet_is_read_and_a_missing_one_is_refused(tmp_path):
    path = write_ledger_xlsx(tmp_path / "book.xlsx")
    sheet = read_table(path, known=KNOWN, sheet="说明")
    assert (sheet.header_row, sheet.rows, sheet.records) == (1, [2], [["X", "Y"]])
    with pytest.raises(ImportRejected) as refused:
        read_table(path, known=KNOWN, sheet="12月")
    assert refused.value.problems[0].reason.startswith("没有工作表 '12月' / no sheet '12月'")


def test_the_header_is_the_row_naming_the_most_known_columns(tmp_path):
    path = tmp_path / "two.csv"
    lines = [
        ["单位", "冶力关镇"],
        ["序号", "编号", "地址", "经度", "纬度"],
        ["1", "A", "B", "1", "2"],
    ]
    path.write_bytes(csv_bytes(lines, "utf-8"))
    sheet = read_table(path, known=KNOWN)
    assert (sheet.header_row, sheet.rows) == (2, [3])


def test_headers_match_whatever_the_spacing_and_brackets(tmp_path):
    assert normalise_header(" 村（社区）_编码 ") == normalise_header("村(社区)编码")
    path = tmp_path / "spaced.csv"
    path.write_bytes(csv_bytes([["报表"], ["编 号", "地 址"], ["A", "B"]], "gbk"))
    assert read_table(path, known=KNOWN).header_row == 2


def test_with_no_known_header_the_first_non_blank_row_is_the_header(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_bytes(csv_bytes([[], ["名字", "电话"], ["张三", "1"]], "utf-8"))
    sheet = read_table(path, known=KNOWN)
    assert (sheet.header_row, sheet.headers, sheet.rows) == (2, ["名字", "电话"], [3])


def test_an_empty_file_has_no_header_and_no_rows(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\r\n,,\r\n")
    sheet = read_table(path, known=KNOWN)
    assert (sheet.header_row, sheet.headers, len(sheet)) == (None, [], 0)


def test_a_data_cell_mentioning_a_total_is_kept(tmp_path):
    path = tmp_path / "kept.csv"
    lines = [HEADER[:3], ["A", "2026-11-10", "合计金额纠纷"], ["B", "2026-11-10", "小计"]]
    path.write_bytes(csv_bytes(lines, "utf-8"))
    sheet = read_table(path, known=KNOWN)
    assert sheet.rows == [2] and sheet.dropped == {3: "totals"}


def test_short_rows_are_padded_to_the_header(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_bytes("编号,地址,经度\nA\nB,某地\n".encode())
    sheet = read_table(path, known=KNOWN)
    assert sheet.records == [["A", None, None], ["B", "某地", None]]


@pytest.mark.parametrize(
    ("name", "chinese"),
    [("none.csv", "找不到文件"), ("old.xls", "旧版 .xls"), ("map.kml", "不支持的文件类型")],
)
def test_unreadable_files_are_refused_in_chinese_then_english(tmp_path, name, chinese):
    path = tmp_path / name
    if name != "none.csv":
        path.write_bytes(b"\x00\x01")
    with pytest.raises(ImportRejected) as refused:
        read_table(path, known=KNOWN)
    reason = refused.value.problems[0].reason
    assert reason.startswith(chinese) and " / " in reason


def test_a_damaged_workbook_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportRejected, match=r"无法打开这个 \.xlsx 工作簿.* / not a readable"):
        read_table(path, known=KNOWN)


def test_decode_prefers_utf8_and_falls_back_to_gb18030():
    assert decode("编号".encode()) == ("编号", "utf-8")
    assert decode("编号".encode("gbk")) == ("编号", "gb18030")
    assert decode("\ufeff编号".encode()) == ("编号", "utf-8-sig")


def test_cell_text():
    assert [cell_text(v) for v in (None, "  ", " a ", 3.0, 3.5, 7, np.int64(4), float("nan"))] == [
        None, None, "a", "3", "3.5", "7", "4", None,
    ]  # fmt: skip
