"""The printable review report on the demo county, printed to PDF by Chromium and measured:
A4 portrait, nothing past the page edge, short rows, the map on page 1 at full width; and the
report, the hotspot page and ``wangge hotspots`` count the same flagged grids."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from api.cli import app
from geo.database.engine import make_engine
from services import risk
from tests.browser.pages import log_in_as_demo, wait_for_map

pytestmark = pytest.mark.browser
MM = 96 / 25.4  # CSS px per mm
PT_PER_MM = 72 / 25.4
A4 = (210 * PT_PER_MM, 297 * PT_PER_MM)
SIDE_MARGIN_MM = 12

_WORD = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
_LAYOUT = """
() => {
  const box = el => { const r = el.getBoundingClientRect();
                      return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                              width: r.width, height: r.height}; };
  return {
    body: box(document.body),
    map: box(document.querySelector('figure svg')),
    cells: [...document.querySelectorAll('table.flagged th, table.flagged td')].map(td => ({
      ...box(td), text: td.innerText, clipped: td.scrollWidth > td.clientWidth + 1})),
    rows: [...document.querySelectorAll('table.flagged tbody tr')].map(tr => ({
      height: tr.getBoundingClientRect().height,
      number: tr.cells[0].innerText.trim(),
      reasonLines: new Set([...tr.querySelector('.why').getClientRects()]
                           .map(r => Math.round(r.top))).size,
      cut: tr.querySelector('.why').innerText.includes('见附注')})),
    notes: [...document.querySelectorAll('.notes > ul > li')].map(li => li.innerText),
    lineHeight: parseFloat(getComputedStyle(document.querySelector('table.flagged td')).lineHeight),
  };
}
"""


def _pdf_pages(pdf: bytes, folder) -> list[dict]:
    """Pages of a PDF as {width, height, words: [(text, xMin, yMin, xMax, yMax)]} (poppler)."""
    path = folder / "report.pdf"
    path.write_bytes(pdf)
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for head, body in re.findall(r"<page ([^>]*)>(.*?)</page>", xhtml, flags=re.S):
        size = dict(re.findall(r'(\w+)="([\d.]+)"', head))
        words = [
            (text, float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, text in re.findall(_WORD, body)
        ]
        pages.append(
            {"width": float(size["width"]), "height": float(size["height"]), "words": words}
        )
    return pages


def test_the_report_prints_on_a4_within_the_page(page, live_server, artifacts, tmp_path):
    log_in_as_demo(page, live_server)
    page.goto(f"{live_server}/maps/hotspots/report")
    page.emulate_media(media="print")
    layout = page.evaluate(_LAYOUT)
    body = layout["body"]
    assert abs(body["width"] - 186 * MM) < 1

    # the map spans the page's width; no cell crosses the right edge or hides its text
    assert layout["map"]["width"] >= body["width"] - 1
    assert layout["rows"], "the demo county has flagged grids"
    for cell in layout["cells"]:
        assert body["left"] - 0.5 <= cell["left"] and cell["right"] <= body["right"] + 0.5, cell
        assert not cell["clipped"], cell
    # rows of at most three lines, reasons of at most two; what is cut is in the notes
    three_lines = 3 * layout["lineHeight"] + 3 * MM
    for row in layout["rows"]:
        assert row["height"] <= three_lines, row
        assert row["reasonLines"] <= 2, row
    cut = [row["number"] for row in layout["rows"] if row["cut"]]
    assert [note.split(".")[0] for note in layout["notes"]] == cut
    assert all("None" not in note and "nan" not in note for note in layout["notes"])

    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (artifacts / "hotspot-report-demo.pdf").write_bytes(pdf)
    pages = _pdf_pages(pdf, tmp_path)
    width, height = A4
    margin = SIDE_MARGIN_MM * PT_PER_MM
    for number, sheet in enumerate(pages, 1):
        assert abs(sheet["width"] - width) < 1 and abs(sheet["height"] - height) < 1
        for text, x0, _, x1, _ in sheet["words"]:
            assert margin - 1 <= x0 and x1 <= width - margin + 1, (number, text, x0, x1)
    first = pages[0]["words"]
    texts = [w[0] for w in first]
    # page 1: the title, the legend in words, the table's headings up to 审核人, its first rows
    assert "审核人" in texts and "reviewer" in texts and "模型风险" in texts
    assert layout["rows"][0]["number"] in texts
    assert max(w[4] for w in first) > height * 2 / 3, "page 1 leaves its lower third blank"
    for sheet in pages[1:]:
        words = [w[0] for w in sheet["words"]]
        if "见附注" in words:
            assert "审核人" in words, "the table's headings repeat on each page"
    page.emulate_media(media="screen")
    page.screenshot(path=str(artifacts / "hotspot-report-demo.png"), full_page=True)


def test_report_page_and_command_count_the_same_flagged_grids(
    page, live_server, demo_url, monkeypatch, tmp_path
):
    engine = make_engine(demo_url)
    try:
        flags = risk.latest_flags(engine, county="623021")
    finally:
        engine.dispose()
    grids = {flag["grid_code"] for flag in flags}
    assert len(flags) > len(grids), "the demo county has grids flagged by several methods"

    log_in_as_demo(page, live_server)
    page.goto(f"{live_server}/maps/hotspots")
    wait_for_map(page)
    listed = page.locator(".wg-flagged li[data-code]").evaluate_all(
        "items => items.map(li => li.getAttribute('data-code'))"
    )
    assert sorted(listed) == sorted(grids)
    assert page.locator(".wg-flagged li .wg-tag").count() >= len(flags)
    page.goto(f"{live_server}/maps/hotspots/report")
    assert page.locator(".flagged-count").inner_text() == str(len(grids))
    assert page.locator("table.flagged tbody tr").count() == len(grids)

    monkeypatch.setenv("DATABASE_URL", demo_url)
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(app, ["hotspots", "--county", "623021"])
    assert result.exit_code == 0, result.output
    assert f"{len(grids)} grids ({len(flags)} flags)" in result.output

    # the report written by the command line stamps Beijing time, as the served one does
    before = dt.datetime.now(ZoneInfo("Asia/Shanghai"))
    output = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["map", "report", "-o", str(output)])
    assert result.exit_code == 0, result.output
    stamp = re.search(r"class='generated'>([\d\- :]+) 北京时间", output.read_text("utf-8"))
    written = dt.datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=before.tzinfo)
    assert before.replace(second=0, microsecond=0) <= written <= dt.datetime.now(before.tzinfo)
