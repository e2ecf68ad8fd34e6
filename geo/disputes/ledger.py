"""The dispute ledger (矛盾纠纷排查化解台账) and the periodic report, for any unit and period.

The period is given in whole days as a county office writes it, "2026年1月1日至2026年9月30日":
both dates included, in China time, i.e. the instants ``[from 00:00+08:00, to+1 00:00+08:00)``.
The report's figures are those of :func:`geo.disputes.stats.dispute_stats` (screened,
resolved, resolution rate, overdue, still open; definitions in that module), asked once per
category, so every number agrees with ``GET /api/v1/stats`` for the same instants.

Overdue is judged at the end of the period, or now if the period has not ended yet
(:func:`core.cases.overdue_as_of`): a ledger exported on 12-02 for a period ending 12-31 does
not call a case due 12-08 overdue. A case's 是否超期 is :func:`core.cases.is_overdue` (open
past its deadline, or resolved after it); the report's and the totals row's overdue count the
cases still open past their deadline (在办超期), as ``/api/v1/stats`` does.

The watch list (超期及挂起案件) holds the cases overdue at that instant, with the days past their
deadline (still open: up to the instant; resolved late: up to the resolution), and the cases
suspended (挂起) at that instant, with the days they have waited.

The report has one block per unit one level down (the townships of a county, the villages
of a township, the grids of a village), one row per category with disputes screened in it
and a subtotal row, then disputes not on any grid (county only), then the unit's total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from core import cases, vocab
from core.errors import InvalidRequest, NotFound
from geo.database.sqlfiles import sql
from geo.disputes.stats import CHILD_LEVEL, dispute_stats
from geo.places.counties import which_county

CHINA = ZoneInfo("Asia/Shanghai")
LEVEL_BY_LENGTH = {6: "county", 9: "township", 12: "village"}
FIGURES = ("screened", "resolved", "resolution_rate", "overdue", "still_open")


@dataclass
class ReportRow:
    """One row of the periodic report: a unit and category (or a subtotal / total)."""

    kind: str  # "category", "subtotal", "ungridded", "total"
    unit_code: str | None
    unit_name: str
    category: str | None
    figures: dict


@dataclass
class Ledger:
    """Everything the workbook shows: unit, period, the cases and the report rows."""

    unit_code: str
    unit_name: str
    level: str
    first_day: dt.date
    last_day: dt.date
    start: dt.datetime
    end: dt.datetime
    overdue_at: dt.datetime
    cases: list[dict] = field(default_factory=list)
    report: list[ReportRow] = field(default_factory=list)
    synthetic: bool = False
    filed_by: str | None = None
    reviewed_by: str | None = None
    filed_on: dt.date | None = None

    @property
    def all_synthetic(self) -> bool:
        """Every case is synthetic (the title then says so; otherwise the rows do)."""
        return bool(self.cases) and all(c["synthetic"] for c in self.cases)

    @property
    def watch(self) -> list[dict]:
        """The cases overdue or suspended at :attr:`overdue_at` (module docstring)."""
        return [c for c in self.cases if c["overdue"] or c["suspended"]]


def period_instants(first_day: dt.date, last_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[first_day 00:00, last_day + 1 00:00)`` in China time."""
    if last_day < first_day:
        raise InvalidRequest("'to' must not be before 'from'")
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=CHINA)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=CHINA)
    return start, end


def _names(session: Session, codes: list[str]) -> dict[str, str]:
    rows = session.execute(sql("ledger_unit_names"), {"codes": codes}).mappings()
    return {r["code"]: r["short_name"] or r["name"] for r in rows}


def _figures(stats: dict) -> dict:
    return {k: stats[k] for k in FIGURES}


