"""Response of ``/api/v1/ledger/report``: the periodic report (统计报表) as JSON."""

from __future__ import annotations

from pydantic import Field

from api.schemas.common import Out, Stamp


class ReportRow(Out):
    """One row of the report: a unit (and category), with the figures of ``/api/v1/stats``."""

    kind: str
    unit: str | None
    unit_name: str | None
    category: str | None
    screened: int
    resolved: int
    resolution_rate: float | None
    overdue: int
    still_open: int


class LedgerReport(Out):
    """The report of a unit over whole days ``[from, to]`` in China time."""

    unit: str
    name: str | None
    from_: Stamp = Field(alias="from")
    to: Stamp
    cases: int
    rows: list[ReportRow]
