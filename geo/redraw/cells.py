"""Units of a redraw and their cells: address points → Voronoi cells that tile the village.

A unit is one location holding households: addresses at the same point are one unit (Voronoi
needs distinct sites). Each unit gets the Voronoi cell of its point, built in a metric CRS,
taken back to EPSG:4326 and clipped to the village there, so the cells end exactly on the
village boundary as stored. A clipped cell that falls apart in a concave village keeps the part
holding its point; the stray parts join the neighbouring cell they share most boundary with, so
the cells still tile the village with no gaps or overlaps. Two units are neighbours when their
cells share a boundary of positive length, which makes any connected set of units dissolve into
one polygon.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
import shapely.ops
from pyproj import Transformer
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from geo.crs import utm_epsg

# Shared edges shorter than this (degrees, about 1 cm) are numerical noise, not adjacency.
MIN_SHARED_EDGE_DEG = 1e-7
# Points outside their village are pulled this far (metres) inside it before building cells.
INSIDE_MARGIN_M = 0.5


@dataclass(frozen=True)
class VillageCells:
    """The units of one village: where they are, what they weigh, their cells and neighbours.

    ``unit_of_address[i]`` is the unit of input address ``i``; ``xy`` are unit coordinates in
    metres (``epsg``); ``cells`` are EPSG:4326 polygons tiling ``village``; ``neighbours[u]`` is
    a sorted array of the units adjacent to ``u``.
    """

    village: BaseGeometry
    epsg: int
    unit_of_address: np.ndarray
    xy: np.ndarray
    weight: np.ndarray
    cells: np.ndarray
    neighbours: list[np.ndarray]

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.weight)


@cache
def _transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def to_metric(lon: np.ndarray, lat: np.ndarray, epsg: int) -> np.ndarray:
    """EPSG:4326 lon/lat → (n, 2) metric coordinates in ``epsg``."""
    x, y = _transformer(4326, epsg).transform(np.asarray(lon), np.asarray(lat))
    return np.column_stack([x, y])


def geoms_to_metric(geoms: np.ndarray, epsg: int) -> np.ndarray:
    """Reproject EPSG:4326 shapely geometries to ``epsg`` (vectorised)."""
    tr = _transformer(4326, epsg)
    return shapely.transform(geoms, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


def geoms_to_lonlat(geoms: np.ndarray, epsg: int) -> np.ndarray:
    """Reproject shapely geometries in ``epsg`` back to EPSG:4326 (vectorised)."""
    tr = _transformer(epsg, 4326)
    return shapely.transform(geoms, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


def build_cells(
    *, village: BaseGeometry, points: np.ndarray, households: np.ndarray, epsg: int | None = None
) -> VillageCells:
    """Units, cells and adjacency for the address ``points`` (EPSG:4326) of one ``village``.

    ``households`` gives each address's households; addresses at one location are summed.
    """
    points = np.asarray(points, dtype=object)
    if len(points) == 0:
        raise ValueError("a village needs at least one address point to be redrawn")
    village = shapely.make_valid(village)
    if epsg is None:
        c = village.centroid
        epsg = utm_epsg(c.x, c.y)
    lonlat = shapely.get_coordinates(points)
    xy_all = to_metric(lonlat[:, 0], lonlat[:, 1], epsg)
    village_m = geoms_to_metric(np.array([village]), epsg)[0]
    xy_all = _pull_inside(xy_all, village_m)

    # Addresses closer than a centimetre are one unit.
    key = np.round(xy_all, 2)
    _, first, unit_of_address = np.unique(key, axis=0, return_index=True, return_inverse=True)
    unit_of_address = unit_of_address.ravel()
    xy = xy_all[first]
    weight = np.bincount(unit_of_address, weights=np.asarray(households, float), minlength=len(xy))

    cells = _clipped_cells(xy, village, village_m, epsg)
    neighbours = _adjacency(cells, xy)
    return VillageCells(village, epsg, unit_of_address, xy, weight, cells, neighbours)


def _pull_inside(xy: np.ndarray, village_m: BaseGeometry) -> np.ndarray:
    pts = shapely.points(xy)
    outside = ~shapely.contains(village_m, pts)
    if not outside.any():
        return xy
    inner = village_m.buffer(-INSIDE_MARGIN_M)
    if inner.is_empty:
        inner = village_m
    moved = xy.copy()
    for i in np.flatnonzero(outside):
        _, nearest = shapely.ops.nearest_points(pts[i], inner)
        moved[i] = (nearest.x, nearest.y)
    return moved


def _clipped_cells(
    xy: np.ndarray, village: BaseGeometry, village_m: BaseGeometry, epsg: int
) -> np.ndarray:
    n = len(xy)
    if n == 1:
        return np.array([village], dtype=object)
    minx, miny, maxx, maxy = village_m.bounds
    pad = max(maxx - minx, maxy - miny) + 1000.0
    frame = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    sites = shapely.multipoints(xy)
    cells_m = shapely.get_parts(shapely.voronoi_polygons(sites, extend_to=frame, ordered=True))
    if len(cells_m) != n:
        raise ValueError(f"Voronoi diagram gave {len(cells_m)} cells for {n} distinct points")
    cells = shapely.intersection(geoms_to_lonlat(cells_m, epsg), village)
    lonlat = geoms_to_lonlat(shapely.points(xy), epsg)
    return _absorb_stray_parts(cells, lonlat)


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygons of an overlay result (drops stray lines and points)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _absorb_stray_parts(cells: np.ndarray, sites: np.ndarray) -> np.ndarray:
    parts, owner = shapely.get_parts(cells, return_index=True)
    keep = shapely.get_type_id(parts) == 3  # polygons only
    parts, owner = parts[keep], owner[keep]
    n = len(cells)
    # The main part of each cell is the one holding its site (else the nearest one).
    dist = shapely.distance(parts, sites[owner])
    order = np.lexsort((dist, owner))
    main_index = np.full(n, -1)
    seen = np.zeros(n, bool)
    for i in order:
        if not seen[owner[i]]:
            seen[owner[i]] = True
            main_index[owner[i]] = i
    result = np.array([_polygonal(c) for c in cells], dtype=object)
    stray = np.setdiff1d(np.arange(len(parts)), main_index[main_index >= 0])
    if len(stray) == 0:
        return result
    mains = {u: [parts[main_index[u]]] for u in range(n) if main_index[u] >= 0}
    main_ids = np.array(sorted(mains))
    main_geoms = np.array([parts[main_index[u]] for u in main_ids], dtype=object)
    tree = shapely.STRtree(main_geoms)
    for i in stray:
        piece = parts[i]
        hits = tree.query(piece, predicate="intersects")
        if len(hits):
            shared = shapely.length(
                shapely.intersection(shapely.boundary(main_geoms[hits]), piece.boundary)
            )
            best = main_ids[hits[int(np.argmax(shared))]]
        else:
            best = main_ids[int(np.argmin(shapely.distance(main_geoms, piece)))]
        mains[best].append(piece)
    for u, pieces in mains.items():
        if len(pieces) > 1:
            result[u] = _polygonal(shapely.union_all(pieces))
    for u in range(n):
        if main_index[u] < 0:
            result[u] = shapely.Polygon()
    return result


def _adjacency(cells: np.ndarray, xy: np.ndarray) -> list[np.ndarray]:
    n = len(cells)
    if n == 1:
        return [np.zeros(0, dtype=np.int64)]
    tree = shapely.STRtree(cells)
    left, right = tree.query(cells, predicate="intersects")
    pair = left < right
    left, right = left[pair], right[pair]
    shared = shapely.length(
        shapely.intersection(shapely.boundary(cells[left]), shapely.boundary(cells[right]))
    )
    edge = shared > MIN_SHARED_EDGE_DEG
    left, right = left[edge], right[edge]
    left, right = _bridge_components(n, left, right, xy)
    src = np.concatenate([left, right])
    dst = np.concatenate([right, left])
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    bounds = np.searchsorted(src, np.arange(n + 1))
    return [np.unique(dst[bounds[u] : bounds[u + 1]]) for u in range(n)]


def _bridge_components(
    n: int, left: np.ndarray, right: np.ndarray, xy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Join graph components (a village in several pieces) by their closest pair of units."""

    while True:
        graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n))
        count, comp = connected_components(graph, directed=False)
        if count <= 1:
            return left, right
        inside = np.flatnonzero(comp == comp[0])
        outside = np.flatnonzero(comp != comp[0])
        dist, nearest = cKDTree(xy[inside]).query(xy[outside])
        k = int(np.argmin(dist))
        left = np.append(left, inside[nearest[k]])
        right = np.append(right, outside[k])
