"""Requests and responses of ``/api/v1/geocode`` (text, batch, GPS) and its reverse."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from api.schemas.common import Out
from geo.geocode.gps import DEFAULT_TOLERANCE_M

MAX_BATCH = 10_000


class GeocodeIn(BaseModel):
    """One of: ``address``; ``addresses`` (a batch); ``lon`` + ``lat`` (+ ``crs``) for GPS."""

    address: str | None = Field(None, max_length=500, examples=["城关镇西街村三组12号"])
    addresses: list[str | None] | None = Field(None, max_length=MAX_BATCH)
    lon: float | None = Field(None, examples=[103.353])
    lat: float | None = Field(None, examples=[34.693])
    crs: str = Field("wgs84", description="CRS of lon/lat: wgs84 or gcj02")
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
    """One of several places ambiguous text may mean."""

    level: str
    code: str
    name: str
    township: str | None
    address_code: str | None
    grid_code: str | None
    lon: float | None
    lat: float | None


class GeocodeResult(Out):
    """Where address text points: level (address, group, village, township, county, none),
    score 0–1, codes and WGS 84 lon/lat; candidates when the text is ambiguous."""

    input: str | None
    level: str
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
