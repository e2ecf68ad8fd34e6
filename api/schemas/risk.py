"""Requests and responses of ``/api/v1/risk`` and ``/api/v1/hotspots``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.geojson import Feature, FeatureCollection
from api.schemas.common import MAX_NOTE, Out, Stamp


class Factor(Out):
    """One factor behind a grid's risk, in words, with its effect."""

    key: str
    text: str
    effect: float


class RiskProperties(Out):
    """Expected disputes of one grid in the period and its rank."""

    grid_code: str
    grid: str | None
    village_code: str | None
    households: int | None
    expected: float
    score: float
    rank: int
    factors: list[Factor] | None
    model: str | None
    synthetic: bool


class RiskFeature(Feature):
    """A grid (polygon, or none with ``geometry=false``) with its risk."""

    id: str
    properties: RiskProperties


class RiskCollection(FeatureCollection):
    """Expected disputes per grid for one period."""

    period: str | None = None
    period_start: Stamp | None = None
    features: list[RiskFeature]


class HotspotProperties(Out):
    """A flagged grid: method, statistics, explanation and review."""

    id: int
    grid_code: str
    grid: str | None
    period: str
    period_start: Stamp
    method: str
    score: float | None
    z: float | None = None
    p: float | None = None
    class_: str | None = Field(None, alias="class")
    explanation: str | None
    status: str
    reviewer: str | None
    review_note: str | None
    action_taken: str | None
    reviewed_at: Stamp | None
    synthetic: bool


class HotspotFeature(Feature):
    """A flagged grid as a GeoJSON feature."""

    id: int
    properties: HotspotProperties


class HotspotCollection(FeatureCollection):
    """Flagged grids."""

    features: list[HotspotFeature]


class ReviewIn(BaseModel):
    """The review meeting's decision on one flagged grid."""

    status: Literal["confirmed", "dismissed"]
    note: str | None = Field(None, max_length=MAX_NOTE)
    action_taken: str | None = Field(None, max_length=MAX_NOTE)


class ReviewOut(Out):
    """The decision as recorded."""

    id: int
    grid_code: str
    status: str
    reviewer: str
    review_note: str | None
    action_taken: str | None
    reviewed_at: Stamp
    method: str
    period_start: Stamp
