"""Where imported points fall: their county, their grid, and whether they look GCJ-shifted."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy.orm import Session

from core.crs import gcj02_to_wgs84
from core.errors import RowProblem
from geo.places import existing
from geo.places.assign import GridIndex

# At least this many points must move into their reference area on conversion, and at least
# this many times more than move out, before a file is called GCJ-shifted.
GCJ_MIN_POINTS = 3
GCJ_RATIO = 4.0


@dataclass
class PlacedPoint:
    """County, grid (or none) and the village the grid gives for one point."""

    county_code: str | None = None
    grid_id: int | None = None
    grid_code: str | None = None


def county_area(session: Session) -> tuple[float, float, float, float] | None:
    """Bounding box of every county boundary loaded, widened by 0.5° (None when there is none)."""
    counties = existing.county_geometries(session)
    if not counties:
        return None
    minx, miny, maxx, maxy = shapely.total_bounds([c["geom"] for c in counties])
    return (minx - 0.5, miny - 0.5, maxx + 0.5, maxy + 0.5)


def place_points(
    *,
    session: Session,
    points: list,
    rows: list[int],
    village_codes: list[str | None],
    field: str,
    problems: list[RowProblem],
) -> list[PlacedPoint | None]:
    """Each point's county (it must lie inside one) and grid (the documented boundary rule).

    A point inside the county but outside every current grid is kept with no grid and listed
    as a warning; a point outside every county boundary is refused.
    """
    counties = existing.county_geometries(session)
    if not counties:
        problems.append(
            RowProblem(None, field, "库中没有县界，请先导入县界（wangge load admin-units）/ "
                       "no county boundary in the database: load the county "
                       "(wangge load admin-units with the county polygon) first")
        )  # fmt: skip
        return [None] * len(points)
    county_geoms = np.array([c["geom"] for c in counties], dtype=object)
    tree = shapely.STRtree(county_geoms)
    placed: list[PlacedPoint | None] = [None] * len(points)
    present = [i for i, p in enumerate(points) if p is not None]
    if not present:
        return placed
    hits_point, hits_county = tree.query(
        np.array([points[i] for i in present], dtype=object), predicate="covered_by"
    )
    county_of: dict[int, str] = {}
    for p, c in zip(hits_point, hits_county, strict=True):
        index = present[p]
        code = counties[c]["code"]
        county_of[index] = min(code, county_of.get(index, code))
    for index in present:
        point = points[index]
        if index not in county_of:
            problems.append(
                RowProblem(rows[index], field, f"点 ({point.x:.6f}, {point.y:.6f}) 在县界之外 / "
                           f"point ({point.x:.6f}, {point.y:.6f}) lies "
                           "outside the county boundary")
            )  # fmt: skip
            continue
        village = village_codes[index]
        if village is not None and village[:6] != county_of[index]:
            problems.append(
                RowProblem(rows[index], field, f"点在县 {county_of[index]} 内，"
                           f"但所填的村 {village} "
                           f"属于县 {village[:6]} / point lies in county {county_of[index]} but "
                           f"its village {village} belongs to county {village[:6]}")
            )  # fmt: skip
            continue
        placed[index] = PlacedPoint(county_code=county_of[index])
    for county in sorted({p.county_code for p in placed if p is not None}):
        members = [i for i, p in enumerate(placed) if p is not None and p.county_code == county]
        index = GridIndex.load(session=session, county=county)
        found = index.assign([points[i].x for i in members], [points[i].y for i in members])
        for i, position in zip(members, found, strict=True):
            if position >= 0:
                placed[i].grid_id = int(index.ids[position])
                placed[i].grid_code = str(index.codes[position])
    return placed


def gcj_suspicion(
    *, session: Session, points: list, village_codes: list[str | None]
) -> tuple[int, int]:
    """(points that only fall in their reference area once read as GCJ-02, points that leave it).

    The reference is the point's own village polygon when the file names the village,
    else the current grids of the counties loaded, else the county boundary. Data taken from
    Amap or Tencent and read as WGS84 sit a few hundred metres off in one consistent
    direction, so converting them moves many points in and almost none out.
    """
    present = [i for i, p in enumerate(points) if p is not None]
    if not present:
        return 0, 0
    lon = np.array([points[i].x for i in present])
    lat = np.array([points[i].y for i in present])
    shifted_lon, shifted_lat = gcj02_to_wgs84(lon, lat)
    villages = existing.unit_geometries(session, {v for v in village_codes if v})
    counties = [c["geom"] for c in existing.county_geometries(session)]
    grids = GridIndex.load(session=session)
    fallback = shapely.union_all(counties) if counties else None
    if fallback is not None:
        shapely.prepare(fallback)
    before = np.zeros(len(present), dtype=bool)
    after = np.zeros(len(present), dtype=bool)
    judged = np.zeros(len(present), dtype=bool)
    given = shapely.points(lon, lat)
    converted = shapely.points(shifted_lon, shifted_lat)
    for k, i in enumerate(present):
        polygon = villages.get(village_codes[i] or "")
        if polygon is not None:
            before[k], after[k], judged[k] = (
                polygon.covers(given[k]),
                polygon.covers(converted[k]),
                True,
            )
    rest = ~judged
    if rest.any() and len(grids.ids):
        before[rest] = grids.assign(lon[rest], lat[rest]) >= 0
        after[rest] = grids.assign(shifted_lon[rest], shifted_lat[rest]) >= 0
    elif rest.any() and fallback is not None:
        before[rest] = shapely.covers(fallback, given[rest])
        after[rest] = shapely.covers(fallback, converted[rest])
    moved_in = int(np.sum(after & ~before))
    moved_out = int(np.sum(before & ~after))
    return moved_in, moved_out


def looks_gcj(moved_in: int, moved_out: int) -> bool:
    """True when converting from GCJ-02 fits the reference clearly better."""
    return moved_in >= GCJ_MIN_POINTS and moved_in >= GCJ_RATIO * max(moved_out, 1)


def gcj_polygon_suspicion(pairs: list[tuple[object, object]]) -> tuple[float, float]:
    """Area (degrees²) of polygons outside their outlines, as given and read as GCJ-02.

    ``pairs`` holds (polygon, outline). Grids drawn on an Amap or Tencent base map and read as
    WGS84 stick out of their villages on one side; read as GCJ-02 they fall back in.
    """

    def from_gcj(xy: np.ndarray) -> np.ndarray:
        x, y = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    given = converted = 0.0
    for polygon, outline in pairs:
        moved = shapely.make_valid(shapely.transform(polygon, from_gcj))
        try:
            given += shapely.difference(polygon, outline).area
            converted += shapely.difference(moved, outline).area
        except shapely.errors.GEOSException:
            continue  # a polygon GEOS cannot cut is no evidence either way
    return given, converted
