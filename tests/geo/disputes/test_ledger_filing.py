"""The ledger workbook as filed: Excel dates, names beside codes, the foot lines, print set-up,
the synthetic mark, the watch sheet, text never a formula; and the PDF LibreOffice prints.

The ledger here is made by hand (no database): a county, one township, one village, one grid,
and cases whose every field is set, so each cell can be checked against a value written here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from geo.disputes.ledger import CHINA, Ledger, ReportRow, _judged
from geo.disputes.ledger_book import (
    LEDGER_HEADERS,
    WATCH_HEADERS,
    ledger_workbook,
)

UTC = dt.UTC
AT = dt.datetime(2026, 3, 31, 16, tzinfo=UTC)  # 2026-04-01 00:00 China time: the period's end
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"点此\")", "=1+1", "+1", "-2", "@SUM(A1)",
           "\tcmd", "\rcmd"]  # fmt: skip


def case(number: int, **changes) -> dict:
    """A case of the hand-made ledger; ``changes`` override its fields."""
    reported = dt.datetime(2026, 1, 5, 4, tzinfo=UTC) + dt.timedelta(hours=number)
    row = {
        "id": number, "external_id": f"HF-{number:03d}", "reported_at": reported,
        "category": "neighbour", "severity": "minor", "location_text": "池沟村一组1号",
        "description": "邻里因宅基地界址发生争执，经网格员上门调解，双方达成口头协议。" * 2,
        "deadline": reported + dt.timedelta(days=7), "resolved_at": reported + dt.timedelta(days=2),
        "satisfaction": 5, "synthetic": False, "grid_code": "6230211022070001",
        "grid_name": "池沟村第一网格", "township_code": "623021102", "village_code": "623021102207",
        "township": "冶力关镇", "village": "池沟村", "assignee": "张三", "facility": "冶力关司法所",
        "status_at_end": "archived", "resolved_by_end": True, "suspended_at": None,
        "held_deadline": None,
    }  # fmt: skip
    row.update(changes)
    return _judged(row, AT)


def hand_ledger(cases: list[dict], **fields) -> Ledger:
    start = dt.datetime(2026, 1, 1, tzinfo=CHINA)
    end = dt.datetime(2026, 4, 1, tzinfo=CHINA)
    figures = {"screened": len(cases), "resolved": 1, "resolution_rate": 50.0, "overdue": 1,
               "still_open": 1}  # fmt: skip
    ledger = Ledger(
        "623021", "临潭县", "county", dt.date(2026, 1, 1), dt.date(2026, 3, 31), start, end, AT,
        cases=cases,
        report=[ReportRow("subtotal", "623021102", "冶力关镇", None, figures),
                ReportRow("total", "623021", "合计", None, figures)],
        synthetic=any(c["synthetic"] for c in cases), filed_on=dt.date(2026, 4, 2), **fields,
    )  # fmt: skip
    return ledger


def book_of(ledger: Ledger):
    return load_workbook(io.BytesIO(ledger_workbook(ledger)))


WATCHED = [
    case(1),
    case(2, status_at_end="in_progress", resolved_at=None, resolved_by_end=False),  # overdue
    case(3, resolved_at=dt.datetime(2026, 1, 20, 4, tzinfo=UTC)),  # resolved late
    case(4, status_at_end="in_progress", resolved_at=None, resolved_by_end=False, deadline=None,
         held_deadline=dt.datetime(2026, 1, 12, tzinfo=UTC),
         suspended_at=dt.datetime(2026, 3, 21, 16, tzinfo=UTC)),  # suspended 10 days
]  # fmt: skip


def test_times_are_excel_dates_with_a_chinese_format_and_places_carry_codes():
    sheet = book_of(hand_ledger(WATCHED))["化解台账"]
    column = {h: i + 1 for i, h in enumerate(LEDGER_HEADERS)}
    received = sheet.cell(4, column["受理时间"])
    assert received.value == dt.datetime(2026, 1, 5, 13)  # 05:00 UTC + 8 h
    assert received.is_date and received.number_format == 'yyyy"年"m"月"d"日" hh:mm'
    assert sheet.cell(4, column["办结时限"]).is_date
    assert sheet.cell(4, column["村（社区）"]).value == "池沟村（623021102207）"
    assert sheet.cell(4, column["网格"]).value == "池沟村第一网格（6230211022070001）"
    assert sheet.cell(4, column["乡镇（街道）"]).value == "冶力关镇（623021102）"


def test_every_sheet_has_the_foot_lines_and_prints_a4_landscape_fit_to_width():
    book = book_of(hand_ledger(WATCHED, filed_by="李四", reviewed_by="王五"))
    assert book.sheetnames == ["化解台账", "统计报表", "超期及挂起案件"]
    for sheet in book.worksheets:
        assert sheet["A2"].value.startswith("填报单位：临潭县（623021）")
        foot = sheet.cell(sheet.max_row, 1).value
        assert foot == "填报人：李四    审核人：王五    填报日期：2026年4月2日"
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$3"
        assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_the_synthetic_mark_is_on_synthetic_rows_only():
    real = book_of(hand_ledger([case(1), case(2)]))["化解台账"]
    assert real["A1"].value == "矛盾纠纷排查化解台账"
    remarks = LEDGER_HEADERS.index("备注") + 1
    assert [real.cell(r, remarks).value for r in (4, 5)] == [None, None]
    mixed = book_of(hand_ledger([case(1), case(2, synthetic=True)]))["化解台账"]
    assert mixed["A1"].value == "矛盾纠纷排查化解台账"
    assert [mixed.cell(r, remarks).value for r in (4, 5)] == [None, "模拟数据"]
    synthetic = book_of(hand_ledger([case(1, synthetic=True)]))["化解台账"]
    assert synthetic["A1"].value == "矛盾纠纷排查化解台账（模拟数据）"


def test_the_watch_sheet_lists_overdue_and_suspended_cases_with_days():
    sheet = book_of(hand_ledger(WATCHED))["超期及挂起案件"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "超期及挂起案件清单（截至2026年4月1日 00:00）"
    assert rows[2] == WATCH_HEADERS
    column = {h: i for i, h in enumerate(WATCH_HEADERS)}
    listed = {r[column["案件编号"]]: r for r in rows[3:6]}
    assert set(listed) == {"HF-002", "HF-003", "HF-004"}
    overdue = listed["HF-002"]  # reported 01-05 06:00 UTC, due 01-12 06:00, judged 03-31 16:00
    assert overdue[column["情形"]] == "超期在办"
    assert overdue[column["超期天数"]] == round((AT - dt.datetime(2026, 1, 12, 6, tzinfo=UTC))
                                            .total_seconds() / 86400, 1)  # fmt: skip
    assert listed["HF-003"][column["情形"]] == "逾期化解"
    assert listed["HF-003"][column["超期天数"]] == 7.9  # resolved 01-20 04:00, due 01-12 07:00
    held = listed["HF-004"]
    assert held[column["情形"]] == "挂起" and held[column["挂起天数"]] == 10.0
    assert held[column["挂起时间"]] == dt.datetime(2026, 3, 22, 0)
    assert rows[6][:2] == ("合计", "超期2件") and rows[6][8] == "挂起1件"


def test_text_that_looks_like_a_formula_stays_text():
    cases = [case(n, description=text, location_text=text) for n, text in enumerate(HOSTILE)]
    ledger = hand_ledger(cases, filed_by="=cmd|' /C calc'!A0")
    book = book_of(ledger)
    sheet = book["化解台账"]
    column = {h: i + 1 for i, h in enumerate(LEDGER_HEADERS)}
    for row, text in enumerate(HOSTILE, start=4):
        for header in ("简要情况", "发生地点"):
            cell = sheet.cell(row, column[header])
            assert cell.data_type == "s" and cell.value == text
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """A ledger of 120 cases converted to PDF by LibreOffice headless: (pdf path, pages)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is part of the set-up (scripts/setup.sh)"
    folder = tmp_path_factory.mktemp("ledger_pdf")
    cases = [case(n, synthetic=n % 2 == 0) for n in range(120)]
    xlsx = folder / "ledger.xlsx"
    xlsx.write_bytes(ledger_workbook(hand_ledger(cases, filed_by="李四", reviewed_by="王五")))
    profile = folder / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(xlsx)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = folder / "ledger.pdf"
    texts: list[str] = []
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", pdf)).group(1))
    for page in range(1, pages + 1):
        texts.append(_run("pdftotext", "-raw", "-f", str(page), "-l", str(page), pdf, "-"))
    return pdf, texts


