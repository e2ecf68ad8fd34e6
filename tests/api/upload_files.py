"""Ledgers (台账) as county offices write them, for the upload tests: an .xlsx with a merged
title row above the header and a 合计 row below the data, a CSV saved by Excel on a Chinese
Windows (GBK), Chinese dates, places taken from the demo county's own data."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import text

from geo.database.engine import make_engine

HOSTILE = "<img src=x onerror=alert(1)>"
DISPUTE_HEADER = [
    "编号",
    "受理时间",
    "纠纷类别",
    "等级",
    "发生地点",
    "经度",
    "纬度",
    "当事人",
    "简要情况",
]
SIGNAL_HEADER = ["编号", "发现时间", "类型", "发生地点", "经度", "纬度", "情况描述"]


def query(url: str, statement: str, **params) -> list[dict]:
    """Rows of ``statement`` on the database at ``url``, as dicts."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(text(statement), params).mappings().all()]
    finally:
        engine.dispose()


@dataclass
class Places:
    """Where the ledger's rows happen, taken from the demo data."""

    quiet: dict  # an address in the township with no dispute within 300 m: full_text, lon, lat
    outside: dict  # an address in another township
    vague: str  # a village named alone (several grids: no certain grid)
    stored_id: str  # the external id of a dispute stored already, inside the township
    township: str


def places(url: str, township: str) -> Places:
    """Pick the ledger's places in ``township`` from the database at ``url``."""
    quiet = query(
        url,
        "SELECT a.full_text, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, g.code AS grid "
        "FROM address a JOIN grid g ON g.id = a.grid_id AND g.valid_to IS NULL "
        "WHERE starts_with(g.code, :t) AND NOT EXISTS (SELECT 1 FROM dispute d "
        "  WHERE d.geom IS NOT NULL AND ST_DWithin(d.geom::geography, a.geom::geography, 300)) "
        "ORDER BY a.id LIMIT 1",
        t=township,
    )[0]
    outside = query(
        url,
        "SELECT a.full_text, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat FROM address a "
        "JOIN grid g ON g.id = a.grid_id AND g.valid_to IS NULL "
        "WHERE NOT starts_with(g.code, :t) ORDER BY a.id LIMIT 1",
        t=township,
    )[0]
    village = query(
        url,
        "SELECT t.name AS township, v.name AS village FROM grid g "
        "JOIN admin_unit v ON v.code = g.village_code JOIN admin_unit t ON t.code = v.parent_code "
        "WHERE g.valid_to IS NULL AND starts_with(g.code, :t) "
        "GROUP BY t.name, v.name HAVING count(*) > 1 ORDER BY v.name LIMIT 1",
        t=township,
    )[0]
    stored = query(
        url,
        "SELECT d.external_id FROM dispute d JOIN grid g ON g.id = d.grid_id "
        "WHERE starts_with(g.code, :t) ORDER BY d.id LIMIT 1",
        t=township,
    )[0]["external_id"]
    return Places(quiet, outside, village["township"] + village["village"], stored, township)


def dispute_rows(at: Places, prefix: str = "JF-UP") -> list[list]:
    """A disputes ledger's data rows, one of each outcome (the file's rows 3 to 9 when a title
    row and the header come first)."""
    q = at.quiet
    return [
        [f"{prefix}-001", "2026年11月6日 14:20", "邻里纠纷", "一般", q["full_text"], q["lon"],
         q["lat"], "张三；李四", "因排水沟堵塞发生争执"],
        [f"{prefix}-002", "2026年11月6日 15:05", "邻里纠纷", "一般", q["full_text"], q["lon"],
         q["lat"], "李四", "同一排水沟，对方再次来访"],
        [f"{prefix}-003", "2026/11/7 9:30", "婚姻家庭", "一般", at.vague, None, None, "王五",
         "夫妻因赡养老人发生争执"],
        [f"{prefix}-004", "2026.11.08", "债权债务", "一般", None, None, None, "赵六", "欠款未还"],
        [f"{prefix}-005", "2026年11月8日 10:00", HOSTILE, "一般", q["full_text"], q["lon"],
         q["lat"], HOSTILE, HOSTILE],
        [f"{prefix}-001", "2026年11月9日 08:00", "邻里纠纷", "一般", q["full_text"], q["lon"],
         q["lat"], "张三", "编号重复"],
        [at.stored_id, "2026年11月9日 09:00", "邻里纠纷", "一般", q["full_text"], q["lon"],
         q["lat"], "孙七", "已登记过的案件"],
    ]  # fmt: skip


def ledger_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    """An .xlsx as an office prints it: a merged title row, the header, the data, a 合计 row
    and a sign-off footer."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.append(["合计", f"{len(rows)} 件"])
    sheet.append(["填报人：张主任", None, "审核人：李书记"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ledger_csv_gbk(title: str, header: list[str], rows: list[list]) -> bytes:
    """A CSV saved by Excel on a Chinese Windows: GBK, CRLF, a title line, a 合计 line."""
    lines = [title + "," * (len(header) - 1), ",".join(header)]
    for row in rows:
        lines.append(",".join("" if cell is None else str(cell) for cell in row))
    lines.append("合计," + str(len(rows)) + "," * (len(header) - 2))
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
