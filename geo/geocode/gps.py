"""GPS fixes: a point in WGS84 or GCJ-02 → its grid and the nearest standard address.

Phones with Amap or Tencent maps report GCJ-02; the point is shifted back to WGS84
(:func:`core.crs.gcj02_to_wgs84`) before any lookup. A swapped pair (lat, lon) is refused
with a clear message rather than looked up in the wrong place.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from core.crs import gcj02_to_wgs84, in_china
from core.errors import InvalidRequest
from geo.database.sqlfiles import sql

CRS_NAMES = {"wgs84": "wgs84", "epsg:4326": "wgs84", "4326": "wgs84", "cgcs2000": "wgs84"}
CRS_NAMES |= {"gcj02": "gcj02", "gcj-02": "gcj02"}
DEFAULT_TOLERANCE_M = 100.0


class PointError(InvalidRequest, ValueError):
    """A point that cannot be located (not numbers, out of range, swapped, unknown CRS)."""


@dataclass
class PointLocation:
    """What lies at a point: its grid (with village and township) and the nearest address."""

    lon: float
    lat: float
    input_lon: float
    input_lat: float
    crs: str
    grid_code: str | None = None
    grid_name: str | None = None
    village_code: str | None = None
    village_name: str | None = None
    township_code: str | None = None
    township_name: str | None = None
    county_code: str | None = None
    address_code: str | None = None
    address_text: str | None = None
    address_distance_m: float | None = None
    level: str = "none"

    def as_dict(self) -> dict:
        """Plain dict (JSON responses)."""
        return asdict(self)


def to_wgs84(lon: float, lat: float, crs: str = "wgs84") -> tuple[float, float]:
    """Check a point and return it in WGS84 (``crs``: wgs84 | gcj02)."""
    kind = CRS_NAMES.get(str(crs).strip().lower())
    if kind is None:
        raise PointError(f"unknown crs {crs!r}: use wgs84 or gcj02")
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise PointError(f"lon/lat must be numbers, got {lon!r}, {lat!r}") from exc
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise PointError("lon/lat must be finite numbers")
    if abs(lat) > 90 and abs(lon) <= 90:
        raise PointError(f"lon/lat look swapped: lat={lat} is not a latitude (send lon first)")
    if abs(lon) > 180 or abs(lat) > 90:
        raise PointError(f"lon/lat out of range: {lon}, {lat}")
    if bool(in_china(lat, lon)) and not bool(in_china(lon, lat)):
        raise PointError(f"lon/lat look swapped: ({lon}, {lat}) lies in China only as (lat, lon)")
    if kind == "gcj02":
        x, y = gcj02_to_wgs84(lon, lat)
        return float(x), float(y)
    return lon, lat


def locate_point(
    *,
    session: Session,
    lon: float,
    lat: float,
    crs: str = "wgs84",
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> PointLocation:
    """Grid covering the point and the nearest standard address within ``tolerance_m``.

    ``level`` follows the geocoding vocabulary: ``address`` when the point is inside a grid
    and a standard address lies within the tolerance, ``village`` when it is inside a grid
    with no address that near, ``none`` outside every current grid (then no address is
    attached either: a fix outside the county is never pulled onto a grid).
    """
    wgs_lon, wgs_lat = to_wgs84(lon, lat, crs)
    location = PointLocation(
        lon=wgs_lon, lat=wgs_lat, input_lon=float(lon), input_lat=float(lat),
        crs=CRS_NAMES[str(crs).strip().lower()],
    )  # fmt: skip
    grid = session.execute(sql("geocode_point"), {"lon": wgs_lon, "lat": wgs_lat}).mappings()
    grid = grid.first()
    if grid is not None:
        for key in (
            "grid_code", "grid_name", "village_code", "village_name", "township_code",
            "township_name", "county_code",
        ):  # fmt: skip
            setattr(location, key, grid[key])
        location.level = "village"
    near = (
        session.execute(
            sql("geocode_nearest_address"),
            {"lon": wgs_lon, "lat": wgs_lat, "tolerance": float(tolerance_m)},
        )
        .mappings()
        .first()
    )
    if near is not None and grid is not None:
        location.address_code = near["address_code"]
        location.address_text = near["full_text"]
        location.address_distance_m = round(float(near["distance_m"]), 1)
        location.level = "address"
    return location
