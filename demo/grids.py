"""Grids (网格) and ten-household groups (联防组) built from the address points.

Inside each village the addresses are clustered by weighted k-means (weights = houses) into the
village's number of grids, and each grid's addresses again into its groups. Every address owns
its Voronoi cell clipped to the village; a group is the union of its addresses' cells and a grid
the union of its groups, so groups tile grids and grids tile villages exactly, and every address
lies inside its own group, grid and village.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from demo.geometry import PRECISION_M, as_multipolygon, voronoi_cells


def weighted_kmeans(
    points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator, iters: int = 30
) -> np.ndarray:
    """Labels 0..k-1 of a weighted k-means (k-means++ start, Lloyd steps); no cluster is empty."""
    n = len(points)
    if k >= n:
        return np.arange(n)
    if k == 1:
        return np.zeros(n, dtype=np.int64)
    w = np.asarray(weights, dtype=float)
    centres = [points[rng.choice(n, p=w / w.sum())]]
    d2 = ((points - centres[0]) ** 2).sum(1)
    for _ in range(1, k):
        p = d2 * w
        idx = rng.choice(n, p=p / p.sum()) if p.sum() > 0 else int(rng.integers(n))
        centres.append(points[idx])
        d2 = np.minimum(d2, ((points - points[idx]) ** 2).sum(1))
    c = np.array(centres)
    labels = np.full(n, -1)
    for _ in range(iters):
        dist = ((points[:, None, :] - c[None, :, :]) ** 2).sum(-1)
        new = dist.argmin(1)
        counts = np.bincount(new, minlength=k)
        for empty in np.flatnonzero(counts == 0):
            far = int(dist[np.arange(n), new].argmax())
            new[far] = empty
            dist[far] = 0.0
            counts = np.bincount(new, minlength=k)
        if np.array_equal(new, labels):
            break
        labels = new
        sums = np.zeros((k, 2))
        np.add.at(sums, labels, points * w[:, None])
        c = sums / np.bincount(labels, weights=w, minlength=k)[:, None]
    return labels


def order_north_west(points: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Renumber cluster labels so that sequence numbers run from north-west to south-east."""
    centroid = np.array([points[labels == j].mean(0) for j in range(k)])
    # bands of 1 km from north to south, west to east inside a band
    rank = np.lexsort((centroid[:, 0], -np.floor(centroid[:, 1] / 1000.0)))
    new_of_old = np.empty(k, dtype=np.int64)
    new_of_old[rank] = np.arange(k)
    return new_of_old[labels]


def separate(
    points: np.ndarray, village: BaseGeometry, rng: np.random.Generator, min_gap: float = 3.0
) -> np.ndarray:
    """Nudge addresses closer than ``min_gap`` metres apart (keeps Voronoi cells well shaped)."""
    points = points.copy()
    for _ in range(20):
        pairs = cKDTree(points).query_pairs(min_gap, output_type="ndarray")
        if len(pairs) == 0:
            return points
        movers = np.unique(pairs[:, 1])
        angle = rng.uniform(0, 2 * np.pi, len(movers))
        moved = points[movers] + 2 * min_gap * np.column_stack([np.cos(angle), np.sin(angle)])
        ok = shapely.contains_xy(village, moved[:, 0], moved[:, 1])
        points[movers[ok]] = moved[ok]
    raise ValueError("could not separate address points")


def address_cells(points: np.ndarray, village: BaseGeometry) -> np.ndarray:
    """Voronoi cell of every address clipped to its village (the cells tile the village)."""
    # GEOS may emit a cell with a near-duplicate vertex (a zero-width bow tie): repair, then snap
    cells = shapely.make_valid(
        voronoi_cells(points, village), method="structure", keep_collapsed=False
    )
    cells = shapely.set_precision(cells, PRECISION_M)
    shapely.prepare(village)
    inside = shapely.contains(village, cells)
    cells[~inside] = shapely.intersection(cells[~inside], village, grid_size=PRECISION_M)
    return cells


def dissolve(cells: np.ndarray, labels: np.ndarray, k: int) -> list:
    """Union of cells per label 0..k-1, as valid MultiPolygons."""
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(k + 1))
    return [
        as_multipolygon(shapely.coverage_union_all(cells[order[bounds[j] : bounds[j + 1]]]))
        for j in range(k)
    ]


def clean_coverage(geoms: list) -> list:
    """Make a tiling edge-matched: shared edges get identical vertices, slivers are merged.

    Voronoi cells clipped level by level leave T-junctions (a vertex of one polygon lying on an
    edge of its neighbour). They are harmless in the plane where they were made but open
    centimetre slivers once vertices are reprojected (to UTM, say); GEOS's coverage cleaner
    nodes them away.
    """
    cleaned = shapely.coverage_clean(
        np.asarray(geoms, dtype=object), gap_width=0.01, snapping_distance=PRECISION_M
    )
    return [as_multipolygon(g) for g in cleaned]


def union_by(geoms: list, keys: list, order: list) -> list:
    """Coverage union of ``geoms`` grouped by ``keys``, returned in the order of ``order``."""
    buckets: dict = {}
    for g, k in zip(geoms, keys, strict=True):
        buckets.setdefault(k, []).append(g)
    return [as_multipolygon(shapely.coverage_union_all(buckets[k])) for k in order]
