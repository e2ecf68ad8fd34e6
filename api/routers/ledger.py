"""``/api/v1/ledger.xlsx`` and ``/api/v1/ledger/report``: the dispute ledger and report."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import Manager, SessionDep, audit_case
from api.schemas.common import UNIT
from api.schemas.ledger import LedgerReport
from geo.disputes.ledger import build_ledger
from geo.disputes.ledger_book import ledger_workbook

router = APIRouter(tags=["ledger"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit(user, unit: str | None) -> str | None:
    unit = unit or (user.scope_code if user.area_prefix else None)
    if unit is not None:
        user.check_area(unit)
    return unit


@router.get(
    "/ledger.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
)
def ledger_xlsx(
    request: Request,
    session: SessionDep,
    user: Manager,
    first_day: dt.date = Query(..., alias="from", description="first day (China time)"),
    last_day: dt.date = Query(..., alias="to", description="last day, included"),
    unit: str | None = Query(None, pattern=UNIT, description="county/township/village code"),
    reviewed_by: str | None = Query(None, max_length=50, description="审核人 (at the foot)"),
) -> Response:
    """The ledger (化解台账), report (统计报表) and overdue and suspended cases (超期及挂起案件)
    as an .xlsx workbook with Chinese headers, ready to print; the caller is 填报人.

    The period is whole days, both included, in China time; the figures are those of
    ``/api/v1/stats`` for ``[from 00:00+08:00, to+1 00:00+08:00)``."""
    ledger = build_ledger(
        session=session, first_day=first_day, last_day=last_day, unit=_unit(user, unit),
        filed_by=user.username, reviewed_by=reviewed_by,
    )  # fmt: skip
    audit_case(session, user, request, "read", ledger.unit_code,
               {"ledger": [first_day.isoformat(), last_day.isoformat()]},
               object_type="ledger")  # fmt: skip
    name = f"矛盾纠纷排查化解台账_{ledger.unit_code}_{first_day:%Y%m%d}-{last_day:%Y%m%d}.xlsx"
    return Response(
        ledger_workbook(ledger),
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


@router.get("/ledger/report", response_model=LedgerReport, response_model_exclude_unset=True)
def ledger_report(
    session: SessionDep,
    user: Manager,
    first_day: dt.date = Query(..., alias="from"),
    last_day: dt.date = Query(..., alias="to"),
    unit: str | None = Query(None, pattern=UNIT),
) -> dict:
    """The periodic report as JSON (the 统计报表 sheet's rows)."""
    ledger = build_ledger(
        session=session, first_day=first_day, last_day=last_day, unit=_unit(user, unit)
    )
    return {
        "unit": ledger.unit_code,
        "name": ledger.unit_name,
        "from": ledger.start.isoformat(),
        "to": ledger.end.isoformat(),
        "cases": len(ledger.cases),
        "rows": [
            {
                "kind": r.kind,
                "unit": r.unit_code,
                "unit_name": r.unit_name,
                "category": r.category,
                **r.figures,
            }
            for r in ledger.report
        ],
    }
