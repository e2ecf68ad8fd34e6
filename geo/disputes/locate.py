"""Where an incoming record lies: its point, grid, standard address and geocode level.

Two sources, in this order:

- **GPS** (lon/lat, already WGS84 after :mod:`geo.disputes.columns`): the grid from the
  in-memory :class:`geo.places.assign.GridIndex`, the nearest standard address within 100 m from an
  STRtree over the county's addresses. Level ``address`` when such an address exists, else
  ``village`` when the point is on a grid, else ``none`` (outside every grid: kept, with its
  point, and listed as needing a location). This follows :mod:`geo.geocode.gps`.
- **text** (no GPS): :class:`geo.geocode.match.Geocoder`. A result at address, group or
  village level gives the point and grid; a result at township or county level is too
  coarse to put on a grid (it would pile cases on the township centre and make false
  hotspots), so the record keeps its level and score but no point and no grid, and is
  listed as needing a location. So is a text the geocoder cannot place (level ``none``).

Everything is in memory (one load per county, reused across a file or by the API), so a
batch of 100,000 records costs no per-record round trip.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.geocode.match import Geocoder
from geo.geocode.store import gazetteer_version, load_gazetteer
from geo.places.assign import GridIndex

NEAR_ADDRESS_M = 100.0
ON_GRID_LEVELS = ("address", "group", "village")
_METRES_PER_DEGREE = 111_320.0


@dataclass
class Locator:
    """Grids, addresses and the geocoder of one county (or all) in memory."""

    grids: GridIndex
    grid_county: dict[int, str]
    address_ids: np.ndarray
    address_codes: dict[str, int]
    address_tree: shapely.STRtree
    address_points: np.ndarray
    geocoder: Geocoder
    version: tuple

    @classmethod
    def load(cls, *, session: Session, county: str | None = None) -> Locator:
        """Read grids, addresses and the gazetteer from the database."""
        grids = GridIndex.load(session=session, county=county)
        grid_county = dict(
            session.execute(
                text(
                    "SELECT id, county_code FROM grid WHERE valid_to IS NULL"
                    " AND (CAST(:county AS text) IS NULL OR county_code = CAST(:county AS text))"
                ),
                {"county": county},
            ).all()
        )
        rows = session.execute(
            text(
                "SELECT id, code, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM address"
                " WHERE CAST(:county AS text) IS NULL OR county_code = CAST(:county AS text)"
            ),
            {"county": county},
        ).all()
        ids = np.array([r.id for r in rows], dtype=np.int64)
        points = shapely.points([r.lon for r in rows], [r.lat for r in rows]) if rows else []
        points = np.asarray(points, dtype=object)
        return cls(
            grids=grids,
            grid_county=grid_county,
            address_ids=ids,
            address_codes={r.code: r.id for r in rows},
            address_tree=shapely.STRtree(points),
            address_points=points,
            geocoder=Geocoder(load_gazetteer(session=session, county=county)),
            version=version_of(session=session),
        )

    def _grid_ids(self, positions: np.ndarray) -> np.ndarray:
        out = np.full(positions.shape, -1, dtype=np.int64)
        hit = positions >= 0
        out[hit] = self.grids.ids[positions[hit]]
        return out

    def _nearest_addresses(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        out = np.full(lon.shape, -1, dtype=np.int64)
        if len(self.address_ids) == 0 or lon.size == 0:
            return out
        points = shapely.points(lon, lat)
        # Degrees of longitude shrink with latitude; the wider (longitude) radius keeps all
        # candidates, the exact metric check below drops the extra ones.
        radius = NEAR_ADDRESS_M / (_METRES_PER_DEGREE * np.cos(np.radians(np.nanmean(lat))))
        index, _distance = self.address_tree.query_nearest(
            points, max_distance=radius, return_distance=True, all_matches=False
        )
        point_idx, address_idx = index
        target = self.address_points[address_idx]
        dx = (shapely.get_x(target) - lon[point_idx]) * np.cos(np.radians(lat[point_idx]))
        dy = shapely.get_y(target) - lat[point_idx]
        metres = np.hypot(dx, dy) * _METRES_PER_DEGREE
        close = metres <= NEAR_ADDRESS_M
        out[point_idx[close]] = self.address_ids[address_idx[close]]
        return out

    def locate(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Columns lon, lat, grid_id, address_id, geocode_level, geocode_score, county_code."""
        lon = rows["lon"].to_numpy(dtype=float).copy()
        lat = rows["lat"].to_numpy(dtype=float).copy()
        gps = ~(np.isnan(lon) | np.isnan(lat))
        level = np.full(len(rows), "none", dtype=object)
        score = np.full(len(rows), np.nan)
        address_id = np.full(len(rows), -1, dtype=np.int64)
        named_county = np.full(len(rows), None, dtype=object)

        texts = rows["address"].to_numpy(dtype=object)
        by_text = np.flatnonzero(~gps)
        if by_text.size:
            results = self.geocoder.geocode_many(texts[by_text].tolist())
            for position, result in zip(by_text, results, strict=True):
                level[position] = result.level
                score[position] = result.score
                named_county[position] = result.county_code
                if result.level in ON_GRID_LEVELS and result.lon is not None:
                    lon[position], lat[position] = result.lon, result.lat
                    if result.address_code in self.address_codes:
                        address_id[position] = self.address_codes[result.address_code]

        grid_id = self._grid_ids(self.grids.assign(lon, lat))
        gps_rows = np.flatnonzero(gps)
        if gps_rows.size:
            near = self._nearest_addresses(lon[gps_rows], lat[gps_rows])
            on_grid = grid_id[gps_rows] >= 0
            address_id[gps_rows] = np.where(on_grid, near, -1)
            level[gps_rows] = np.where(on_grid, np.where(near >= 0, "address", "village"), "none")
            score[gps_rows] = np.nan
        county = np.array(
            [
                self.grid_county.get(int(g), named)
                for g, named in zip(grid_id, named_county, strict=True)
            ],
            dtype=object,
        )
        return pd.DataFrame(
            {
                "lon": lon,
                "lat": lat,
                "grid_id": pd.Series(grid_id, index=rows.index, dtype="Int64").where(grid_id >= 0),
                "address_id": pd.Series(address_id, index=rows.index, dtype="Int64").where(
                    address_id >= 0
                ),
                "geocode_level": level,
                "geocode_score": score,
                "county_code": county,
            },
            index=rows.index,
        )


def version_of(*, session: Session) -> tuple:
    """Fingerprint of what a Locator is built from (addresses, units, facilities, grids)."""
    grids = session.execute(
        text("SELECT count(*), coalesce(max(id), 0) FROM grid WHERE valid_to IS NULL")
    ).one()
    return (*gazetteer_version(session=session), *grids)


class LocatorCache:
    """One Locator per process (the API), rebuilt when the underlying rows change."""

    def __init__(self, *, county: str | None = None) -> None:
        self.county = county
        self._locator: Locator | None = None
        self._lock = threading.Lock()

    def get(self, *, session: Session) -> Locator:
        """The current Locator, reloaded when its version moved."""
        version = version_of(session=session)
        with self._lock:
            if self._locator is None or self._locator.version != version:
                self._locator = Locator.load(session=session, county=self.county)
            return self._locator
