"""Spatial weights for units given as square-grid cells or as centroids (pure, scipy.sparse)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

__all__ = ["distance_weights", "grid_adjacency", "row_normalise"]


def grid_adjacency(col: np.ndarray, row: np.ndarray, *, queen: bool = True) -> sp.csr_matrix:
    """Binary contiguity (no self) between square cells given by integer column/row indices.

    Queen contiguity links the 8 surrounding cells, rook only the 4 sharing an edge. Only cells in
    the list are linked, so a study area with holes gets no links across the holes.
    """
    col = np.asarray(col, dtype=np.int64)
    row = np.asarray(row, dtype=np.int64)
    n = col.size
    span = int(col.max() - col.min() + 3) if n else 1
    key = (row - row.min() + 1) * span + (col - col.min() + 1)
    order = np.argsort(key)
    sorted_keys = key[order]
    offsets = [(-1, 0), (1, 0), (0, -1), (0, 1)]
    if queen:
        offsets += [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    sources, targets = [], []
    for dr, dc in offsets:
        wanted = key + dr * span + dc
        pos = np.searchsorted(sorted_keys, wanted)
        pos = np.clip(pos, 0, max(n - 1, 0))
        found = sorted_keys[pos] == wanted
        sources.append(np.nonzero(found)[0])
        targets.append(order[pos[found]])
    i = np.concatenate(sources)
    j = np.concatenate(targets)
    return sp.csr_matrix((np.ones(i.size), (i, j)), shape=(n, n))


def distance_weights(
    x: np.ndarray,
    y: np.ndarray,
    *,
    radius: float,
    kernel: Callable[[np.ndarray], np.ndarray],
) -> sp.csr_matrix:
    """Sparse weights ``kernel(d)`` for all pairs (self included, d = 0) closer than ``radius``."""
    points = np.column_stack([np.asarray(x, float), np.asarray(y, float)])
    tree = cKDTree(points)
    pairs = tree.sparse_distance_matrix(tree, radius, output_type="coo_matrix")
    n = points.shape[0]
    i = np.concatenate([pairs.row, np.arange(n)])
    j = np.concatenate([pairs.col, np.arange(n)])
    d = np.concatenate([pairs.data, np.zeros(n)])
    keep = (i != j) | (np.arange(i.size) >= pairs.row.size)
    return sp.csr_matrix((kernel(d[keep]), (i[keep], j[keep])), shape=(n, n))


def row_normalise(weights: sp.spmatrix) -> sp.csr_matrix:
    """Rows summing to one (rows without neighbours stay zero)."""
    w = sp.csr_matrix(weights, dtype=np.float64)
    sums = np.asarray(w.sum(axis=1)).ravel()
    scale = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
    return sp.diags(scale) @ w
