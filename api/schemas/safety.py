"""Response bodies of ``/api/v1/safety`` and ``/api/v1/safety/table`` (rule: models/safety.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Evidence(BaseModel):
    """One case or signal that breaks a title."""

    rule: Literal["lawsuit", "homicide", "unresolved_serious"]
    kind: Literal["dispute", "signal"]
    id: int
    external_id: str | None
    at: str | None = Field(description="when it was received or observed (ISO 8601)")
    grid: str | None = Field(description="grid code (none: the case could not be placed)")
    reason: str


class EvidenceCount(BaseModel):
    """How many pieces of evidence there are (roles that do not see cases get only this)."""

    count: int


class Title(BaseModel):
    """One title of a unit: awarded when nothing breaks it."""

    label: str = Field(description="无诉讼乡镇 | 零命案乡镇 | 平安村/社区")
    awarded: bool
    evidence: list[Evidence] | EvidenceCount


class UnitStatus(BaseModel):
    """A township's or village's titles for the year."""

    code: str
    level: Literal["township", "village"]
    parent_code: str | None
    name: str
    titles: dict[str, Title] = Field(
        description="township: no_lawsuit, zero_homicide; village: safe"
    )
    qualifies: bool = Field(description="every title of the unit awarded")


class SafetyStatus(BaseModel):
    """Titles per township and village of a county for one year, with their evidence."""

    county: str
    year: int
    provisional: bool = Field(description="the year is under way: the status may still change")
    units: list[UnitStatus]
    unplaced: list[Evidence] | EvidenceCount = Field(
        description="evidence on no grid: breaks nothing below the county"
    )
    synthetic: bool = Field(description="the county's data are synthetic (the demo)")


class SafetyRow(BaseModel):
    """One unit as a table row."""

    code: str
    name: str
    level: Literal["township", "village"]
    awarded: list[str]
    missed: list[str]
    evidence: int = Field(description="pieces of evidence against the unit's titles")


class SafetyTable(BaseModel):
    """The status as a flat table."""

    year: int
    provisional: bool
    as_of: str | None = Field(description="when the provisional table was computed (ISO 8601)")
    synthetic: bool
    rows: list[SafetyRow]
