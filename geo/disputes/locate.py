"""Where an incoming record lies: its point, grid, standard address and geocode level.

Two sources, in this order:

- **GPS** (lon/lat, already WGS84 after :mod:`geo.disputes.columns`): the grid from the
  in-memory :class:`geo.places.assign.GridIndex`, the nearest standard address within 100 m from an
  STRtree over the county's addresses. Level ``address`` when such an address exists, else
  ``village`` when the point is on a grid, else ``none`` (outside every grid: kept, with its
  point, and listed as needing a location). This follows :mod:`geo.geocode.gps`.
- **text** (no GPS): :class:`geo.geocode.match.Geocoder`. The grid is the one the result
  carries, and a result carries one only when its evidence places the case in one grid
  (an address, a building, neighbours or a group within one grid). A village-level result
  keeps the village centre as its point but gets no grid; a township or county result is too
  coarse for a point (it would pile cases on the township centre and make false hotspots).
  Either way the record is routed to its village or township (``location_admin_code``),
  listed as needing a location and marked 位置待核实 (``location_check``), with the reason,
  the candidates and any conflict between the text's parts.
- **both**: the GPS placement is kept; when the text names another village or township
  than the one the fix lies in, a ``gps`` conflict is recorded with the distance between
  the text's place and the fix, and the case is marked 位置待核实 too.

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

from geo.database.sqlfiles import sql
from geo.geocode.match import Geocoder
from geo.geocode.result import Conflict, GeocodeResult
from geo.geocode.store import gazetteer_version, load_gazetteer
from geo.places.assign import GridIndex

NEAR_ADDRESS_M = 100.0
POINT_LEVELS = ("address", "address_near", "group", "village")
_METRES_PER_DEGREE = 111_320.0


@dataclass
class Locator:
    """Grids, addresses and the geocoder of one county (or all) in memory."""

    grids: GridIndex
    grid_county: dict[int, str]
    grid_units: dict[int, tuple[str | None, str | None]]
    grid_ids: dict[str, int]
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
        grid_rows = session.execute(sql("locate_grid_units"), {"county": county}).all()
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
            grid_county={r.id: r.county_code for r in grid_rows},
            grid_units={r.id: (r.village_code, r.township_code) for r in grid_rows},
            grid_ids={r.code: r.id for r in grid_rows},
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
        """Columns lon, lat, grid_id, address_id, geocode_level, geocode_score, county_code,
        location_admin_code and location_check (None, or a dict: see the module docstring)."""
        lon = rows["lon"].to_numpy(dtype=float).copy()
        lat = rows["lat"].to_numpy(dtype=float).copy()
        gps = ~(np.isnan(lon) | np.isnan(lat))
        level = np.full(len(rows), "none", dtype=object)
        score = np.full(len(rows), np.nan)
        address_id = np.full(len(rows), -1, dtype=np.int64)
        grid_id = np.full(len(rows), -1, dtype=np.int64)
        named_county = np.full(len(rows), None, dtype=object)
        admin_code = np.full(len(rows), None, dtype=object)
        check = np.full(len(rows), None, dtype=object)

        texts = rows["address"].to_numpy(dtype=object)
        has_text = np.array([isinstance(t, str) and bool(t.strip()) for t in texts], dtype=bool)
        by_text = np.flatnonzero(~gps | has_text)
        results: dict[int, GeocodeResult] = {}
        if by_text.size:
            found = self.geocoder.geocode_many(texts[by_text].tolist())
            results = dict(zip(by_text.tolist(), found, strict=True))
        for position in np.flatnonzero(~gps):
            result = results[position]
            level[position] = result.level
            score[position] = result.score
            named_county[position] = result.county_code
            if result.level in POINT_LEVELS and result.lon is not None:
                lon[position], lat[position] = result.lon, result.lat
            if result.address_code in self.address_codes:
                address_id[position] = self.address_codes[result.address_code]
            grid_id[position] = self.grid_ids.get(result.grid_code, -1)
            if grid_id[position] < 0:
                admin_code[position] = result.village_code or result.township_code
            if result.unverified or grid_id[position] < 0:
                check[position] = location_check(result)

        gps_rows = np.flatnonzero(gps)
        if gps_rows.size:
            grid_id[gps_rows] = self._grid_ids(self.grids.assign(lon[gps_rows], lat[gps_rows]))
            near = self._nearest_addresses(lon[gps_rows], lat[gps_rows])
            on_grid = grid_id[gps_rows] >= 0
            address_id[gps_rows] = np.where(on_grid, near, -1)
            level[gps_rows] = np.where(on_grid, np.where(near >= 0, "address", "village"), "none")
            score[gps_rows] = np.nan
            for position in gps_rows:
                if position in results and grid_id[position] >= 0:
                    conflict = self._gps_conflict(
                        results[position], int(grid_id[position]), lon[position], lat[position]
                    )
                    if conflict is not None:
                        check[position] = location_check(results[position], [conflict])
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
                "location_admin_code": admin_code,
                "location_check": check,
            },
            index=rows.index,
        )

    def _gps_conflict(
        self, result: GeocodeResult, grid_id: int, lon: float, lat: float
    ) -> Conflict | None:
        """A ``gps`` conflict when the text names another village or township than the fix."""
        village, township = self.grid_units.get(grid_id, (None, None))
        units = self.geocoder.gazetteer
        if result.village_code and village and result.village_code != village:
            named, actual = units.unit(result.village_code), units.unit(village)
        elif result.township_code and township and result.township_code != township:
            named, actual = units.unit(result.township_code), units.unit(township)
        else:
            return None
        named_name = named.short if named else result.village_code or result.township_code
        actual_name = actual.short if actual else village or township
        distance = None
        if result.lon is not None and result.lat is not None:
            dx = (result.lon - lon) * np.cos(np.radians(lat))
            distance = round(float(np.hypot(dx, result.lat - lat) * _METRES_PER_DEGREE))
        far = f"，相距约 {distance} 米" if distance is not None else ""
        far_en = f", about {distance} m apart" if distance is not None else ""
        return Conflict(
            kind="gps",
            named=named_name,
            matched=actual_name,
            distance_m=distance,
            message=(
                f"文字写的是{named_name}，GPS 位于{actual_name}{far}（按 GPS 定位） / "
                f"the text names {named_name}, the GPS fix lies in {actual_name}{far_en} "
                "(placed by GPS)"
            ),
        )


def location_check(result: GeocodeResult, conflicts: list[Conflict] | None = None) -> dict:
    """What a case keeps about an uncertain location: 位置待核实, why, conflicts, candidates."""
    conflicts = [*result.conflicts, *(conflicts or [])]
    return {
        "unverified": True,
        "status": "位置待核实",
        "level": result.level,
        "reason": result.reason,
        "standard_address": result.standard_address,
        "conflicts": [
            {
                "kind": c.kind,
                "message": c.message,
                "named": c.named,
                "matched": c.matched,
                "distance_m": c.distance_m,
            }
            for c in conflicts
        ],
        "candidates": [
            {
                "code": c.code,
                "name": c.name,
                "township": c.township,
                "level": c.level,
                "grid_code": c.grid_code,
                "score": c.score,
            }
            for c in result.candidates
        ],
    }


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
