"""Requests and responses of ``/api/v1/geocode`` (text, batch, GPS) and its reverse."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from api.schemas.common import MAX_ADDRESS, MAX_LABEL, Out
from geo.geocode.gps import DEFAULT_TOLERANCE_M

MAX_BATCH = 10_000


class GeocodeIn(BaseModel):
    """One of: ``address``; ``addresses`` (a batch); ``lon`` + ``lat`` (+ ``crs``) for GPS."""

    address: str | None = Field(None, max_length=MAX_ADDRESS, examples=["城关镇西街村三组12号"])
    addresses: list[Annotated[str, Field(max_length=MAX_ADDRESS)] | None] | None = Field(
        None, max_length=MAX_BATCH
    )
    lon: float | None = Field(None, examples=[103.353])
    lat: float | None = Field(None, examples=[34.693])
    crs: str = Field("wgs84", max_length=MAX_LABEL, description="CRS of lon/lat: wgs84 or gcj02")
    tolerance: float = Field(DEFAULT_TOLERANCE_M, gt=0, le=5_000, description="metres (GPS)")

    @model_validator(mode="after")
    def one_form(self) -> GeocodeIn:
        """Exactly one form of request, and a GPS fix with both coordinates."""
        forms = [
            self.address is not None,
            self.addresses is not None,
            self.lon is not None or self.lat is not None,
        ]
        if sum(forms) != 1:
            raise ValueError("send exactly one of: address, addresses, or lon and lat")
        if (self.lon is None) != (self.lat is None):
            raise ValueError("a GPS fix needs both lon and lat")
        return self


class Candidate(Out):
    """One of several places ambiguous text may mean (or a neighbour of a missing number)."""

    level: str
    code: str
    name: str
    township: str | None
    address_code: str | None
    grid_code: str | None
    lon: float | None
    lat: float | None
    score: float = Field(0.0, description="how likely this candidate is the place meant")
    standard_address: str | None = None


class Conflict(Out):
    """Two pieces of evidence that disagree: both kept, flagged, shown."""

    kind: str = Field(description="admin (text parts vs matched unit) or gps (text vs GPS)")
    message: str = Field(description="Chinese / English")
    named: str | None
    matched: str | None
    distance_m: float | None


class GeocodeResult(Out):
    """Where address text points: level (address, address_near, group, village, township,
    county, none) in English and Chinese, calibrated score 0–1, codes, names, the standard
    address matched, WGS 84 lon/lat, the reason, conflict flags and candidates. ``grid_code``
    is given only when the evidence places the text in one grid; otherwise ``status`` is
    位置待核实."""

    input: str | None
    level: str
    level_zh: str = Field(description="门牌地址, 相邻门牌, 村民小组, 村/社区, 乡镇, 县, 未定位")
    score: float
    address_code: str | None
    grid_code: str | None
    lon: float | None
    lat: float | None
    county_code: str | None
    township_code: str | None
    village_code: str | None
    group: int | None
    method: str
    ambiguous: bool
    candidates: list[Candidate]
    named_region: str | None = Field(description="another county the text names")
    named_region_code: str | None
    note: str | None
    standard_address: str | None = Field(description="the standard address (or unit) matched")
    county_name: str | None
    township_name: str | None
    village_name: str | None
    grid_name: str | None
    reason: str | None = Field(description="how it was matched, Chinese / English")
    conflicts: list[Conflict]
    unverified: bool = Field(description="true: no certain grid or a conflict (位置待核实)")
    status: str | None = Field(None, description="位置待核实, or null")


class GeocodeBatch(Out):
    """One result per address sent, in order."""

    results: list[GeocodeResult]


class PointLocation(Out):
    """What lies at a point: its grid (with village and township) and the nearest address."""

    lon: float = Field(description="WGS 84")
    lat: float
    input_lon: float
    input_lat: float
    crs: str
    grid_code: str | None
    grid_name: str | None
    village_code: str | None
    village_name: str | None
    township_code: str | None
    township_name: str | None
    county_code: str | None
    address_code: str | None
    address_text: str | None
    address_distance_m: float | None
    level: str = Field(description="address, grid or none")
