"""``POST /api/v1/geocode`` (text, batch or GPS) and ``GET /api/v1/geocode/reverse``."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from api.deps import SessionDep
from api.schemas.geocode import GeocodeBatch, GeocodeIn, GeocodeResult, PointLocation
from core.errors import InvalidRequest
from geo.geocode.gps import DEFAULT_TOLERANCE_M, locate_point
from geo.geocode.match import Geocoder
from geo.geocode.store import GeocoderCache

router = APIRouter(tags=["geocode"])


def _geocoder(request: Request, session) -> Geocoder:
    """The app's cached geocoder, created on first use and reloaded when addresses change."""
    cache = getattr(request.app.state, "geocoder_cache", None)
    if cache is None:
        cache = request.app.state.geocoder_cache = GeocoderCache()
    return cache.get(session=session)


@router.post(
    "/geocode",
    response_model=GeocodeResult | GeocodeBatch | PointLocation,
    response_model_exclude_unset=True,
)
def geocode(body: GeocodeIn, request: Request, session: SessionDep) -> dict:
    """Geocode address text (one or a batch) or locate a GPS fix.

    Each text result has ``level`` (address, address_near, group, village, township,
    county, none) and ``level_zh``, a calibrated ``score`` (0–1), ``address_code``,
    ``grid_code`` (only when the evidence places the text in one grid), ``lon``/``lat``
    (WGS84), ``standard_address``, township/village/grid names, ``reason``, ``conflicts``,
    ``status`` (位置待核实 without a certain grid) and, for ambiguous text,
    ``ambiguous: true`` with up to five ``candidates``; text naming another county gets
    level ``none`` with ``named_region``.
    """
    if body.lon is not None:
        return locate_point(
            session=session, lon=body.lon, lat=body.lat, crs=body.crs, tolerance_m=body.tolerance
        ).as_dict()
    geocoder = _geocoder(request, session)
    if body.address is not None:
        return _out(geocoder.geocode(body.address))
    if body.addresses is None:
        raise InvalidRequest("nothing to geocode")
    return {"results": [_out(r) for r in geocoder.geocode_many(body.addresses)]}


def _out(result) -> dict:
    """A result as JSON, with its 位置待核实 status."""
    return {**result.as_dict(), "status": result.status}


@router.get("/geocode/reverse", response_model=PointLocation, response_model_exclude_unset=True)
def reverse(
    session: SessionDep,
    lon: float = Query(..., description="longitude"),
    lat: float = Query(..., description="latitude"),
    crs: str = Query("wgs84", description="wgs84 or gcj02"),
    tolerance: float = Query(DEFAULT_TOLERANCE_M, gt=0, le=5_000, description="metres"),
) -> dict:
    """The grid (with village and township) at a point and the nearest standard address."""
    return locate_point(session=session, lon=lon, lat=lat, crs=crs, tolerance_m=tolerance).as_dict()
