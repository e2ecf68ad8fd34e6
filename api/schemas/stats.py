"""Response of ``/api/v1/stats``: the dispute figures of a unit and of the units below it."""

from __future__ import annotations

from pydantic import Field

from api.schemas.common import Out, Stamp


class Figures(Out):
    """The figures of one unit (definitions: docs/intake.md)."""

    level: str
    code: str | None
    screened: int = Field(description="disputes received (排查)")
    resolved: int
    resolution_rate: float | None = Field(description="percent of screened")
    still_open: int
    overdue: int
    resolved_late: int | None = None
    closed_unresolved: int | None = None
    median_days_to_resolve: float | None = None
    rated: int | None = None
    rated_by_citizen: int | None = Field(
        None, description="ratings given by the citizen (群众自评), not recorded by staff"
    )
    mean_satisfaction: float | None = None
    satisfied_share: float | None = Field(None, description="percent of rated")


class StatsOut(Figures):
    """The unit's figures over the period, and each unit one level down."""

    from_: Stamp | None = Field(alias="from")
    to: Stamp | None
    children: list[Figures]
