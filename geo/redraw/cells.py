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

from core.crs import utm_epsg

# Shared edges shorter than this (degrees, about 1 cm) are numerical noise, not adjacency.
MIN_SHARED_EDGE_DEG = 1e-7
# Points outside their village are pulled this far (metres) inside it before building cells.
INSIDE_MARGIN_M = 0.5
# Mean length of a degree of latitude (and of longitude at the equator), metres.
METRES_PER_DEGREE = 111_195.0


@dataclass(frozen=True)
class VillageCells:
    """The units of one village: where they are, what they weigh, their cells and neighbours.

    ``unit_of_address[i]`` is the unit of input address ``i``; ``xy`` are unit coordinates in
    metres (``epsg``); ``cells`` are EPSG:4326 polygons tiling ``village``; ``neighbours[u]`` is
    a sorted array of the units adjacent to ``u`` and ``shared_m[u]`` the boundary length
    (metres) it shares with each.
    """

    village: BaseGeometry
    epsg: int
    unit_of_address: np.ndarray
    xy: np.ndarray
    weight: np.ndarray
    cells: np.ndarray
    neighbours: list[np.ndarray]
    shared_m: list[np.ndarray] | None = None

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
    neighbours, shared = _adjacency(cells, xy)
    return VillageCells(village, epsg, unit_of_address, xy, weight, cells, neighbours, shared)


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
    cells = geoms_to_lonlat(cells_m, epsg)
    # Only cells that cross the village outline need the (costly) overlay with it.
    shapely.prepare(village)
    crossing = ~shapely.contains_properly(village, cells)
    cells[crossing] = shapely.intersection(cells[crossing], village)
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
    result = cells.copy()
    mixed = shapely.get_type_id(cells) != 3
    result[mixed] = [_polygonal(c) for c in cells[mixed]]
    stray = np.setdiff1d(np.arange(len(parts)), main_index[main_index >= 0])
    if len(stray) == 0:
        return result
    mains = {u: [parts[main_index[u]]] for u in range(n) if main_index[u] >= 0}
    owner_of_main = np.array(sorted(mains))
    pending = [parts[i] for i in stray]
    # A stray piece joins the cell it shares most boundary with; pieces that only touch other
    # stray pieces wait for those to be placed; what touches nothing goes to the nearest cell.
    while pending:
        current = np.array(
            [m[0] if len(m) == 1 else shapely.union_all(m) for m in map(mains.get, owner_of_main)],
            dtype=object,
        )
        tree = shapely.STRtree(current)
        left = []
        for piece in pending:
            hits = tree.query(piece, predicate="intersects")
            shared = (
                shapely.length(
                    shapely.intersection(shapely.boundary(current[hits]), piece.boundary)
                )
                if len(hits)
                else np.zeros(0)
            )
            if len(hits) and shared.max() > MIN_SHARED_EDGE_DEG:
                mains[owner_of_main[hits[int(np.argmax(shared))]]].append(piece)
            else:
                left.append(piece)
        if len(left) == len(pending):
            for piece in left:
                nearest = int(np.argmin(shapely.distance(current, piece)))
                mains[owner_of_main[nearest]].append(piece)
            break
        pending = left
    for u, pieces in mains.items():
        result[u] = pieces[0] if len(pieces) == 1 else _polygonal(shapely.union_all(pieces))
    for u in range(n):
        if main_index[u] < 0:
            result[u] = shapely.Polygon()
    return result


def _adjacency(cells: np.ndarray, xy: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Units whose cells share a boundary segment, and the length (metres) they share.

    Neighbouring Voronoi cells carry the very same vertices along their common edge (also
    where both were cut by the village outline), so shared edges are found by matching ring
    segments exactly, without any overlay. A pair whose vertices differ in the last bit would
    be missed, which can only make the graph sparser, never join cells that do not touch.
    Units joined only to bridge the pieces of a village share length 0.
    """
    n = len(cells)
    if n == 1:
        return [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
    parts, owner = shapely.get_parts(cells, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    same_ring = (ring_of[:-1] == ring_of[1:]) & (coords[:-1] != coords[1:]).any(axis=1)
    a, b = coords[:-1][same_ring], coords[1:][same_ring]
    cell_of = owner[ring_part[ring_of[:-1][same_ring]]]
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo = np.where(swap[:, None], b, a)
    hi = np.where(swap[:, None], a, b)
    # Lengths in metres from degrees, at each segment's latitude (good to a fraction of 1 %).
    span = hi - lo
    metres = np.hypot(
        span[:, 0] * METRES_PER_DEGREE * np.cos(np.radians((lo[:, 1] + hi[:, 1]) / 2)),
        span[:, 1] * METRES_PER_DEGREE,
    )
    keys = np.ascontiguousarray(np.hstack([lo, hi])).view(np.dtype((np.void, 32))).ravel()
    _, seg = np.unique(keys, return_inverse=True)
    order = np.lexsort((cell_of, seg.ravel()))
    seg, cell_of, metres = seg.ravel()[order], cell_of[order], metres[order]
    pair = (seg[:-1] == seg[1:]) & (cell_of[:-1] != cell_of[1:])
    left, right, length = cell_of[:-1][pair], cell_of[1:][pair], metres[:-1][pair]
    touching = len(left)
    left, right = _bridge_components(n, left, right, xy)
    length = np.concatenate([length, np.zeros(len(left) - touching)])
    src = np.concatenate([left, right])
    dst = np.concatenate([right, left])
    both = np.concatenate([length, length])
    keys = src * n + dst
    unique_keys, inverse = np.unique(keys, return_inverse=True)
    total = np.bincount(inverse.ravel(), weights=both, minlength=len(unique_keys))
    src, dst = unique_keys // n, unique_keys % n
    bounds = np.searchsorted(src, np.arange(n + 1))
    neighbours = [dst[bounds[u] : bounds[u + 1]].astype(np.int64) for u in range(n)]
    shared = [total[bounds[u] : bounds[u + 1]] for u in range(n)]
    return neighbours, shared


def _adjacency_by_overlay(cells: np.ndarray) -> set[tuple[int, int]]:
    """Pairs of cells sharing a boundary of positive length, by overlay (slow; for checks)."""
    tree = shapely.STRtree(cells)
    left, right = tree.query(cells, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.length(
        shapely.intersection(shapely.boundary(cells[left]), shapely.boundary(cells[right]))
    )
    edge = shared > MIN_SHARED_EDGE_DEG
    return set(zip(left[edge].tolist(), right[edge].tolist(), strict=True))


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


def dissolve(cells: np.ndarray) -> BaseGeometry:
    """Union of cells that tile an area (a coverage): the fast coverage union when it gives the
    same area, the general overlay otherwise."""
    if len(cells) == 1:
        return cells[0]
    merged = shapely.coverage_union_all(cells)
    total = float(shapely.area(cells).sum())
    if shapely.is_valid(merged) and abs(merged.area - total) <= 1e-9 * max(total, 1e-30):
        return merged
    return shapely.union_all(cells)
