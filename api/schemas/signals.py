"""Requests and responses of ``/api/v1/signals``: intake (the disputes' rules) and listing."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from api.geojson import Feature, FeatureCollection
from api.schemas.common import Out, Stamp
from api.schemas.disputes import MAX_BATCH, Cell, IntakeBody, IntakeRecord
from core import vocab


class SignalIn(IntakeRecord):
    """One risk signal: a row of the signals template."""

    observed_at: Cell = Field(None, description="发现时间 (Beijing time unless zoned)")
    kind: Cell = Field(None, description=", ".join(vocab.SIGNAL_KINDS) + " or 类型")
    weight: Cell = Field(None, description="权重, a number >= 0 (default 1)")


class SignalBatchIn(IntakeBody):
    """Up to 5,000 signals at once: good records are written, bad ones listed."""

    records: list[SignalIn] = Field(min_length=1, max_length=MAX_BATCH)


SignalIntake = Annotated[SignalBatchIn | SignalIn, Field(union_mode="left_to_right")]


class SignalProperties(Out):
    """A risk signal as listed."""

    id: int
    external_id: str
    kind: str
    observed_at: Stamp
    weight: float
    grid: str | None
    village: str | None = None
    township: str | None = None
    geocode_level: str | None = None
    location_text: str | None = None
    synthetic: bool


class SignalFeature(Feature):
    """A risk signal as a GeoJSON feature."""

    id: int
    properties: SignalProperties


class SignalCollection(FeatureCollection):
    """A page of risk signals in the caller's area (``numberMatched`` counts them all)."""

    features: list[SignalFeature]
