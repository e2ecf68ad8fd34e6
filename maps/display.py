"""Geometry for display: simplified as a coverage, rounded, optionally shifted to GCJ-02.

Grids and administrative units tile the county. Simplifying each polygon on its own
opens gaps and overlaps between neighbours; ``shapely.coverage_simplify`` simplifies the
shared edges once, so the tiling survives. Coordinates are then rounded to 1e-5 degrees
(about a metre), which is far below what a screen shows and roughly halves the JSON.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

from core.crs import wgs84_to_gcj02

# About 15 m at Lintan's latitude: invisible at county zoom, removes most vertices.
DEFAULT_TOLERANCE_DEG = 0.00015
DECIMALS = 5


def to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame in EPSG:4326 (a frame without a CRS is taken to be EPSG:4326 already)."""
    if frame.crs is None:
        return frame.set_crs(4326)
    if frame.crs.to_epsg() != 4326:
        return frame.to_crs(4326)
    return frame


def _round(coords: np.ndarray) -> np.ndarray:
    return np.round(coords, DECIMALS)


def _shift(coords: np.ndarray) -> np.ndarray:
    lon, lat = wgs84_to_gcj02(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def display_geometries(
    geoms: gpd.GeoSeries | np.ndarray,
    *,
    tolerance: float = DEFAULT_TOLERANCE_DEG,
    coverage: bool = True,
    gcj02: bool = False,
) -> np.ndarray:
    """Simplify (keeping shared edges when ``coverage``), shift if asked, and round.

    ``geoms`` must be EPSG:4326. Points pass through unsimplified. Returns shapely
    geometries in input order; a polygon that would collapse keeps its original shape.
    """
    values = np.asarray(geoms, dtype=object)
    if values.size == 0:
        return values
    is_areal = shapely.get_type_id(values) >= 3  # polygon and multi-types
    if tolerance > 0 and is_areal.any():
        areal = values[is_areal]
        if coverage:
            simplified = shapely.coverage_simplify(areal, tolerance)
        else:
            simplified = shapely.simplify(areal, tolerance, preserve_topology=True)
        collapsed = shapely.is_empty(simplified) | shapely.is_missing(simplified)
        simplified[collapsed] = areal[collapsed]
        values = values.copy()
        values[is_areal] = simplified
    if gcj02:
        values = shapely.transform(values, _shift)
    return shapely.transform(values, _round)


def bounds_of(frames: list[gpd.GeoDataFrame | None], *, gcj02: bool = False) -> tuple | None:
    """(minx, miny, maxx, maxy) over the non-empty frames, in the display datum."""
    boxes = [to_wgs84(f).total_bounds for f in frames if f is not None and not f.empty]
    if not boxes:
        return None
    stacked = np.vstack(boxes)
    box = (
        float(stacked[:, 0].min()),
        float(stacked[:, 1].min()),
        float(stacked[:, 2].max()),
        float(stacked[:, 3].max()),
    )
    if gcj02:
        lon, lat = wgs84_to_gcj02([box[0], box[2]], [box[1], box[3]])
        box = (float(lon[0]), float(lat[0]), float(lon[1]), float(lat[1]))
    return box


def payload_bounds(payloads: list[dict]) -> tuple[float, float, float, float] | None:
    """(minx, miny, maxx, maxy) of the first payload that has features (already displayed)."""
    for payload in payloads:
        features = payload.get("features") or []
        if features:
            geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
            return tuple(float(v) for v in shapely.total_bounds(geoms))
    return None
