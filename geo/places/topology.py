"""Grids must tile their village: no gaps, no overlaps, nothing outside.

The check runs on the state the import would leave: the file's grids plus the village's
current grids that the file does not mention. Areas are measured in the UTM zone of the
data. First :func:`snap_village` removes what is only rounding: pieces smaller than the
tolerance (m², default 1) or thinner than :data:`SNAP_WIDTH_M` (a sliver between two
versions of one edge) are clipped off the grid that sticks out or overlaps, or given to the
grid next to the gap, and a warning says how many and how much.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from core.errors import RowProblem
from geo.places.coords import projector, utm_crs_for

DEFAULT_TOLERANCE_M2 = 1.0
DENSIFY_DEGREES = 1e-4  # about 10 m
# Gaps, overlaps and overhangs thinner than this (mean width, m) are snapped, whatever their
# area: a 6 mm sliver along a 2 km edge is 7 m², and is rounding, not a drawing error.
SNAP_WIDTH_M = 0.05


@dataclass
class GridPiece:
    """One grid in a village check: from the file (with its row) or already stored."""

    code: str
    geom: object
    row: int | None


def _where(piece_lonlat) -> str:
    point = piece_lonlat.representative_point()
    return f"near ({point.x:.5f}, {point.y:.5f})"


def _measure(geoms: list):
    to_utm = projector(utm_crs_for([g for g in geoms if g is not None]))

    def area_and_width(piece) -> tuple[float, float]:
        projected = to_utm(shapely.segmentize(piece, DENSIFY_DEGREES))
        area = projected.area
        return area, 2 * area / max(projected.length, 1e-9)

    return area_and_width


def _slivers(geom, measure, tolerance: float) -> tuple[list, float]:
    """The parts of ``geom`` that are rounding (below ``tolerance`` m² or thinner than
    :data:`SNAP_WIDTH_M`), and their total area in m²."""
    found, total = [], 0.0
    for part in shapely.get_parts(geom):
        if part.is_empty or part.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        area, width = measure(part)
        if area <= tolerance or width < SNAP_WIDTH_M:
            found.append(part)
            total += area
    return found, total


def _polygons(geom):
    parts = [p for p in shapely.get_parts(shapely.make_valid(geom)) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if parts else geom


def snap_village(
    *,
    village_code: str,
    village_geom,
    grids: list[GridPiece],
    field: str,
    tolerance: float,
    problems: list[RowProblem],
) -> list[GridPiece]:
    """The grids with rounding slivers snapped away (file grids only; stored ones are left
    as they are), and a warning naming how many slivers and how much area."""
    measure = _measure([g.geom for g in grids] + [village_geom])
    geoms = [g.geom for g in grids]
    mine = [g.row is not None for g in grids]
    touched: set[int] = set()
    total = 0.0
    if village_geom is not None:
        for i in range(len(geoms)):
            if mine[i]:
                outside = shapely.difference(geoms[i], village_geom)
                found, area = _slivers(outside, measure, tolerance)
                if found:
                    geoms[i] = _polygons(shapely.difference(geoms[i], shapely.union_all(found)))
                    touched.add(i)
                    total += area
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    for a, b in zip(left, right, strict=True):
        if a >= b or not (mine[a] or mine[b]):
            continue
        loser = b if mine[b] and (grids[b].code > grids[a].code or not mine[a]) else a
        found, area = _slivers(shapely.intersection(geoms[a], geoms[b]), measure, tolerance)
        if found:
            geoms[loser] = _polygons(shapely.difference(geoms[loser], shapely.union_all(found)))
            touched.add(loser)
            total += area
    if village_geom is not None and any(mine):
        gaps, _ = _slivers(
            shapely.difference(village_geom, shapely.union_all(geoms)), measure, tolerance
        )
        given: dict[int, list] = {}
        for gap in gaps:
            # The gap goes to the file's grid sharing the longest stretch of its edge.
            edge = shapely.boundary(gap)
            shared = {
                i: shapely.intersection(edge, shapely.buffer(geoms[i], 1e-9)).length
                for i in range(len(geoms))
                if mine[i] and shapely.distance(geoms[i], gap) < 1e-9
            }
            if shared and max(shared.values()) > 0:
                given.setdefault(max(shared, key=lambda i: (shared[i], grids[i].code)), []).append(
                    gap
                )
                total += measure(gap)[0]
        for i, pieces in given.items():
            geoms[i] = _polygons(shapely.union_all([geoms[i], *pieces]))
            touched.add(i)
    if touched:
        first = min((g.row for g in grids if g.row is not None), default=None)
        problems.append(
            RowProblem(first, field, f"村 {village_code}：{len(touched)} 个网格边上的细缝/细小重叠"
                       f"（共 {total:,.2f} m²，窄于 {SNAP_WIDTH_M * 100:.0f} 厘米或小于 "
                       f"{tolerance:g} m²）已吸附到相邻网格 / village {village_code}: slivers "
                       f"along {len(touched)} grids (gaps, overlaps, overhangs; {total:,.2f} m² "
                       f"in all, thinner than {SNAP_WIDTH_M * 100:.0f} cm or under {tolerance:g} "
                       "m²) were snapped to the neighbouring grid", "warning")
        )  # fmt: skip
    return [GridPiece(g.code, geom, g.row) for g, geom in zip(grids, geoms, strict=True)]


def check_village(
    *,
    village_code: str,
    village_geom,
    grids: list[GridPiece],
    field: str,
    tolerance: float,
    problems: list[RowProblem],
    gaps: bool = True,
) -> None:
    """Append a problem for every overlap, gap and outside piece bigger than ``tolerance``.

    ``gaps=False`` skips the gap test (when other rows of the file were refused, their grids
    are missing and would show up as gaps).

    The set operations run in longitude/latitude, where the data is stored and where PostGIS
    decides which grid covers a point; only the resulting pieces are projected to be measured
    (projecting first would bend shared edges that have different vertices on each side).
    """
    to_utm = projector(utm_crs_for([g.geom for g in grids] + [village_geom]))

    def pieces(geom) -> list[tuple[object, float]]:
        # Densified first: a long straight lon/lat edge is an arc in UTM, and a sliver between
        # two such edges with different vertices would otherwise measure tens of m².
        kept = []
        for part in shapely.get_parts(geom):
            if part.is_empty or part.geom_type not in ("Polygon", "MultiPolygon"):
                continue
            projected = to_utm(shapely.segmentize(part, DENSIFY_DEGREES))
            area = projected.area
            if area > tolerance and 2 * area / max(projected.length, 1e-9) >= SNAP_WIDTH_M:
                kept.append((part, area))
        return kept

    geoms = [g.geom for g in grids]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    for a, b in zip(left, right, strict=True):
        if a >= b:
            continue
        first, second = grids[a], grids[b]
        if first.row is None and second.row is None:
            continue  # both already stored: not this file's doing
        overlap = pieces(shapely.intersection(geoms[a], geoms[b]))
        if not overlap:
            continue
        area = sum(x for _, x in overlap)
        place = _where(overlap[0][0])
        for mine, other in ((first, second), (second, first)):
            if mine.row is None:
                continue
            other_where = f"row {other.row}" if other.row is not None else "in the database"
            problems.append(
                RowProblem(mine.row, field, f"网格 {mine.code} 与网格 {other.code} 重叠 "
                           f"{area:,.1f} m² / grid {mine.code} overlaps grid {other.code} "
                           f"({other_where}) by {area:,.1f} m² {place}")
            )  # fmt: skip
    if village_geom is None:
        return
    for grid in grids:
        if grid.row is None:
            continue
        outside = pieces(shapely.difference(grid.geom, village_geom))
        if outside:
            area = sum(x for _, x in outside)
            problems.append(
                RowProblem(grid.row, field, f"网格 {grid.code} 有 {area:,.1f} m² 在所属村 "
                           f"{village_code} 之外 / "
                           f"grid {grid.code} lies {area:,.1f} m² outside its "
                           f"village {village_code} {_where(outside[0][0])}")
            )  # fmt: skip
    if not gaps:
        return
    covered = shapely.union_all(geoms)
    for gap, area in pieces(shapely.difference(village_geom, covered)):
        nearby = [g for g in grids if shapely.distance(g.geom, gap) < 1e-5]
        rows = [g.row for g in nearby if g.row is not None]
        codes = ", ".join(g.code for g in nearby[:6]) or "none"
        problems.append(
            RowProblem(min(rows) if rows else None, field, f"村 {village_code} "
                       f"有 {area:,.1f} m² 的空隙"
                       f"没有网格覆盖 / village {village_code} has a gap "
                       f"of {area:,.1f} m² that no grid covers {_where(gap)} "
                       f"(grids around it: {codes})")
        )  # fmt: skip
