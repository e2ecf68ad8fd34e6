"""The ledger as a county office files it: an .xlsx workbook with Chinese headers, ready to print.

Three sheets, each laid out the same way: a title row, a row with the reporting unit (填报单位)
and the period, the header row, the data, a totals row where there is one, and the foot line
填报人 / 审核人 / 填报日期.

- 化解台账 (the ledger): one row per dispute received in the period;
- 统计报表 (the periodic report): per unit one level down and per category, screened,
  resolved, resolution rate, overdue and still open (see :mod:`geo.disputes.ledger`);
- 超期及挂起案件 (the watch list): the cases overdue or suspended when overdue is judged,
  with the days.

Times are real Excel dates in China time with Chinese number formats (2026年1月5日 20:00);
townships, villages and grids are named with their codes beside. Every sheet prints on A4
landscape, fitted to the page width, with the title rows repeated on each page and
"第 n 页 共 m 页" at the foot. The title says 模拟数据 only when every row is synthetic; otherwise
the synthetic rows say so in 备注. Text is always written as text, never as a formula (a cell
starting with = + - @, a tab or a carriage return stays the characters typed). No personal
details of the parties are written.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core import vocab
from geo.disputes.ledger import CHINA, Ledger

LEDGER_SHEET = "化解台账"
REPORT_SHEET = "统计报表"
WATCH_SHEET = "超期及挂起案件"
LEDGER_HEADERS = (
    "序号", "案件编号", "受理时间", "乡镇（街道）", "村（社区）", "网格", "纠纷类别", "等级",
    "发生地点", "简要情况", "办理状态", "办结时限", "化解时间", "是否超期", "承办人/单位",
    "群众满意度", "备注",
)  # fmt: skip
LEDGER_WIDTHS = (6, 14, 20, 14, 18, 22, 10, 7, 22, 34, 10, 20, 20, 7, 18, 10, 10)
REPORT_HEADERS = ("序号", "单位", "纠纷类别", "排查数", "化解数", "化解率（%）", "超期", "在办")
REPORT_WIDTHS = (6, 24, 12, 10, 10, 12, 8, 8)
WATCH_HEADERS = (
    "序号", "案件编号", "乡镇（街道）", "村（社区）", "网格", "纠纷类别", "办理状态", "办结时限",
    "情形", "超期天数", "挂起时间", "挂起天数", "承办人/单位", "备注",
)  # fmt: skip
WATCH_WIDTHS = (6, 14, 14, 18, 22, 10, 10, 20, 10, 10, 20, 10, 18, 10)
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
RATE_FORMAT = "0.0"
DAYS_FORMAT = "0.0"
PAGE_FOOTER = "第 &P 页 共 &N 页"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
BOLD = Font(bold=True)
LINE_HEIGHT = 15.0  # points, one line of 11-point text
WRAP = Alignment(wrap_text=True, vertical="top")


def _day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """China time without a zone: what an Excel date cell holds."""
    return None if value is None else value.astimezone(CHINA).replace(tzinfo=None)


def _named(name: str | None, code: str | None) -> str | None:
    if not code:
        return name
    return f"{name}（{code}）" if name else code


def _title_rows(ws: Worksheet, title: str, ledger: Ledger, n_columns: int) -> None:
    if ledger.all_synthetic:
        title += "（模拟数据）"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_columns)
    ws.cell(1, 1).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([f"填报单位：{ledger.unit_name}（{ledger.unit_code}）    统计时段："
               f"{_day(ledger.first_day)}至{_day(ledger.last_day)}"])  # fmt: skip
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n_columns)


def _header(ws: Worksheet, headers: tuple[str, ...], widths: tuple[int, ...]) -> None:
    ws.append(list(headers))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(3, i)
        cell.font = BOLD
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A4"


def _foot(ws: Worksheet, ledger: Ledger, n_columns: int) -> None:
    """The 填报人 / 审核人 / 填报日期 line, after a blank row."""
    filed_on = _day(ledger.filed_on) if ledger.filed_on else ""
    blank = "\u3000" * 6
    ws.append([])
    ws.append([f"填报人：{ledger.filed_by or blank}    审核人：{ledger.reviewed_by or blank}"
               f"    填报日期：{filed_on}"])  # fmt: skip
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=n_columns)


def _text_width(value) -> int:
    """Width of a value in character cells: a Chinese character takes two."""
    if isinstance(value, dt.datetime):
        return 19
    text = str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _lines(value, width: float) -> int:
    usable = max(width - 1.5, 1.0)
    return max(1, -(-_text_width(value) // int(usable)))


def _grid_lines(
    ws: Worksheet, last_row: int, formats: dict[int, str], widths: tuple[int, ...]
) -> None:
    """Borders, wrapping and formats on the table; each row as tall as its longest text, so
    nothing is cut off when printed (a spreadsheet does not grow rows it did not lay out)."""
    for row in ws.iter_rows(min_row=3, max_row=last_row):
        lines = 1
        for cell in row:
            cell.border = BORDER
            if cell.row > 3:
                cell.alignment = WRAP
            if cell.column in formats and cell.row > 3:
                cell.number_format = formats[cell.column]
            if cell.value is not None and cell.column <= len(widths):
                lines = max(lines, _lines(cell.value, widths[cell.column - 1]))
        ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines + 3


def _print_setup(ws: Worksheet) -> None:
    """A4 landscape, fitted to the page width, title rows on every page, page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:3"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = PAGE_FOOTER
    ws.evenFooter.center.text = PAGE_FOOTER