def build_ledger(
    *,
    session: Session,
    first_day: dt.date,
    last_day: dt.date,
    unit: str | None = None,
    now: dt.datetime | None = None,
    filed_by: str | None = None,
    reviewed_by: str | None = None,
) -> Ledger:
    """The ledger and report of ``unit`` (county, township or village code; default: the
    only county stored) for the days ``first_day`` to ``last_day``, both included.

    Each case carries ``overdue`` (是否超期) and ``open_overdue`` (在办超期), judged at
    ``overdue_at``: the period's end, or ``now`` (default: the current time) if sooner, and
    ``days_overdue``, ``suspended`` and ``days_suspended`` for the watch list. ``filed_by``
    and ``reviewed_by`` (填报人, 审核人) are printed at the foot; the filing day is ``now``'s."""
    unit = unit or which_county(session=session)
    level = LEVEL_BY_LENGTH.get(len(unit))
    if level is None:
        raise InvalidRequest("the unit is a county (6 digits), township (9) or village (12)")
    names = _names(session, [unit])
    if unit not in names:
        raise NotFound(f"no county, township or village with code {unit!r}")
    now = now or dt.datetime.now(dt.UTC)
    start, end = period_instants(first_day, last_day)
    at = cases.overdue_as_of(end, now)
    ledger = Ledger(unit, names[unit], level, first_day, last_day, start, end, at)
    rows = session.execute(sql("ledger_cases"), {"unit": unit, "from": start, "to": end})
    ledger.cases = [_judged(dict(r), at) for r in rows.mappings()]
    ledger.synthetic = any(c["synthetic"] for c in ledger.cases)
    ledger.filed_by, ledger.reviewed_by = filed_by, reviewed_by
    ledger.filed_on = now.astimezone(CHINA).date()
    ledger.report = report_rows(
        session=session, unit=unit, level=level, start=start, end=end, now=now
    )
    return ledger


def _judged(case: dict, at: dt.datetime) -> dict:
    status, deadline = case["status_at_end"], case["deadline"]
    case["overdue"] = cases.is_overdue(status, deadline, case["resolved_at"], at)
    case["open_overdue"] = cases.is_open_past_deadline(status, deadline, at)
    late_until = at if case["open_overdue"] else case["resolved_at"]
    case["days_overdue"] = _days(late_until - deadline) if case["overdue"] else None
    suspended_at = case.get("suspended_at")
    case["suspended"] = cases.is_open(status) and suspended_at is not None and suspended_at <= at
    case["days_suspended"] = _days(at - suspended_at) if case["suspended"] else None
    return case


def _days(span: dt.timedelta) -> float:
    return round(span.total_seconds() / 86400, 1)


def report_rows(
    *,
    session: Session,
    unit: str,
    level: str,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime | None = None,
) -> list[ReportRow]:
    """The periodic report rows (layout in the module docstring)."""
    period = {"session": session, "level": level, "code": unit, "start": start, "end": end}
    total = dispute_stats(**period, now=now)
    by_category = {
        category: dispute_stats(**period, category=category, now=now)
        for category in vocab.DISPUTE_CATEGORIES
    }
    children = [c["code"] for c in total["children"]]
    child_level = CHILD_LEVEL[level]
    if child_level in ("township", "village"):
        parent_codes = _children_of(session, unit, child_level)
        children = list(dict.fromkeys([*parent_codes, *children]))
    names = _names(session, [c for c in children if c is not None])
    rows: list[ReportRow] = []
    for child in children:
        label = "未落网格 not on a grid" if child is None else names.get(child, child)
        per_child = [
            (category, next((c for c in stats["children"] if c["code"] == child), None))
            for category, stats in by_category.items()
        ]
        for category, figures in per_child:
            if figures is not None and figures["screened"] > 0:
                rows.append(ReportRow("category", child, label, category, _figures(figures)))
        sub = next((c for c in total["children"] if c["code"] == child), None)
        subtotal = _figures(sub) if sub is not None else _empty()
        kind = "ungridded" if child is None else "subtotal"
        rows.append(ReportRow(kind, child, label, None, subtotal))
    rows.append(ReportRow("total", unit, "合计", None, _figures(total)))
    return rows


def _empty() -> dict:
    return {"screened": 0, "resolved": 0, "resolution_rate": None, "overdue": 0,
            "still_open": 0}  # fmt: skip


def _children_of(session: Session, unit: str, child_level: str) -> list[str]:
    rows = session.execute(sql("ledger_child_units"), {"unit": unit, "level": child_level})
    return list(rows.scalars())
