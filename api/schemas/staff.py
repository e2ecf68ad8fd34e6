"""Responses of ``/api/v1/staff``: the "8+" forces, their grids and their coverage."""

from __future__ import annotations

from pydantic import Field

from api.schemas.common import Out
from api.schemas.roster import Contact
from core import vocab


class GridCoverage(Out):
    """The forces of one grid and the required roles it lacks."""

    code: str
    name: str | None
    township_code: str | None
    township: str | None
    village_code: str | None
    village: str | None
    households: int
    population: int
    leader: str | None
    leader_code: str | None
    forces: dict[str, int] = Field(description="people per role: " + ", ".join(vocab.STAFF_ROLES))
    people: int
    households_per_person: float | None
    household_groups: int
    groups_without_leader: list[str | int]
    missing: list[str] = Field(description="grid_leader, household_leader, household_groups")
    flagged: bool
    synthetic: bool


class CoverageOut(Out):
    """Coverage of every grid in scope, with a summary of what is missing."""

    county: str
    rule: str
    grids: int
    flagged: int
    missing: dict[str, int] = Field(description="grids lacking each required role")
    households: int
    synthetic: bool
    items: list[GridCoverage]
    roles: dict[str, str] = Field(description="role code → Chinese name")


class StaffMember(Contact):
    """A staff member and the grids they serve; contacts as the caller's role allows."""

    id: int
    code: str
    name: str
    role: str
    unit_code: str | None
    unit_name: str | None
    synthetic: bool
    grids: list[str]
    household_group: str | None


class StaffPage(Out):
    """A page of staff (``matched`` counts them all)."""

    matched: int
    items: list[StaffMember]
