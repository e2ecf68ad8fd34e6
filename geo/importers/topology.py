"""Grids must tile their village: no gaps, no overlaps, nothing outside.

The check runs on the state the import would leave: the file's grids plus the village's
current grids that the file does not mention. Areas are measured in the UTM zone of the
data; pieces smaller than the tolerance (m², default 1) are ignored, since two programs
rarely write a shared boundary to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from geo.errors import RowProblem
from geo.importers.coords import WGS84, projector, utm_crs_for

DEFAULT_TOLERANCE_M2 = 1.0


@dataclass
class GridPiece:
    """One grid in a village check: from the file (with its row) or already stored."""

    code: str
    geom: object
    row: int | None


def _where(piece_lonlat) -> str:
    point = piece_lonlat.representative_point()
    return f"near ({point.x:.5f}, {point.y:.5f})"


def _pieces(geom, tolerance: float) -> list:
    parts = shapely.get_parts(geom)
    return [p for p in parts if p.area > tolerance]


def check_village(
    *,
    village_code: str,
    village_geom,
    grids: list[GridPiece],
    field: str,
    tolerance: float,
    problems: list[RowProblem],
) -> None:
    """Append a problem for every overlap, gap and outside piece bigger than ``tolerance``."""
    utm = utm_crs_for([g.geom for g in grids] + [village_geom])
    to_utm, back = projector(utm), projector(WGS84, source=utm)
    projected = [to_utm(g.geom) for g in grids]
    tree = shapely.STRtree(projected)
    left, right = tree.query(projected, predicate="intersects")
    for a, b in zip(left, right, strict=True):
        if a >= b:
            continue
        first, second = grids[a], grids[b]
        if first.row is None and second.row is None:
            continue  # both already stored: not this file's doing
        overlap = shapely.intersection(projected[a], projected[b])
        area = sum(p.area for p in _pieces(overlap, tolerance))
        if area <= tolerance:
            continue
        place = _where(back(overlap))
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
    village = to_utm(village_geom)
    for grid, geom in zip(grids, projected, strict=True):
        if grid.row is None:
            continue
        outside = _pieces(shapely.difference(geom, village), tolerance)
        area = sum(p.area for p in outside)
        if area > tolerance:
            problems.append(
                RowProblem(grid.row, field, f"grid {grid.code} lies {area:,.1f} m² outside its "
                           f"village {village_code} {_where(back(outside[0]))}")
            )  # fmt: skip
    covered = shapely.union_all(projected)
    for gap in _pieces(shapely.difference(village, covered), tolerance):
        nearby = [
            g for g, geom in zip(grids, projected, strict=True) if shapely.distance(geom, gap) < 1.0
        ]
        rows = [g.row for g in nearby if g.row is not None]
        codes = ", ".join(g.code for g in nearby[:6]) or "none"
        problems.append(
            RowProblem(min(rows) if rows else None, field, f"village {village_code} has a gap "
                       f"of {gap.area:,.1f} m² that no grid covers {_where(back(gap))} "
                       f"(grids around it: {codes})")
        )  # fmt: skip
