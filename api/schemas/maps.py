"""Response body of ``/api/v1/maps/layers/{layer}``: a GeoJSON FeatureCollection with the
``wangge`` foreign member (RFC 7946 §6.1) the map pages draw from (see maps/payloads.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class LegendEntry(BaseModel):
    """One legend line."""

    model_config = ConfigDict(extra="allow")

    colour: str
    label: str
    shape: str | None = Field(None, description="dot | line | square …; a filled box if absent")


class LayerMeta(BaseModel):
    """What the page needs besides the features. Fields other than ``layer``, ``synthetic``
    and ``notices`` appear on the layers that use them (``review`` has per-view legends)."""

    model_config = ConfigDict(extra="allow")

    layer: str
    synthetic: bool = Field(description="the layer's data are synthetic (the demo)")
    notices: list[str] = Field(description="messages the map shows instead of missing data")
    legend_title: str | None = None
    legend: list[LegendEntry] | None = None
    palette: list[str] | None = Field(None, description="colour of each feature class ``cls``")
    nodata_colour: str | None = None
    overdue: int | None = Field(None, description="disputes: open cases past their deadline")
    periods: list[str] | None = Field(None, description="review: the periods of the slider")
    values: dict[str, dict[str, dict[str, Any]]] | None = Field(
        None, description="review: period → grid → score, z, p and classes"
    )
    palettes: dict[str, list[str]] | None = None
    legends: dict[str, list[LegendEntry]] | None = None
    legend_titles: dict[str, str] | None = None


class Feature(BaseModel):
    """A GeoJSON feature: display geometry (WGS 84, or GCJ-02 under a Chinese basemap)."""

    type: Literal["Feature"]
    geometry: dict[str, Any] | None
    properties: dict[str, Any]


class LayerPayload(BaseModel):
    """One map layer."""

    type: Literal["FeatureCollection"]
    features: list[Feature]
    wangge: LayerMeta
