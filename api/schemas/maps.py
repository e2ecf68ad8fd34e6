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


class WallWindow(BaseModel):
    """The figures of one window (today, this week, this month), as ``/stats`` gives them."""

    key: Literal["today", "week", "month"]
    label: str
    from_: str = Field(alias="from", description="start of the window (Beijing time)")
    screened: int = Field(description="受理: cases received in the window")
    still_open: int = Field(description="在办: of those, still open now")
    overdue: int = Field(description="逾期: of those, open and past their deadline")
    resolution_rate: float | None = Field(description="化解率 in percent")


class WallTrend(BaseModel):
    """Cases received per week over the last 26 weeks (weeks start on Monday)."""

    weeks: list[str]
    screened: list[int]


class WallCategory(BaseModel):
    """Cases received in the last 26 weeks of one category."""

    label: str
    screened: int


class WallOut(BaseModel):
    """The figures strip and charts of the command-room wall."""

    model_config = ConfigDict(populate_by_name=True)

    as_of: str
    flagged_grids: int = Field(description="预警网格: grids flagged in the latest period")
    windows: list[WallWindow]
    trend: WallTrend | None = None
    categories: list[WallCategory] | None = None
    notice: str | None = None
