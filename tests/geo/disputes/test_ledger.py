"""The ledger workbook read back with openpyxl against a hand-computed fixture.

Period 2026-01-01 to 2026-03-31 (China time, both days included). Nine cases on the small
county (minor; 7 days for neighbour cases, 15 for debts, 22 for land):

    case  village   category     reported  path                               at the end
    A     池沟      neighbour    01-05     resolved 01-08, rated, archived    resolved
    B     池沟      neighbour    01-10     resolved 01-20 (late), rated       resolved
    C     东山      debt         02-01     resolved 02-06                     resolved
    D     东山      neighbour    03-01     in progress (due 03-08)            open, overdue
    E     池沟      neighbour    03-28     received (due 04-04)               open
    F     池沟      land_forest  02-10     unresolved 02-20, archived         closed
    G     池沟      neighbour    03-20     resolved 04-05 (after the period)  open, overdue
    H     池沟      neighbour    2025-12-20                                   not in period
    I     池沟      neighbour    04-02                                        not in period

池沟 is in 冶力关镇, 东山 in 新城镇.
By hand, the report (screened, resolved, rate, overdue, still open):
    新城镇   邻里纠纷  1 0   0.0 1 1
    新城镇   债权债务  1 1 100.0 0 0
    新城镇   小计      2 1  50.0 1 1
    冶力关镇 邻里纠纷  4 2  50.0 1 2
    冶力关镇 土地山林  1 0   0.0 0 0
    冶力关镇 小计      5 2  40.0 1 2
    合计              7 3  42.9 2 3
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from core.errors import InvalidRequest, NotFound
from geo.disputes.ledger import build_ledger, period_instants
from geo.disputes.ledger_book import LEDGER_HEADERS, REPORT_HEADERS, ledger_workbook
from geo.disputes.stats import dispute_stats
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    COUNTY,
    DONGSHAN,
    XINCHENG,
    YELIGUAN,
    address_point,
    build_world,
    noon,
    walk,
)

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
CASES = {  # name: (village, category, reported, [(status, date, extra)])
    "A": (CHIGOU, "neighbour", "2026-01-05", [
        ("in_progress", "01-05", {}), ("resolved", "01-08", {}),
        ("rated", "01-09", {"satisfaction": 5}), ("archived", "01-10", {})]),
    "B": (CHIGOU, "neighbour", "2026-01-10", [
        ("in_progress", "01-11", {}), ("resolved", "01-20", {}),
        ("rated", "01-21", {"satisfaction": 2})]),
    "C": (DONGSHAN, "debt", "2026-02-01", [
        ("in_progress", "02-02", {}), ("resolved", "02-06", {})]),
    "D": (DONGSHAN, "neighbour", "2026-03-01", [("in_progress", "03-02", {})]),
    "E": (CHIGOU, "neighbour", "2026-03-28", []),
    "F": (CHIGOU, "land_forest", "2026-02-10", [
        ("in_progress", "02-11", {}), ("unresolved", "02-20", {"note": "referred to court"}),
        ("archived", "02-25", {})]),
    "G": (CHIGOU, "neighbour", "2026-03-20", [
        ("in_progress", "03-21", {}), ("resolved", "04-05", {})]),
    "H": (CHIGOU, "neighbour", "2025-12-20", [
        ("in_progress", "12-21", {}), ("resolved", "2026-01-03", {})]),
    "I": (CHIGOU, "neighbour", "2026-04-02", []),
}  # fmt: skip
REPORT = [  # the rows under the header, by hand
    (1, "新城镇（623021101）", "邻里纠纷", 1, 0, 0.0, 1, 1),
    (2, "新城镇（623021101）", "债权债务", 1, 1, 100.0, 0, 0),
    (None, "新城镇（623021101）", "小计", 2, 1, 50.0, 1, 1),
    (3, "冶力关镇（623021102）", "邻里纠纷", 4, 2, 50.0, 1, 2),
    (4, "冶力关镇（623021102）", "土地山林", 1, 0, 0.0, 0, 0),
    (None, "冶力关镇（623021102）", "小计", 5, 2, 40.0, 1, 2),
    ("合计", None, "全部", 7, 3, 42.9, 2, 3),
]


@pytest.fixture
def county(db):
    world = build_world(db)
    for number, (name, (village, category, reported, path)) in enumerate(CASES.items()):
        lon, lat = address_point(village, 1 + number // 3, 1 + number % 3)
        dispute_id = world.one(external_id=f"LG-{name}", reported_at=f"{reported} 12:00+00:00",
                               lon=lon, lat=lat, category=category,
                               description=f"案件{name}")  # fmt: skip
        steps = [(status, {"at": noon(reported, day), **extra}) for status, day, extra in path]
        walk(db, dispute_id, steps, actor="fixture")
    return db


def _book(session, **kw):
    ledger = build_ledger(session=session, first_day=FIRST, last_day=LAST, **kw)
    return ledger, load_workbook(io.BytesIO(ledger_workbook(ledger)))


def table(sheet) -> tuple[list[tuple], tuple | None, list[tuple]]:
    """A sheet's rows under the header up to the totals row, the totals row (None when the
    sheet has none) and the rows after it."""
    rows = list(sheet.iter_rows(values_only=True))
    end = next(i for i, r in enumerate(rows) if i > 2 and r[0] == "合计")
    return rows[3:end], rows[end], rows[end + 1 :]


def test_the_report_sheet_matches_the_hand_computed_fixture(county):
    _, book = _book(county)
    sheet = book["统计报表"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "矛盾纠纷排查化解情况统计表"
    assert rows[1][0] == "填报单位：临潭县（623021）    统计时段：2026年1月1日至2026年3月31日"
    assert rows[2] == REPORT_HEADERS
    body, total, foot = table(sheet)
    assert [*body, total] == REPORT
    assert foot[-1][0].startswith("填报人：")
    assert "A1:H1" in {str(r) for r in sheet.merged_cells.ranges}


def test_the_ledger_sheet_lists_every_case_of_the_period(county):
    _, book = _book(county)
    rows = list(book["化解台账"].iter_rows(values_only=True))
    assert rows[0][0] == "矛盾纠纷排查化解台账" and rows[2] == LEDGER_HEADERS
    body, total, _ = table(book["化解台账"])
    column = {h: i for i, h in enumerate(LEDGER_HEADERS)}
    assert [r[column["案件编号"]] for r in body] == [f"LG-{c}" for c in "ABCFDGE"]
    assert [r[column["序号"]] for r in body] == list(range(1, 8))
    by_case = {r[column["案件编号"]]: r for r in body}
    assert by_case["LG-A"][column["办理状态"]] == "办结归档"
    assert by_case["LG-G"][column["办理状态"]] == "协同办理"  # resolved only after the period
    assert by_case["LG-G"][column["化解时间"]] is None
    assert by_case["LG-E"][column["办理状态"]] == "兜底受理"
    assert by_case["LG-C"][column["纠纷类别"]] == "债权债务"
    assert by_case["LG-C"][column["乡镇（街道）"]] == "新城镇（623021101）"
    assert by_case["LG-C"][column["村（社区）"]] == f"东山村民委员会（{DONGSHAN}）"
    assert by_case["LG-C"][column["网格"]] == f"东山村民委员会网格（{DONGSHAN}0001）"
    assert by_case["LG-A"][column["受理时间"]] == dt.datetime(2026, 1, 5, 20)  # China time
    late = {k for k, r in by_case.items() if r[column["是否超期"]] == "是"}
    assert late == {"LG-B", "LG-D", "LG-G"}
    assert total[0] == "合计" and total[1] == "受理7件"
    assert total[column["简要情况"]] == "已化解3件，化解率42.9%，在办超期2件"


def test_the_figures_agree_with_the_stats_of_the_same_instants(county):
    ledger, _ = _book(county)
    start, end = period_instants(FIRST, LAST)
    stats = dispute_stats(session=county, level="county", code=COUNTY, start=start, end=end)
    total = ledger.report[-1].figures
    assert total == {k: stats[k] for k in total}
    subtotals = {r.unit_code: r.figures["screened"] for r in ledger.report if r.kind == "subtotal"}
    assert subtotals == {c["code"]: c["screened"] for c in stats["children"]}


def test_a_township_ledger_breaks_down_by_village(county):
    ledger, book = _book(county, unit=YELIGUAN)
    assert ledger.unit_name == "冶力关镇" and len(ledger.cases) == 5
    body, total, _ = table(book["统计报表"])
    rows = [*body, total]
    assert rows[-1] == ("合计", None, "全部", 5, 2, 40.0, 1, 2)
    assert rows[-2][2] == "小计" and rows[-2][3] == 5
    assert all("池沟" in r[1] for r in rows[:-1])
    other = build_ledger(session=county, first_day=FIRST, last_day=LAST, unit=XINCHENG)
    assert [c["external_id"] for c in other.cases] == ["LG-C", "LG-D"]


def test_bad_units_and_periods(county):
    with pytest.raises(NotFound):
        build_ledger(session=county, first_day=FIRST, last_day=LAST, unit="623021199")
    with pytest.raises(InvalidRequest):
        build_ledger(session=county, first_day=FIRST, last_day=LAST, unit="6230")
    with pytest.raises(InvalidRequest):
        build_ledger(session=county, first_day=LAST, last_day=FIRST)


def test_the_demo_ledger_agrees_with_the_stats_by_township(demo_db):
    first, last = dt.date(2026, 1, 1), dt.date(2026, 9, 30)
    ledger = build_ledger(session=demo_db, first_day=first, last_day=last)
    start, end = period_instants(first, last)
    stats = dispute_stats(session=demo_db, level="county", code="623021", start=start, end=end)
    assert ledger.synthetic and len(ledger.cases) == stats["screened"]
    subtotals = {r.unit_code: r.figures for r in ledger.report if r.kind != "category"}
    for child in stats["children"]:
        assert subtotals[child["code"]] == {k: child[k] for k in subtotals[child["code"]]}
    categories = [r for r in ledger.report if r.kind == "category"]
    assert sum(r.figures["screened"] for r in categories) == stats["screened"]
    book = load_workbook(io.BytesIO(ledger_workbook(ledger)))
    assert book["化解台账"]["A1"].value.endswith("（模拟数据）")
    assert book.sheetnames == ["化解台账", "统计报表", "超期及挂起案件"]


def _period_around(session, now: dt.datetime, cases: dict, last_day: dt.date):
    """Cases (name: (reported, [(status, at)])) on 池沟 ingested as of ``now``, and the ledger
    from 40 days before ``now`` to ``last_day`` exported at ``now``: the ledger, 是否超期 by
    case number and the totals row's summary."""
    world = build_world(session)
    for number, (name, (reported, path)) in enumerate(cases.items()):
        lon, lat = address_point(CHIGOU, 1, 1 + number)
        report = world.ingest(
            [{"external_id": f"NOW-{name}", "reported_at": reported.isoformat(),
              "category": "neighbour", "lon": lon, "lat": lat}],
            now=now,
        )  # fmt: skip
        steps = [(status, {"at": at}) for status, at in path]
        walk(session, report.accepted[f"NOW-{name}"], steps, actor="fixture")
    first = (now - dt.timedelta(days=40)).date()
    ledger = build_ledger(session=session, first_day=first, last_day=last_day, now=now)
    book = load_workbook(io.BytesIO(ledger_workbook(ledger)))
    body, total, _ = table(book["化解台账"])
    column = {h: i for i, h in enumerate(LEDGER_HEADERS)}
    late = {r[column["案件编号"]]: r[column["是否超期"]] for r in body}
    return ledger, late, total[column["简要情况"]]


