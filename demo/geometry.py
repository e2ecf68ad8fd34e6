"""Geometry helpers of the demo generator: a local metric frame and exact tilings.

The generator works in metres on a local equirectangular frame centred on the county (an affine
map of lon/lat, so shared vertices stay shared and the round trip is exact to ~1e-15), and turns
every result back into EPSG:4326 at the end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

# Results are snapped to a millimetre grid: overlays of near-degenerate Voronoi edges stay robust
# and neighbours still share identical vertices.
PRECISION_M = 1e-3


@dataclass(frozen=True)
class LocalFrame:
    """Affine lon/lat ↔ metres around (lon0, lat0)."""

    lon0: float
    lat0: float

    @classmethod
    def around(cls, geom: BaseGeometry) -> LocalFrame:
        """A frame centred on the centre of ``geom``'s bounding box."""
        minx, miny, maxx, maxy = geom.bounds
        return cls((minx + maxx) / 2, (miny + maxy) / 2)

    @property
    def scale(self) -> np.ndarray:
        phi = math.radians(self.lat0)
        per_deg_lat = 111_132.92 - 559.82 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)
        per_deg_lon = 111_412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi)
        return np.array([per_deg_lon, per_deg_lat])

    def to_local(self, geom):
        """Geometry (or array of geometries) from lon/lat to local metres."""
        origin, scale = np.array([self.lon0, self.lat0]), self.scale
        return shapely.transform(geom, lambda c: (c - origin) * scale)

    def to_lonlat(self, geom):
        """Geometry (or array of geometries) from local metres to lon/lat."""
        origin, scale = np.array([self.lon0, self.lat0]), self.scale
        return shapely.transform(geom, lambda c: c / scale + origin)

    def xy_to_lonlat(self, xy: np.ndarray) -> np.ndarray:
        """(n, 2) local metres → (n, 2) lon/lat."""
        return np.asarray(xy, dtype=float) / self.scale + np.array([self.lon0, self.lat0])

    def lonlat_to_xy(self, lonlat: np.ndarray) -> np.ndarray:
        """(n, 2) lon/lat → (n, 2) local metres."""
        return (np.asarray(lonlat, dtype=float) - np.array([self.lon0, self.lat0])) * self.scale


def as_multipolygon(geom: BaseGeometry) -> MultiPolygon:
    """Valid MultiPolygon from any polygonal result (drops stray lines and points)."""
    geom = shapely.make_valid(geom)
    polys = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]
    extra = [
        q
        for p in shapely.get_parts(geom)
        if isinstance(p, MultiPolygon)
        for q in shapely.get_parts(p)
    ]
    return MultiPolygon(polys + extra)


def voronoi_cells(points: np.ndarray, extent: BaseGeometry) -> np.ndarray:
    """Voronoi cells of ``points`` (no duplicates), in input order, covering ``extent``."""
    if len(points) == 1:
        return np.array([shapely.box(*extent.buffer(1.0).bounds)])
    diagram = shapely.voronoi_polygons(
        shapely.multipoints(points), extend_to=extent.buffer(1.0), ordered=True
    )
    cells = shapely.get_parts(diagram)
    if len(cells) != len(points):
        raise ValueError("duplicate seed points: Voronoi cells do not match the seeds")
    return cells


def _longest_border_owner(piece: BaseGeometry, owners: list[BaseGeometry], skip: int) -> int:
    best, best_len = -1, 0.0
    boundary = piece.boundary
    for j, other in enumerate(owners):
        if j == skip or other.is_empty or not other.intersects(piece.buffer(1e-6)):
            continue
        shared = shapely.length(shapely.intersection(boundary, other.buffer(1e-6)))
        if shared > best_len:
            best, best_len = j, shared
    return best


def make_contiguous(geoms: list[BaseGeometry], seeds: np.ndarray) -> list[BaseGeometry]:
    """Give every stray piece of a cell (one not holding its seed) to the neighbour it borders most.

    Voronoi cells clipped to a concave parent can fall apart; the pieces away from the seed are
    handed to the adjacent cell with the longest shared border. Pieces that border no other cell
    (an exclave) stay where they are. The union of all cells is unchanged.
    """
    geoms = list(geoms)
    for _ in range(3):
        moved = False
        for i, geom in enumerate(geoms):
            parts = list(shapely.get_parts(geom))
            if len(parts) < 2:
                continue
            seed = shapely.Point(seeds[i])
            dist = np.array([p.distance(seed) for p in parts])
            home = int(np.argmin(dist))
            keep = [parts[home]]
            for k, piece in enumerate(parts):
                if k == home:
                    continue
                owner = _longest_border_owner(piece, geoms, skip=i)
                if owner < 0:
                    keep.append(piece)
                    continue
                geoms[owner] = shapely.union(geoms[owner], piece)
                moved = True
            geoms[i] = shapely.union_all(keep)
        if not moved:
            break
    return geoms


def partition(parent: BaseGeometry, seeds: np.ndarray) -> list[MultiPolygon]:
    """Tile ``parent`` into one cell per seed: Voronoi inside each connected part.

    A part of the parent that holds no seed (an exclave) goes whole to the nearest seed. Cells are
    clipped to the parent, made contiguous and returned as valid MultiPolygons in seed order.
    """
    seeds = np.asarray(seeds, dtype=float)
    n = len(seeds)
    pieces: list[list[BaseGeometry]] = [[] for _ in range(n)]
    seed_points = shapely.points(seeds)
    for part in shapely.get_parts(parent):
        inside = np.flatnonzero(shapely.contains_xy(part, seeds[:, 0], seeds[:, 1]))
        if len(inside) == 0:
            pieces[int(np.argmin(shapely.distance(part, seed_points)))].append(part)
            continue
        cells = shapely.intersection(voronoi_cells(seeds[inside], part), part)
        for i, cell in zip(inside, cells, strict=True):
            pieces[i].append(cell)
    if any(not p for p in pieces):
        raise ValueError("every seed must lie inside the parent polygon")
    geoms = [shapely.union_all(p) for p in pieces]
    geoms = make_contiguous(geoms, seeds)
    return [as_multipolygon(shapely.set_precision(g, PRECISION_M)) for g in geoms]


def random_points_in(
    geom: BaseGeometry, n: int, rng: np.random.Generator, max_rounds: int = 50
) -> np.ndarray:
    """``n`` uniform random points inside ``geom`` (rejection sampling on its bounding box)."""
    minx, miny, maxx, maxy = geom.bounds
    out = np.empty((0, 2))
    shapely.prepare(geom)
    for _ in range(max_rounds):
        if len(out) >= n:
            break
        cand = np.column_stack(
            [rng.uniform(minx, maxx, 4 * n + 16), rng.uniform(miny, maxy, 4 * n + 16)]
        )
        out = np.vstack([out, cand[shapely.contains_xy(geom, cand[:, 0], cand[:, 1])]])
    if len(out) < n:
        raise ValueError("could not place random points inside a polygon")
    return out[:n]