def plain_text(ws: Worksheet) -> None:
    """Make every text cell a string: nothing typed can become a live formula."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True


def _status_label(case: dict) -> str:
    status = case["status_at_end"]
    return vocab.DISPUTE_STATUSES.get(status, status)


def _remark(case: dict) -> str | None:
    parts = ["挂起中"] if case.get("suspended") else []
    if case.get("satisfaction") is not None and case.get("rating_source"):
        source = case["rating_source"]
        parts.append("评价：" + vocab.RATING_SOURCES.get(source, source))
    if case["synthetic"]:
        parts.append("模拟数据")
    return "；".join(parts) or None


def _place(case: dict) -> list:
    return [
        _named(case["township"], case["township_code"]),
        _named(case["village"], case["village_code"]),
        _named(case["grid_name"], case["grid_code"]),
    ]


def ledger_sheet(ws: Worksheet, ledger: Ledger) -> None:
    """Fill the 化解台账 sheet."""
    ws.title = LEDGER_SHEET
    _title_rows(ws, "矛盾纠纷排查化解台账", ledger, len(LEDGER_HEADERS))
    _header(ws, LEDGER_HEADERS, LEDGER_WIDTHS)
    resolved = overdue = 0
    for n, case in enumerate(ledger.cases, start=1):
        resolved += bool(case["resolved_by_end"])
        overdue += case["open_overdue"]
        ws.append([
            n, case["external_id"], _local(case["reported_at"]), *_place(case),
            vocab.DISPUTE_CATEGORIES.get(case["category"], case["category"]),
            vocab.DISPUTE_SEVERITIES.get(case["severity"], case["severity"]),
            case["location_text"], case["description"], _status_label(case),
            _local(case["deadline"] or case.get("held_deadline")),
            _local(case["resolved_at"]) if case["resolved_by_end"] else None,
            "是" if case["overdue"] else "否", case["facility"] or case["assignee"],
            case["satisfaction"], _remark(case),
        ])  # fmt: skip
    screened = len(ledger.cases)
    rate = f"{100.0 * resolved / screened:.1f}%" if screened else "—"
    ws.append([
        "合计", f"受理{screened}件", None, None, None, None, None, None, None,
        f"已化解{resolved}件，化解率{rate}，在办超期{overdue}件",
    ])  # fmt: skip
    last = ws.max_row
    formats = {3: DATETIME_FORMAT, 12: DATETIME_FORMAT, 13: DATETIME_FORMAT}
    _grid_lines(ws, last, formats, LEDGER_WIDTHS)
    for cell in ws[last]:
        cell.font = BOLD
    _foot(ws, ledger, len(LEDGER_HEADERS))
    _print_setup(ws)


def report_sheet(ws: Worksheet, ledger: Ledger) -> None:
    """Fill the 统计报表 sheet."""
    ws.title = REPORT_SHEET
    _title_rows(ws, "矛盾纠纷排查化解情况统计表", ledger, len(REPORT_HEADERS))
    _header(ws, REPORT_HEADERS, REPORT_WIDTHS)
    serial = 0
    bold_rows = []
    for row in ledger.report:
        f = row.figures
        rate = f["resolution_rate"] if f["resolution_rate"] is not None else "—"
        if row.kind == "category":
            serial += 1
            label = vocab.DISPUTE_CATEGORIES.get(row.category, row.category)
            values = [serial, _named(row.unit_name, row.unit_code), label]
        elif row.kind == "total":
            values = ["合计", None, "全部"]
        else:
            values = [None, _named(row.unit_name, row.unit_code), "小计"]
        ws.append([*values, f["screened"], f["resolved"], rate, f["overdue"], f["still_open"]])
        if row.kind != "category":
            bold_rows.append(ws.max_row)
    _grid_lines(ws, ws.max_row, {6: RATE_FORMAT}, REPORT_WIDTHS)
    for number in bold_rows:
        for cell in ws[number]:
            cell.font = BOLD
    _foot(ws, ledger, len(REPORT_HEADERS))
    _print_setup(ws)


def _situation(case: dict) -> str:
    if case["suspended"]:
        return "挂起"
    return "超期在办" if case["open_overdue"] else "逾期化解"


def watch_sheet(ws: Worksheet, ledger: Ledger) -> None:
    """Fill the 超期及挂起案件 sheet (the ledger's watch list)."""
    ws.title = WATCH_SHEET
    at = ledger.overdue_at.astimezone(CHINA)
    title = f"超期及挂起案件清单（截至{_day(at.date())} {at:%H:%M}）"
    _title_rows(ws, title, ledger, len(WATCH_HEADERS))
    _header(ws, WATCH_HEADERS, WATCH_WIDTHS)
    for n, case in enumerate(ledger.watch, start=1):
        ws.append([
            n, case["external_id"], *_place(case),
            vocab.DISPUTE_CATEGORIES.get(case["category"], case["category"]),
            _status_label(case), _local(case["deadline"] or case.get("held_deadline")),
            _situation(case), case["days_overdue"],
            _local(case.get("suspended_at")) if case["suspended"] else None,
            case["days_suspended"], case["facility"] or case["assignee"], _remark(case),
        ])  # fmt: skip
    late = sum(1 for c in ledger.watch if c["overdue"])
    held = sum(1 for c in ledger.watch if c["suspended"])
    ws.append(["合计", f"超期{late}件", None, None, None, None, None, None, f"挂起{held}件"])
    last = ws.max_row
    formats = {8: DATETIME_FORMAT, 10: DAYS_FORMAT, 11: DATETIME_FORMAT, 12: DAYS_FORMAT}
    _grid_lines(ws, last, formats, WATCH_WIDTHS)
    for cell in ws[last]:
        cell.font = BOLD
    _foot(ws, ledger, len(WATCH_HEADERS))
    _print_setup(ws)


def ledger_workbook(ledger: Ledger) -> bytes:
    """The .xlsx file of a ledger (all three sheets) as bytes."""
    book = Workbook()
    ledger_sheet(book.active, ledger)
    report_sheet(book.create_sheet(), ledger)
    watch_sheet(book.create_sheet(), ledger)
    for sheet in book.worksheets:
        plain_text(sheet)
    book.properties.title = f"矛盾纠纷排查化解台账 {ledger.unit_name}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