def test_a_period_ending_later_judges_overdue_at_the_export(db):
    now = dt.datetime(2026, 12, 2, 4, tzinfo=dt.UTC)  # 12-02 noon, China time
    day = dt.timedelta(days=1)
    cases = {  # neighbour, minor: due 7 days after the report
        "due-12-08": (now - day, [("in_progress", now - day / 2)]),
        "due-11-27": (now - 12 * day, [("in_progress", now - 11 * day)]),
        "resolved-late": (now - 20 * day, [("in_progress", now - 19 * day),
                                           ("resolved", now - 10 * day)]),
        "resolved-in-time": (now - 15 * day, [("in_progress", now - 14 * day),
                                              ("resolved", now - 12 * day)]),
    }  # fmt: skip
    ledger, late, total = _period_around(db, now, cases, dt.date(2026, 12, 31))
    assert ledger.overdue_at == now
    assert late == {"NOW-due-12-08": "否", "NOW-due-11-27": "是", "NOW-resolved-late": "是",
                    "NOW-resolved-in-time": "否"}  # fmt: skip
    assert total.endswith("在办超期1件")
    assert ledger.report[-1].figures["overdue"] == 1
    stats = dispute_stats(session=db, level="county", code=COUNTY, start=ledger.start,
                          end=ledger.end, now=now)  # fmt: skip
    assert stats["overdue"] == 1 and stats["still_open"] == 2 and stats["resolved_late"] == 1
    after = build_ledger(session=db, first_day=ledger.first_day, last_day=ledger.last_day,
                         now=dt.datetime(2026, 12, 9, tzinfo=dt.UTC))  # fmt: skip
    assert {c["external_id"] for c in after.cases if c["overdue"]} == {
        "NOW-due-12-08", "NOW-due-11-27", "NOW-resolved-late"}  # fmt: skip


def test_exported_today_with_a_to_in_the_future_a_case_due_later_is_not_overdue(db):
    now = dt.datetime.now(dt.UTC)
    day = dt.timedelta(days=1)
    cases = {"due-later": (now - day, []), "past-due": (now - 9 * day, [])}
    ledger, late, _ = _period_around(db, now, cases, (now + 60 * day).date())
    assert ledger.overdue_at == now and ledger.end > now
    assert late == {"NOW-due-later": "否", "NOW-past-due": "是"}
