"""Statistics that reconcile: for the same unit and period, the ledger's totals row, the
periodic report (统计报表), ``GET /api/v1/stats`` and the command-room wall agree.

The period is October 2026 (China time) in the demo county, so that the wall, judged as the
period ends (2026-11-01 00:00+08:00 less a microsecond: at midnight itself "today" would be
empty), shows it as "this month" and the week from Monday 10-26 as "this week". The wall's
figures are built by ``services.map_layers.wall_payload``, the function behind
``/api/v1/maps/wall``, given that instant (the route always uses the present).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from core.principal import Principal
from services.map_layers import wall_payload

CHINA = ZoneInfo("Asia/Shanghai")
FIRST, LAST = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
START = dt.datetime(2026, 10, 1, tzinfo=CHINA)
MONDAY = dt.datetime(2026, 10, 26, tzinfo=CHINA)
END = dt.datetime(2026, 11, 1, tzinfo=CHINA)
FIGURES = ("screened", "still_open", "overdue", "resolution_rate")


def _stats(http, headers, level, code, start=START) -> dict:
    answer = http.get(
        "/api/v1/stats",
        params={"level": level, "code": code, "from": start.isoformat(), "to": END.isoformat()},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _ledger_book(http, headers, unit) -> tuple[dict, dict, dict]:
    """(ledger sheet totals, report total row, report subtotal rows by unit code)."""
    answer = http.get(
        "/api/v1/ledger.xlsx",
        params={"from": FIRST.isoformat(), "to": LAST.isoformat(), "unit": unit},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    book = load_workbook(io.BytesIO(answer.content))
    totals = next(r for r in book["化解台账"].iter_rows(values_only=True) if r[0] == "合计")
    words = "".join(str(v) for v in totals if v)
    screened, resolved, rate, overdue = re.search(
        r"受理(\d+)件.*已化解(\d+)件，化解率([\d.]+|—)%?，在办超期(\d+)件", words
    ).groups()
    sheet = {
        "screened": int(screened),
        "resolved": int(resolved),
        "resolution_rate": None if rate == "—" else float(rate),
        "overdue": int(overdue),
    }
    names = ("screened", "resolved", "resolution_rate", "overdue", "still_open")
    report, subtotals = {}, {}
    for row in book["统计报表"].iter_rows(values_only=True):
        if row[0] == "合计" and row[2] == "全部":
            report = dict(zip(names, row[3:8], strict=True))
        elif row[2] == "小计":
            code = re.search(r"(\d{6,})", str(row[1]))
            subtotals[code.group(1) if code else None] = dict(zip(names, row[3:8], strict=True))
    for figures in (report, *subtotals.values()):
        if figures.get("resolution_rate") == "—":
            figures["resolution_rate"] = None
    return sheet, report, subtotals


def _wall(demo_db, principal, county) -> dict:
    at = END - dt.timedelta(microseconds=1)
    windows = wall_payload(session=demo_db, user=principal, county=county, now=at)["windows"]
    return {w["key"]: w for w in windows}


def _pick(figures: dict, names=FIGURES) -> dict:
    return {name: figures[name] for name in names if name in figures}


@pytest.mark.parametrize("role", ["county_centre", "township"])
def test_ledger_report_stats_and_wall_agree(live_server, demo_users, demo_db, role):
    user = demo_users[role]
    county = user.scope_code[:6] if user.scope_code else "623021"
    level, code = ("township", user.scope_code) if user.scope_code else ("county", county)
    with httpx.Client(base_url=live_server, timeout=120) as http:
        stats = _stats(http, user.headers, level, code)
        week = _stats(http, user.headers, level, code, start=MONDAY)
        sheet, report, subtotals = _ledger_book(http, user.headers, code)
    wall = _wall(demo_db, Principal(user.username, role, user.scope_code), county)
    figures = {
        "ledger": sheet,
        "report": report,
        "stats": _pick(stats, (*FIGURES, "resolved")),
        "wall": _pick(wall["month"]),
    }
    print(f"\n{role} {code} {FIRST}..{LAST}:", figures, "week:", _pick(wall["week"]))
    assert stats["screened"] > 0
    for source, numbers in figures.items():
        assert numbers == {k: stats[k] for k in numbers}, source
    assert _pick(wall["week"]) == _pick(week)
    for child in stats["children"]:
        assert _pick(subtotals[child["code"]]) == _pick(child), child["code"]


def test_a_grid_leaders_wall_shows_their_grid(live_server, auth_headers, demo_db):
    busiest = demo_db.execute(
        text("SELECT g.code FROM dispute d JOIN grid g ON g.id = d.grid_id "
             "WHERE d.reported_at >= :s AND d.reported_at < :e "
             "GROUP BY g.code ORDER BY count(*) DESC, g.code LIMIT 1"),
        {"s": START, "e": END},
    ).scalar_one()  # fmt: skip
    with httpx.Client(base_url=live_server, timeout=120) as http:
        stats = _stats(http, auth_headers["county_centre"], "grid", busiest)
    wall = _wall(demo_db, Principal("leader", "grid_leader", busiest), busiest[:6])
    print(f"\ngrid_leader {busiest}: stats", _pick(stats), "wall", _pick(wall["month"]))
    assert stats["screened"] > 0
    assert _pick(wall["month"]) == _pick(stats)
