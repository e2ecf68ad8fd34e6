"""Blocks: the settlements a redraw moves whole, and the units inside them.

A redraw partitions blocks rather than single address points: every settlement
(:func:`geo.redraw.shapes.settlements`) holding no more than ``limit`` households is one block,
so no grid boundary runs through it; a larger settlement is cut at its own widest gaps (the
same single linkage with shorter and shorter distances) into pieces of at most ``limit``, and
only where no gap is left do its address points become blocks of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from geo.redraw.groups import _majority
from geo.redraw.shapes import SETTLEMENT_GAP_M

# Shorter and shorter gaps (metres) at which a settlement too large for one grid is cut.
INNER_GAPS_M = (100.0, 60.0, 35.0, 20.0)


@dataclass(frozen=True)
class Blocks:
    """``block_of_unit[u]``; per block its households, centre, neighbours, shared boundary
    (metres) with each, and its current grid (majority of its units, ``-1`` when none)."""

    block_of_unit: np.ndarray
    weight: np.ndarray
    xy: np.ndarray
    neighbours: list[np.ndarray]
    shared_m: list[np.ndarray]
    initial: np.ndarray

    @property
    def n_blocks(self) -> int:
        """Number of blocks."""
        return len(self.weight)


def _components(n: int, src: np.ndarray, dst: np.ndarray, keep: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(int(keep.sum())), (src[keep], dst[keep])), shape=(n, n))
    return connected_components(graph, directed=False)[1].astype(np.int64)


def block_labels(
    xy: np.ndarray,
    neighbours: list[np.ndarray],
    weight: np.ndarray,
    initial: np.ndarray,
    *,
    limit: float,
    inner_limit: float,
) -> np.ndarray:
    """Block of each unit: settlements of at most ``limit`` households whole; larger ones cut
    along their current grid boundaries, then at their widest gaps, into pieces of at most
    ``inner_limit`` (single units where no gap is left)."""
    n = len(weight)
    sizes = [len(v) for v in neighbours]
    src = np.repeat(np.arange(n), sizes)
    dst = np.concatenate(neighbours).astype(np.int64) if sum(sizes) else src[:0]
    distance = np.hypot(*(xy[src] - xy[dst]).T)
    label = _components(n, src, dst, distance <= SETTLEMENT_GAP_M)
    big = (np.bincount(label, weights=weight) > limit)[label]
    same_grid = initial[src] == initial[dst]
    keep = (distance <= SETTLEMENT_GAP_M) & (~big[src] | same_grid)
    label = _components(n, src, dst, keep)
    for gap in (*INNER_GAPS_M, 0.0):
        piece_big = big & (np.bincount(label, weights=weight) > inner_limit)[label]
        if not piece_big.any():
            break
        keep = keep & (~piece_big[src] | (distance <= gap))
        label = _components(n, src, dst, keep)
    _, label = np.unique(label, return_inverse=True)
    return label.ravel().astype(np.int64)


def make_blocks(
    *,
    xy: np.ndarray,
    neighbours: list[np.ndarray],
    shared_m: list[np.ndarray],
    weight: np.ndarray,
    initial: np.ndarray,
    limit: float,
    inner_limit: float,
) -> Blocks:
    """The blocks of a village's units and the graph between them (see :func:`block_labels`)."""
    block = block_labels(
        xy, neighbours, weight, np.asarray(initial), limit=limit, inner_limit=inner_limit
    )
    k = int(block.max()) + 1
    load = np.bincount(block, weights=weight, minlength=k)
    w = weight + 1e-3
    wsum = np.bincount(block, weights=w, minlength=k)
    centre = np.column_stack(
        [np.bincount(block, weights=w * xy[:, i], minlength=k) / wsum for i in (0, 1)]
    )
    sizes = [len(v) for v in neighbours]
    src = block[np.repeat(np.arange(len(neighbours)), sizes)]
    dst = block[np.concatenate(neighbours).astype(np.int64)] if sum(sizes) else src[:0]
    length = np.concatenate(shared_m) if sum(sizes) else np.zeros(0)
    cross = src != dst
    keys, inverse = np.unique(src[cross] * k + dst[cross], return_inverse=True)
    total = np.bincount(inverse.ravel(), weights=length[cross], minlength=len(keys))
    a, b = keys // k, keys % k
    bounds = np.searchsorted(a, np.arange(k + 1))
    nb = [b[bounds[i] : bounds[i + 1]].astype(np.int64) for i in range(k)]
    shared = [total[bounds[i] : bounds[i + 1]] for i in range(k)]
    start = _majority(np.asarray(initial, np.int64), block, weight, k)
    return Blocks(block, load, centre, nb, shared, start)
