"""Response of ``/api/v1/disputes/escalation``: open disputes ranked by escalation risk."""

from __future__ import annotations

from pydantic import Field

from api.schemas.common import Out, Stamp


class RankedCase(Out):
    """One open case, its escalation score and the reasons."""

    id: int
    rank: int
    score: float = Field(description="estimated chance in percent that the case escalates")
    reasons: list[str]
    reported_at: Stamp | None
    deadline: Stamp | None
    days_open: float
    overdue: bool
    days_overdue: float
    repeats_address: int
    repeats_parties: int
    signals_nearby: int
    external_id: str | None = None
    status: str | None = None
    category: str | None = None
    severity: str | None = None
    grid_code: str | None = None
    grid_name: str | None = None
    lon: float | None = None
    lat: float | None = None
    synthetic: bool | None = None


class EscalationRanking(Out):
    """Open disputes in the caller's scope, highest score first."""

    county: str
    as_of: Stamp
    open_cases: int
    returned: int
    skipped_implausible: int = Field(
        0, description="open cases left out: reported before 1990 or more than a day ahead"
    )
    meaning: str = Field(description="what the score means, in words")
    cases: list[RankedCase]