def overlapping_words(pdf) -> list[tuple[str, str]]:
    """Pairs of printed words whose boxes overlap: a cell's text running under the next row
    (or column) is drawn clipped, on top of that cell's text."""
    html = _run("pdftotext", "-bbox", pdf, "-")
    box = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    found = []
    for page in html.split("<page")[1:]:
        words = sorted((*map(float, m[:4]), m[4]) for m in re.findall(box, page))
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if b[0] >= a[2]:
                    break
                wide = min(a[2], b[2]) - max(a[0], b[0])
                high = min(a[3], b[3]) - max(a[1], b[1])
                if wide > 1 and high > 1:
                    found.append((a[4], b[4]))
    return found


def _run(*command) -> str:
    return subprocess.run(
        [str(c) for c in command], check=True, capture_output=True, text=True, timeout=120
    ).stdout


def test_libreoffice_prints_every_column_on_each_page_with_page_numbers(printed):
    _, pages = printed
    assert len(pages) >= 3  # 120 ledger rows do not fit one page; three sheets at least
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页" not in text or "共" in text
        flat = re.sub(r"\s+", "", text)
        assert re.search(r"第\d+页共\d+页", flat), f"page {number} has no page number"
    ledger_pages = [t for t in pages if "矛盾纠纷排查化解台账" in t]
    assert len(ledger_pages) >= 2
    for text in ledger_pages:  # the title rows repeat and no column is cut off the page
        flat = re.sub(r"\s+", "", text)
        assert "序号" in flat and "备注" in flat and "群众满意度" in flat


def test_libreoffice_cuts_no_cell_short(printed):
    pdf, _ = printed
    assert overlapping_words(pdf) == []


def test_libreoffice_prints_the_last_row_and_the_foot_lines(printed):
    _, pages = printed
    flat = re.sub(r"\s+", "", "".join(pages))
    assert "HF-119" in flat and "填报人：李四" in flat and "审核人：王五" in flat
    total = int(re.search(r"共(\d+)页", flat).group(1))
    assert total <= len(pages)
