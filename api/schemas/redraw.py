"""Requests and responses of ``/api/v1/redraw``: propose, review and apply a grid redraw."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, JsonValue, model_validator

from api.geojson import Feature, FeatureCollection
from api.schemas.common import MAX_CODE, UNIT, Out, Stamp


class RedrawIn(BaseModel):
    """What to redraw (one of village, township, county) and how."""

    village: str | None = Field(None, pattern=UNIT, description="12-digit village code")
    township: str | None = Field(None, pattern=UNIT, description="9-digit township code")
    county: str | None = Field(None, pattern=UNIT, description="6-digit county code")
    target: float | None = Field(
        None, gt=0, le=100_000, description="households per grid (default: the county's median)"
    )
    tolerance: float = Field(0.15, gt=0, lt=1, description="allowed deviation from the target")
    keep_households: bool = Field(
        False, description="balance by the fewest households moved (grids a little less compact)"
    )
    group_size: float = Field(10, gt=0, le=1000, description="households per ten-household group")
    group_min: float = Field(5, ge=0, le=1000)
    group_max: float = Field(15, gt=0, le=1000)

    @model_validator(mode="after")
    def one_scope(self) -> RedrawIn:
        """Exactly one area, and a group size between its bounds."""
        given = [c for c in (self.village, self.township, self.county) if c]
        if len(given) != 1:
            raise ValueError("give exactly one of village, township or county")
        if not self.group_min <= self.group_size <= self.group_max:
            raise ValueError("group_min <= group_size <= group_max must hold")
        return self

    @property
    def scope(self) -> str:
        """The code of the area to redraw."""
        return self.village or self.township or self.county or ""


class PlanMetrics(Out):
    """How good a proposal is: balance, compactness, contiguity, and what it changes."""

    villages: int
    grids: int
    households_total: int
    households_min: int | None = None
    households_max: int | None = None
    max_deviation: float | None = None
    grids_within_tolerance_share: float | None = None
    grids_within_tolerance_share_allowed: float | None = Field(
        None, description="share within the tolerance of the grids the shape rules left in band"
    )
    grids_out_of_band_by_shape: int | None = Field(
        None, description="grids whole settlements or the minimum width took out of the band"
    )
    polsby_popper_mean: float | None = None
    polsby_popper_min: float | None = None
    contiguous: bool | None = None
    within_village: bool | None = None
    gap_m2: float | None = None
    overlap_m2: float | None = None
    households_moved: int | None = None
    grids_kept: int | None = None
    grids_split: int | None = None
    grids_merged: int | None = None
    grids_new: int | None = None
    groups: int | None = None
    summary: str | None = Field(None, description="the plan in a few Chinese sentences")
    worst_deviations: list[dict[str, JsonValue]] | None = Field(
        None, description="the three grids furthest from their target, with the reason"
    )


class PlanOut(PlanMetrics):
    """A proposal stored as a plan (status ``proposed``), with its metrics."""

    plan: int
    scope: str


class PlanFeatureProperties(Out):
    """A proposed grid or ten-household group."""

    code: str
    kind: str = Field(description="grid or household_group")
    village_code: str
    status: str | None = Field(None, description="kept, split, merged or new")
    households: int | float | None = None
    parent_code: str | None = None
    name: str | None = None
    changed: bool | None = Field(None, description="households moved in or out, or new")


class PlanFeature(Feature):
    """A proposed grid or group as a GeoJSON feature."""

    id: str
    properties: PlanFeatureProperties


class PlanCollection(FeatureCollection):
    """The proposed grids of a plan, with its status, parameters and metrics."""

    plan: int
    scope: str
    status: str
    created_at: Stamp | None
    applied_at: Stamp | None
    params: dict[str, JsonValue]
    metrics: dict[str, JsonValue]
    features: list[PlanFeature]


class AppliedOut(Out):
    """What applying a plan changed."""

    plan: int
    applied_at: Stamp
    grids_closed: int
    grids_opened: int
    groups_closed: int
    groups_opened: int
    addresses_planned: int
    addresses_added_since: int
    disputes_moved: int
    signals_moved: int


class VersionIn(BaseModel):
    """A hand edit made at the redraw desk: the addresses moved, by the grid they move to.

    Addresses not listed keep the grid the plan gives them."""

    assignment: dict[Annotated[str, Field(max_length=MAX_CODE)], list[int]] = Field(
        description="grid code → ids of the addresses assigned to it",
        examples=[{"623021100201002": [1201, 1202]}],
    )


class VersionInfo(Out):
    """A plan's place in its line of desk edits."""

    plan: int
    parent: int = Field(description="the plan it was edited from")
    root: int = Field(description="the original proposal of this line")
    version: int = Field(description="2 for the first edit of a proposal, then 3, …")
    units_moved: int
    edited_by: str
    edited_at: Stamp


class VersionOut(PlanOut):
    """An edited plan stored as a new version (status ``proposed``), with its metrics."""

    version: VersionInfo
