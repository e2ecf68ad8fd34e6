"""The ledger as a county office keeps it: an .xlsx workbook with Chinese headers.

Two sheets, each laid out the same way: a title row, a row with the reporting unit and the
period, the header row, the data, and a totals row.

- 化解台账 (the ledger): one row per dispute received in the period;
- 统计报表 (the periodic report): per unit one level down and per category, screened,
  resolved, resolution rate, overdue and still open (see :mod:`geo.disputes.ledger`).

Synthetic data say so in the title. No personal details of the parties are written.
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
LEDGER_HEADERS = (
    "序号", "案件编号", "受理时间", "乡镇（街道）", "村（社区）", "网格", "纠纷类别", "等级",
    "发生地点", "简要情况", "办理状态", "办结时限", "化解时间", "是否超期", "承办人/单位",
    "群众满意度",
)  # fmt: skip
LEDGER_WIDTHS = (6, 22, 17, 12, 14, 20, 10, 8, 28, 40, 10, 17, 17, 8, 24, 10)
REPORT_HEADERS = ("序号", "单位", "纠纷类别", "排查数", "化解数", "化解率（%）", "超期", "在办")
REPORT_WIDTHS = (6, 22, 12, 10, 10, 12, 8, 8)
_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
BOLD = Font(bold=True)


def _day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _local(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _title_rows(ws: Worksheet, title: str, ledger: Ledger, n_columns: int) -> None:
    if ledger.synthetic:
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
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    ws.freeze_panes = "A4"


def _status_label(case: dict) -> str:
    status = case["status_at_end"]
    return vocab.DISPUTE_STATUSES.get(status, status)


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
            n, case["external_id"], _local(case["reported_at"]), case["township"],
            case["village"], case["grid_code"],
            vocab.DISPUTE_CATEGORIES.get(case["category"], case["category"]),
            vocab.DISPUTE_SEVERITIES.get(case["severity"], case["severity"]),
            case["location_text"], case["description"], _status_label(case),
            _local(case["deadline"]),
            _local(case["resolved_at"]) if case["resolved_by_end"] else None,
            "是" if case["overdue"] else "否", case["facility"] or case["assignee"],
            case["satisfaction"],
        ])  # fmt: skip
    screened = len(ledger.cases)
    rate = f"{100.0 * resolved / screened:.1f}%" if screened else "—"
    ws.append([
        "合计", f"受理{screened}件", None, None, None, None, None, None, None,
        f"已化解{resolved}件，化解率{rate}，在办超期{overdue}件",
    ])  # fmt: skip
    for row in ws.iter_rows(min_row=4, max_row=ws.max_row):
        for cell in row:
            cell.border = BORDER
    for cell in ws[ws.max_row]:
        cell.font = BOLD


def report_sheet(ws: Worksheet, ledger: Ledger) -> None:
    """Fill the 统计报表 sheet."""
    ws.title = REPORT_SHEET
    _title_rows(ws, "矛盾纠纷排查化解情况统计表", ledger, len(REPORT_HEADERS))
    _header(ws, REPORT_HEADERS, REPORT_WIDTHS)
    serial = 0
    for row in ledger.report:
        f = row.figures
        rate = f["resolution_rate"] if f["resolution_rate"] is not None else "—"
        if row.kind == "category":
            serial += 1
            label = vocab.DISPUTE_CATEGORIES.get(row.category, row.category)
            values = [serial, row.unit_name, label]
        elif row.kind == "total":
            values = ["合计", None, "全部"]
        else:
            values = [None, row.unit_name, "小计"]
        ws.append([*values, f["screened"], f["resolved"], rate, f["overdue"], f["still_open"]])
        if row.kind != "category":
            for cell in ws[ws.max_row]:
                cell.font = BOLD
    for row in ws.iter_rows(min_row=4, max_row=ws.max_row):
        for cell in row:
            cell.border = BORDER


def ledger_workbook(ledger: Ledger) -> bytes:
    """The .xlsx file of a ledger (both sheets) as bytes."""
    book = Workbook()
    ledger_sheet(book.active, ledger)
    report_sheet(book.create_sheet(), ledger)
    book.properties.title = f"矛盾纠纷排查化解台账 {ledger.unit_name}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
