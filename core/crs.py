"""Coordinate reference helpers: GCJ-02 and BD-09 conversion, projected CRS choice and
candidates, lon/lat sanity.

GCJ-02 ("Mars coordinates") is the obfuscated datum used by Amap, Tencent and most
Chinese phone apps: WGS84 shifted by a smooth non-linear offset of a few hundred metres.
The forward formula is public; the inverse has no closed form and is found by fixed-point
iteration, which converges to well under a centimetre in a few steps.
"""

from __future__ import annotations

import numpy as np

_A = 6378245.0
_EE = 0.00669342162296594323

# China's bounding box as used by the GCJ-02 formula: outside it no offset is applied.
CHINA_LON = (72.004, 137.8347)
CHINA_LAT = (0.8293, 55.8271)


def _transform_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def in_china(lon, lat) -> np.ndarray:
    """True where (lon, lat) lies inside the box the GCJ-02 offset applies to."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (
        (lon >= CHINA_LON[0])
        & (lon <= CHINA_LON[1])
        & (lat >= CHINA_LAT[0])
        & (lat <= CHINA_LAT[1])
    )


def wgs84_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Shift WGS84 coordinates to GCJ-02 (vectorised; points outside China are unchanged)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    inside = in_china(lon, lat)
    return np.where(inside, lon + dlon, lon), np.where(inside, lat + dlat, lat)


def gcj02_to_wgs84(lon, lat, *, tolerance: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """Invert :func:`wgs84_to_gcj02` by fixed-point iteration (error well under 1 cm)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x, y = lon.copy(), lat.copy()
    for _ in range(30):
        fx, fy = wgs84_to_gcj02(x, y)
        dx, dy = fx - lon, fy - lat
        x, y = x - dx, y - dy
        if np.nanmax(np.abs(np.concatenate([np.ravel(dx), np.ravel(dy)])), initial=0) < tolerance:
            break
    return x, y


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS84 UTM zone holding (lon, lat): 32648 for Lintan."""
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    return (32600 if lat >= 0 else 32700) + zone


def looks_swapped(lon, lat, *, bounds: tuple[float, float, float, float] | None = None) -> bool:
    """True when a point set reads as (lat, lon) given as (lon, lat).

    With ``bounds`` (minx, miny, maxx, maxy of the area the data should cover) the test is
    whether the swapped points fall inside far more often than the points as given.
    Without bounds, the test is whether "lat" values exceed ±90, or whether the points only
    land in China once swapped (Chinese longitudes 73–135 are never valid latitudes).
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = ~(np.isnan(lon) | np.isnan(lat))
    lon, lat = lon[ok], lat[ok]
    if lon.size == 0:
        return False
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        as_given = np.mean((lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy))
        swapped = np.mean((lat >= minx) & (lat <= maxx) & (lon >= miny) & (lon <= maxy))
        return bool(swapped > 0.5 and swapped > as_given)
    if np.mean(np.abs(lat) > 90) > 0.5:
        return True
    return bool(np.mean(in_china(lat, lon)) > 0.5 and np.mean(in_china(lon, lat)) < 0.5)


# EPSG codes of the projected CRSs a Chinese county's surveyors use (CGCS2000 Gauss-Krüger),
# by central meridian 75°E … 135°E.
GK3_WITH_ZONE = 4513  # zone 25 (CM 75°E) … zone 45 (CM 135°E): easting = zone × 10⁶ + …
GK3_PLAIN = 4534  # CM 75°E … CM 135°E, every 3°
GK6_WITH_ZONE = 4491  # zone 13 (CM 75°E) … zone 23 (CM 135°E)
GK6_PLAIN = 4502  # CM 75°E … CM 135°E, every 6°
UTM_NORTH = 32600
CHINA_UTM_ZONES = range(43, 54)


def projected_candidates(easting: float) -> list[tuple[int, str]]:
    """(EPSG code, description) of the projected CRSs whose eastings look like ``easting``.

    An easting of 10⁷ m or more carries the zone number in front (3° zones 25–45, 6° zones
    13–23), which names one CRS; a plain easting (a few hundred km) fits every central
    meridian and every UTM zone over China, to be tried against the county outline.
    """
    if easting >= 1e7:
        zone = int(easting // 1_000_000)
        if 25 <= zone <= 45:
            return [
                (
                    GK3_WITH_ZONE + zone - 25,
                    f"CGCS2000 3度带 第{zone}带（CM {zone * 3}°E，"
                    f"X 前带号）/ CGCS2000 3-degree Gauss-Krüger zone {zone} with the zone in x",
                )
            ]
        if 13 <= zone <= 23:
            return [
                (
                    GK6_WITH_ZONE + zone - 13,
                    f"CGCS2000 6度带 第{zone}带（CM {zone * 6 - 3}°E，"
                    f"X 前带号）/ CGCS2000 6-degree Gauss-Krüger zone {zone} with the zone in x",
                )
            ]
        return []
    if not 0 < easting < 1_000_000:
        return []
    found = [
        (GK3_PLAIN + k, f"CGCS2000 3度带 中央经线 {75 + 3 * k}°E / CGCS2000 3-degree "
         f"Gauss-Krüger CM {75 + 3 * k}E")
        for k in range(21)
    ]  # fmt: skip
    found += [
        (GK6_PLAIN + k, f"CGCS2000 6度带 中央经线 {75 + 6 * k}°E / CGCS2000 6-degree "
         f"Gauss-Krüger CM {75 + 6 * k}E")
        for k in range(11)
    ]  # fmt: skip
    found += [(UTM_NORTH + z, f"WGS84 UTM {z}N") for z in CHINA_UTM_ZONES]
    return found


_X_PI = np.pi * 3000.0 / 180.0


def bd09_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Baidu's BD-09 longitude/latitude to GCJ-02 (the published inverse, about 1 m)."""
    x = np.asarray(lon, dtype=float) - 0.0065
    y = np.asarray(lat, dtype=float) - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def bd09_to_wgs84(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Baidu's BD-09 longitude/latitude to WGS84 (through GCJ-02)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))
