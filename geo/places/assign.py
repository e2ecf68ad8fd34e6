"""Point-to-grid assignment.

Rule for points on a shared boundary: a point covered by several current grids goes to the
grid whose code sorts first. Points outside every grid are returned to the caller (and kept
with ``grid_id`` null), never dropped.

Two paths give the same answer: PostGIS with the GiST index (one point, or every address of
a county in one statement), and :func:`assign_points` in Python with a shapely STRtree over
the current grids, used at ingest where the points are already in memory and are written by
COPY (the cheap path for large batches).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy.orm import Session

from geo.database.sqlfiles import sql


@dataclass(frozen=True)
class GridHit:
    """The grid a point fell in."""

    id: int
    code: str


def grid_at(*, session: Session, lon: float, lat: float) -> GridHit | None:
    """The current grid covering (lon, lat) in WGS84, or None outside every grid."""
    row = session.execute(sql("assign_point_grid"), {"lon": lon, "lat": lat}).first()
    return GridHit(row.id, row.code) if row else None


def assign_addresses(*, session: Session, county: str | None = None) -> list[dict]:
    """Set ``address.grid_id`` from geometry; return the addresses outside every grid."""
    session.execute(sql("assign_addresses"), {"county": county})
    rows = session.execute(sql("addresses_outside_grids"), {"county": county}).mappings()
    return [dict(r) for r in rows]


class GridIndex:
    """Current grids in memory with an STRtree, for assigning many points at once."""

    def __init__(self, ids: np.ndarray, codes: np.ndarray, geoms: np.ndarray) -> None:
        order = np.argsort(codes, kind="stable")
        self.ids = np.asarray(ids)[order]
        self.codes = np.asarray(codes, dtype=object)[order]
        self.geoms = np.asarray(geoms, dtype=object)[order]
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    @classmethod
    def load(cls, *, session: Session, county: str | None = None) -> GridIndex:
        """Read the current grids (of one county, or all) from the database."""
        rows = session.execute(sql("current_grids_wkb"), {"county": county}).all()
        ids = np.array([r.id for r in rows], dtype=np.int64)
        codes = np.array([r.code for r in rows], dtype=object)
        geoms = shapely.from_wkb([bytes(r.wkb) for r in rows]) if rows else np.array([])
        return cls(ids, codes, geoms)

    def assign(self, lon, lat) -> np.ndarray:
        """Position in ``self.ids`` for each point, or -1 outside every grid (rule above)."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        result = np.full(lon.shape, -1, dtype=np.int64)
        valid = ~(np.isnan(lon) | np.isnan(lat))
        if not valid.any() or len(self.geoms) == 0:
            return result
        points = shapely.points(lon[valid], lat[valid])
        point_idx, grid_idx = self.tree.query(points, predicate="covered_by")
        # Grids are sorted by code, so the smallest index per point is the first code.
        best = np.full(points.shape, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, point_idx, grid_idx)
        best[best == np.iinfo(np.int64).max] = -1
        result[np.flatnonzero(valid)] = best
        return result
