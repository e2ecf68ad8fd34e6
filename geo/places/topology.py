"""Grids must tile their village: no gaps, no overlaps, nothing outside.

The check runs on the state the import would leave: the file's grids plus the village's
current grids that the file does not mention. Areas are measured in the UTM zone of the
data; pieces smaller than the tolerance (m², default 1) are ignored, since two programs
rarely write a shared boundary to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from core.errors import RowProblem
from geo.places.coords import projector, utm_crs_for

DEFAULT_TOLERANCE_M2 = 1.0
DENSIFY_DEGREES = 1e-4  # about 10 m


@dataclass
class GridPiece:
    """One grid in a village check: from the file (with its row) or already stored."""

    code: str
    geom: object
    row: int | None


def _where(piece_lonlat) -> str:
    point = piece_lonlat.representative_point()
    return f"near ({point.x:.5f}, {point.y:.5f})"


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
        measured = (
            (p, to_utm(shapely.segmentize(p, DENSIFY_DEGREES)).area)
            for p in shapely.get_parts(geom)
            if not p.is_empty
        )
        return [(p, area) for p, area in measured if area > tolerance]

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
                RowProblem(mine.row, field, f"grid {mine.code} overlaps grid {other.code} "
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
                RowProblem(grid.row, field, f"grid {grid.code} lies {area:,.1f} m² outside its "
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
            RowProblem(min(rows) if rows else None, field, f"village {village_code} has a gap "
                       f"of {area:,.1f} m² that no grid covers {_where(gap)} "
                       f"(grids around it: {codes})")
        )  # fmt: skip
