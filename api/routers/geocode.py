"""``POST /api/v1/geocode`` (text, batch or GPS) and ``GET /api/v1/geocode/reverse``."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, model_validator

from api.deps import SessionDep
from core.errors import InvalidRequest
from geo.geocode.gps import DEFAULT_TOLERANCE_M, locate_point
from geo.geocode.match import Geocoder
from geo.geocode.store import GeocoderCache

router = APIRouter(tags=["geocode"])

MAX_BATCH = 10_000


class GeocodeRequest(BaseModel):
    """One of: ``address``; ``addresses`` (a batch); ``lon`` + ``lat`` (+ ``crs``) for GPS."""

    address: str | None = Field(None, max_length=500, examples=["城关镇西街村三组12号"])
    addresses: list[str | None] | None = Field(None, max_length=MAX_BATCH)
    lon: float | None = Field(None, examples=[103.353])
    lat: float | None = Field(None, examples=[34.693])
    crs: str = Field("wgs84", description="CRS of lon/lat: wgs84 or gcj02")
    tolerance: float = Field(DEFAULT_TOLERANCE_M, gt=0, le=5_000, description="metres (GPS)")

    @model_validator(mode="after")
    def one_form(self) -> GeocodeRequest:
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


def _geocoder(request: Request, session) -> Geocoder:
    """The app's cached geocoder, created on first use and reloaded when addresses change."""
    cache = getattr(request.app.state, "geocoder_cache", None)
    if cache is None:
        cache = request.app.state.geocoder_cache = GeocoderCache()
    return cache.get(session=session)


@router.post("/geocode")
def geocode(body: GeocodeRequest, request: Request, session: SessionDep) -> dict:
    """Geocode address text (one or a batch) or locate a GPS fix.

    Each text result has ``level`` (address, group, village, township, county, none),
    ``score`` (0–1), ``address_code``, ``grid_code``, ``lon``/``lat`` (WGS84), and for
    ambiguous text ``ambiguous: true`` with ``candidates``; text naming another county
    gets level ``none`` with ``named_region``.
    """
    if body.lon is not None:
        return locate_point(
            session=session, lon=body.lon, lat=body.lat, crs=body.crs, tolerance_m=body.tolerance
        ).as_dict()
    geocoder = _geocoder(request, session)
    if body.address is not None:
        return geocoder.geocode(body.address).as_dict()
    if body.addresses is None:
        raise InvalidRequest("nothing to geocode")
    return {"results": [r.as_dict() for r in geocoder.geocode_many(body.addresses)]}


@router.get("/geocode/reverse")
def reverse(
    session: SessionDep,
    lon: float = Query(..., description="longitude"),
    lat: float = Query(..., description="latitude"),
    crs: str = Query("wgs84", description="wgs84 or gcj02"),
    tolerance: float = Query(DEFAULT_TOLERANCE_M, gt=0, le=5_000, description="metres"),
) -> dict:
    """The grid (with village and township) at a point and the nearest standard address."""
    return locate_point(session=session, lon=lon, lat=lat, crs=crs, tolerance_m=tolerance).as_dict()
