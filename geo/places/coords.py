"""Bring a file's geometries to EPSG:4326: CRS, swaps, surveying order, GCJ-02 and BD-09.

Order matters: swapped lon/lat is looked for before the lon/lat range test, otherwise a
swapped file (latitude 103.6) would be misread as "not degrees, pass --crs".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS, Transformer

from core.crs import bd09_to_wgs84, gcj02_to_wgs84, in_china, utm_epsg
from core.errors import RowProblem
from geo.places.guess import (
    FIT_SHARE,
    no_crs_message,
    reproject_xy,
    sample_xy,
    share_inside,
    wrong_crs_cause,
)

WGS84 = CRS.from_epsg(4326)
GCJ_NAMES = {"gcj02", "gcj-02", "gcj"}
BD09_NAMES = {"bd09", "bd-09", "bd09ll", "baidu"}
METRES_PER_DEGREE = 111_320.0
MIN_SEGMENT_M = 5.0
MAX_SEGMENT_M = 50.0


@dataclass(frozen=True)
class CrsChoice:
    """How to read the coordinates: a CRS, or GCJ-02 longitude/latitude."""

    crs: CRS | None
    gcj02: bool = False
    bd09: bool = False

    def describe(self) -> str:
        """Short text for messages."""
        if self.gcj02:
            return "GCJ-02 (Amap/Tencent) longitude/latitude"
        if self.bd09:
            return "BD-09 (Baidu) longitude/latitude"
        return self.crs.to_string() if self.crs is not None else "none"


def choose_crs(
    *, option: str | None, declared: CRS | None, problems: list[RowProblem]
) -> CrsChoice:
    """The CRS to read with: ``--crs`` wins over what the file declares (with a warning)."""
    if option is None:
        return CrsChoice(declared)
    if option.strip().lower() in BD09_NAMES:
        return CrsChoice(WGS84, bd09=True)
    if option.strip().lower() in GCJ_NAMES:
        if declared is not None and declared.is_projected:
            problems.append(
                RowProblem(None, "--crs", f"gcj02 是经纬度，但文件声明的是投影坐标系 / "
                           f"gcj02 means longitude/latitude, but the file "
                           f"declares the projected {declared.to_string()}")
            )  # fmt: skip
        return CrsChoice(WGS84, gcj02=True)
    try:
        crs = CRS.from_user_input(option)
    except Exception:  # pyproj raises CRSError and others for unknown input
        problems.append(
            RowProblem(
                None,
                "--crs",
                f"未知的坐标系 '{option}'，请写 EPSG:XXXX、gcj02 或 bd09 / "
                f"unknown CRS '{option}' (use EPSG:XXXX, gcj02 or bd09)",
            )
        )
        return CrsChoice(declared)
    if declared is not None and not declared.equals(crs, ignore_axis_order=True):
        problems.append(
            RowProblem(None, "--crs", f"文件声明为 {declared.to_string()}，按 --crs "
                       f"读作 {crs.to_string()} / the file declares {declared.to_string()}; "
                       "reading it "
                       f"as {crs.to_string()} as --crs asks", "warning")
        )  # fmt: skip
    return CrsChoice(crs)


def _coordinates(geom) -> np.ndarray:
    return shapely.get_coordinates(geom) if geom is not None else np.empty((0, 2))


def _fits_degrees(xy: np.ndarray) -> bool:
    return bool(
        np.all((xy[:, 0] >= -180) & (xy[:, 0] <= 180) & (xy[:, 1] >= -90) & (xy[:, 1] <= 90))
    )


def _inside(xy: np.ndarray, area: tuple[float, float, float, float] | None) -> np.ndarray:
    if area is None:
        return in_china(xy[:, 0], xy[:, 1])
    minx, miny, maxx, maxy = area
    return (xy[:, 0] >= minx) & (xy[:, 0] <= maxx) & (xy[:, 1] >= miny) & (xy[:, 1] <= maxy)


def swapped_rows(
    geoms: list, *, area: tuple[float, float, float, float] | None
) -> list[tuple[int, float, float]]:
    """Indexes (with the first coordinate) of features that only land in ``area`` once swapped.

    ``area`` is the bounding box the data should fall in (the counties already loaded,
    widened); without it, China's box, where longitudes 73–135 are never valid latitudes.
    """
    found = []
    for index, geom in enumerate(geoms):
        xy = _coordinates(geom)
        if len(xy) == 0:
            continue
        if not _inside(xy, area).all() and _inside(xy[:, ::-1], area).all():
            found.append((index, float(xy[0, 0]), float(xy[0, 1])))
    return found


def _transform(geoms: list, function) -> list:
    return [None if g is None else shapely.transform(g, function) for g in geoms]


def _reprojector(source: CRS):
    transformer = Transformer.from_crs(source, WGS84, always_xy=True)

    def reproject(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return reproject


def to_wgs84(
    geoms: list,
    *,
    choice: CrsChoice,
    rows: list[int],
    field: str,
    area: tuple[float, float, float, float] | None,
    problems: list[RowProblem],
    outline=None,
) -> list:
    """Geometries in EPSG:4326 (lon, lat); every problem is appended to ``problems``.

    ``outline`` (the counties loaded, lon/lat) is what a CRS is worked out against when the
    file names none, and what tells surveying order (X = northing) from the usual one.
    Projected edges are densified first (:func:`segment_length`), so a long straight edge
    keeps its shape, and its neighbour's, once reprojected.
    """
    present = [g for g in geoms if g is not None and not g.is_empty]
    if not present:
        return geoms
    geographic = choice.crs is None or choice.crs.is_geographic
    if geographic:
        swapped = swapped_rows(geoms, area=area)
        for index, x, y in swapped:
            problems.append(
                RowProblem(rows[index], field, f"经度和纬度填反了 / "
                           f"longitude and latitude look swapped: ({x:g}, "
                           f"{y:g}) falls outside the area, ({y:g}, {x:g}) inside. The "
                           "longitude (经度, lon, x: ~73–135 in China) and the latitude "
                           "(纬度, lat, y: ~18–54) are in each other's place")
            )  # fmt: skip
        if swapped:
            return geoms
        sample = np.vstack([_coordinates(g) for g in present])
        if not _fits_degrees(sample):
            x, y = sample[0]
            if choice.crs is None:
                message = no_crs_message(sample_xy(present), outline)
            else:
                message = (
                    f"文件声明为经纬度 {choice.describe()}，但坐标不是度数（第一个点 {x:.1f}, "
                    f"{y:.1f}）/ the file says {choice.describe()} (longitude/latitude) but its "
                    f"coordinates are not degrees (first: {x:.1f}, {y:.1f}). "
                    + (wrong_crs_cause(sample_xy(present), None, outline) or
                       "请用 --crs EPSG:XXXX 指定 / pass the real CRS with --crs EPSG:XXXX")
                )  # fmt: skip
            problems.append(RowProblem(None, "CRS", message))
            return geoms
    if choice.crs is None:
        problems.append(
            RowProblem(None, "CRS", "文件没有坐标系，坐标符合经纬度，按 EPSG:4326（WGS84）"
                       "读取；若来自高德/腾讯请加 --crs gcj02 / "
                       "the file names no coordinate system; its coordinates fit "
                       "longitude/latitude, so they were read as EPSG:4326 (WGS84). Pass "
                       "--crs gcj02 if they come from Amap or Tencent", "warning")
        )  # fmt: skip
        out = geoms
    elif choice.crs.is_geographic:
        out = geoms
        if not (choice.gcj02 or choice.bd09) and not choice.crs.equals(
            WGS84, ignore_axis_order=True
        ):
            out = _transform(geoms, _reprojector(choice.crs))
    else:
        raw = np.vstack([_coordinates(g) for g in present])
        if _fits_degrees(raw):
            # Projected coordinates this small would all lie within 180 m of the false origin.
            problems.append(
                RowProblem(None, "CRS", f"坐标像是经纬度，不是 {choice.describe()} 的米制坐标，"
                           "请加 --crs EPSG:4326（高德/腾讯用 --crs gcj02）/ "
                           f"the coordinates look like longitude/latitude, not "
                           f"{choice.describe()} metres (first: {raw[0, 0]:g}, {raw[0, 1]:g}): "
                           "pass --crs EPSG:4326 (or --crs gcj02 for Amap/Tencent data)")
            )  # fmt: skip
            return geoms
        geoms = _surveying_order(geoms, choice.crs, outline, problems)
        step = segment_length(present)
        out = _transform(shapely.segmentize(np.array(geoms, dtype=object), step).tolist(),
                         _reprojector(choice.crs))  # fmt: skip
        sample = np.vstack([_coordinates(g) for g in out if g is not None])
        if not np.isfinite(sample).all() or not _fits_degrees(sample):
            problems.append(
                RowProblem(None, "CRS", f"坐标与 {choice.describe()} 不符，请检查 --crs / "
                           f"the coordinates do not fit {choice.describe()}: "
                           "check --crs")
            )  # fmt: skip
            return geoms
    if choice.gcj02 or choice.bd09:
        convert = gcj02_to_wgs84 if choice.gcj02 else bd09_to_wgs84

        def from_web_map(xy: np.ndarray) -> np.ndarray:
            x, y = convert(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        out = _transform(out, from_web_map)
    return out


def segment_length(geoms: list) -> float:
    """Longest edge (in the file's metres) kept when densifying before reprojection: a
    hundredth of the median feature's bounding-box diagonal, between 5 and 50 m.

    A straight edge in Gauss-Krüger is slightly curved in longitude/latitude; two grids
    sharing a 9 km edge with different vertices on each side would otherwise open slivers
    of tens of m² between them once reprojected.
    """
    polygons = [g for g in geoms if g is not None and g.geom_type not in ("Point", "MultiPoint")]
    if not polygons:
        return MAX_SEGMENT_M
    bounds = shapely.bounds(np.array(polygons, dtype=object))
    diagonal = np.hypot(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
    return float(np.clip(np.median(diagonal) / 100, MIN_SEGMENT_M, MAX_SEGMENT_M))


def _surveying_order(geoms: list, crs: CRS, outline, problems: list[RowProblem]) -> list:
    """``geoms`` with x and y exchanged when only that order puts them inside ``outline``
    (surveyors write X for the northing), with a warning saying so."""
    if outline is None or crs.to_epsg() is None:
        return geoms
    xy = sample_xy(geoms)
    if len(xy) == 0 or share_inside(reproject_xy(xy, crs.to_epsg()), outline) >= 0.5:
        return geoms
    if share_inside(reproject_xy(xy[:, ::-1], crs.to_epsg()), outline) < FIT_SHARE:
        return geoms
    problems.append(
        RowProblem(None, "CRS", "X、Y 是测量习惯顺序（X 为北坐标、Y 为东坐标），已按此读取 / X and "
                   "Y are in surveying order (X = northing, Y = easting): read that way, since "
                   "only so do the points fall inside the county", "warning")
    )  # fmt: skip
    return _transform(geoms, lambda xy: xy[:, ::-1].copy())


def utm_crs_for(geoms: list) -> CRS:
    """The UTM zone holding the centre of ``geoms`` (areas and lengths are measured there)."""
    present = [g for g in geoms if g is not None and not g.is_empty]
    minx, miny, maxx, maxy = shapely.total_bounds(present)
    return CRS.from_epsg(utm_epsg((minx + maxx) / 2, (miny + maxy) / 2))


def projector(target: CRS, source: CRS = WGS84):
    """A function mapping geometries from ``source`` (lon/lat) to ``target``, vertex by vertex."""
    transformer = Transformer.from_crs(source, target, always_xy=True)

    def project(geom):
        if geom is None:
            return None

        def move(xy: np.ndarray) -> np.ndarray:
            x, y = transformer.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geom, move)

    return project
