"""Geometries made usable once in longitude/latitude: 2-D, the right type, valid.

An invalid polygon is repaired with ``make_valid`` unless the repair changes what the
feature means (no polygon left, or the area moved by more than :data:`MATERIAL_AREA_CHANGE`).
"""

from __future__ import annotations

import numpy as np
import shapely

from core.errors import RowProblem
from geo.places.coords import METRES_PER_DEGREE, projector, utm_crs_for

# A repair that moves the area by more than this share changes what the feature means.
MATERIAL_AREA_CHANGE = 0.01


def _polygonal(geom):
    """The polygonal part of ``geom`` as a MultiPolygon, or None if it has none."""
    if isinstance(geom, shapely.Polygon):
        return shapely.MultiPolygon([geom])
    if isinstance(geom, shapely.MultiPolygon):
        return geom
    if isinstance(geom, shapely.GeometryCollection):
        parts = []
        for part in geom.geoms:
            poly = _polygonal(part)
            if poly is not None:
                parts.extend(poly.geoms)
        return shapely.MultiPolygon(parts) if parts else None
    return None


def _local_area_m2(geom) -> float:
    """Area in m² by the local scale of a degree: right for tiny and sliver shapes, whose
    vertices projected one by one would bow apart (a straight lon/lat edge is curved in UTM)."""
    latitude = np.radians(geom.centroid.y) if not geom.is_empty else 0.0
    return geom.area * METRES_PER_DEGREE**2 * float(np.cos(latitude))


def clean_polygons(
    geoms: list, *, rows: list[int], field: str, names: list[str], problems: list[RowProblem]
) -> list:
    """MultiPolygons in 2D; invalid ones repaired with make_valid or refused (the row named).

    A repair is refused when it changes the type (the result holds no polygon) or the area
    by more than 1 % (a bow-tie ring, for one: its signed halves cancel out before the repair).
    """
    out: list = []
    measure = projector(utm_crs_for(geoms)) if any(g is not None for g in geoms) else None
    for row, name, geom in zip(rows, names, geoms, strict=True):
        if geom is None or geom.is_empty:
            out.append(None)
            continue
        geom = shapely.force_2d(geom)
        polygon = _polygonal(geom)
        if polygon is None or (
            isinstance(geom, shapely.GeometryCollection)
            and not isinstance(geom, shapely.MultiPolygon)
            and any(_polygonal(p) is None for p in geom.geoms)
        ):
            problems.append(
                RowProblem(
                    row,
                    field,
                    f"{name}：应为面，实际是 {geom.geom_type} / "
                    f"{name}: expected a polygon, found {geom.geom_type}",
                )
            )
            out.append(None)
            continue
        if polygon.is_valid and _local_area_m2(polygon) < 1.0:
            problems.append(
                RowProblem(row, field, f"{name}：面积不足 1 m²，各点可能在一条线上 / "
                           f"{name}: the polygon has no area (under 1 m²); its "
                           "points may lie on one line")
            )  # fmt: skip
            out.append(None)
            continue
        if polygon.is_valid:
            out.append(polygon)
            continue
        reason = shapely.is_valid_reason(polygon)
        repaired = _polygonal(shapely.make_valid(polygon))
        before = measure(polygon).area
        after = measure(repaired).area if repaired is not None else 0.0
        change = abs(after - before) / max(before, after, 1e-9)
        if repaired is None:
            problems.append(
                RowProblem(row, field, f"{name}：几何无效（{reason}），修复后不再是面，"
                           "请在源数据中修正 / "
                           f"{name}: invalid geometry ({reason}); repairing it "
                           "leaves no polygon (it collapses to lines or points), so it was "
                           "refused: fix it in the source")
            )  # fmt: skip
            out.append(None)
            continue
        if change > MATERIAL_AREA_CHANGE:
            problems.append(
                RowProblem(row, field, f"{name}：几何无效（{reason}），修复会使面积改变 "
                           f"{change:.0%}，请在源数据中修正 / "
                           f"{name}: invalid geometry ({reason}); repairing it would "
                           f"change its area by {change:.0%} ({before:,.0f} → {after:,.0f} m²), "
                           "so it was refused: fix it in the source")
            )  # fmt: skip
            out.append(None)
            continue
        problems.append(
            RowProblem(row, field, f"{name}：几何无效（{reason}），已自动修复（面积变化 "
                       f"{change:.2%}）/ {name}: invalid geometry ({reason}) repaired with "
                       f"make_valid (area change {change:.2%})", "warning")
        )  # fmt: skip
        out.append(repaired)
    return out


def clean_points(geoms: list, *, rows: list[int], field: str, problems: list[RowProblem]) -> list:
    """Points in 2D; a one-point MultiPoint is accepted, anything else refused."""
    out: list = []
    for row, geom in zip(rows, geoms, strict=True):
        if geom is None or geom.is_empty:
            out.append(None)
            continue
        geom = shapely.force_2d(geom)
        if isinstance(geom, shapely.MultiPoint) and len(geom.geoms) == 1:
            geom = geom.geoms[0]
        if not isinstance(geom, shapely.Point):
            problems.append(
                RowProblem(
                    row,
                    field,
                    f"应为点，实际是 {geom.geom_type} / expected a point, found {geom.geom_type}",
                )
            )
            out.append(None)
            continue
        out.append(geom)
    return out
