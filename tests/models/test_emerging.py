"""Emerging hot spot classes on constructed z-score series, and the Mann-Kendall test."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats

from models.emerging import EmergingHotSpots, mann_kendall

T = 10
HOT = 3.0  # a significant z
QUIET = 0.5


def series(hot_at=(), cold_at=(), base=QUIET, values=None):
    """A z series with the given periods significant hot or cold."""
    z = np.full(T, base) if values is None else np.asarray(values, float)
    sig = np.zeros(T, bool)
    for t in hot_at:
        z[t] = max(z[t], HOT) if values is None else z[t]
        sig[t] = True
    for t in cold_at:
        z[t] = -HOT
        sig[t] = True
    return z, sig


CASES = {
    "no pattern": series(),
    "new hot spot": series(hot_at=[9]),
    "consecutive hot spot": series(hot_at=[7, 8, 9]),
    "intensifying hot spot": series(hot_at=range(10), values=np.arange(10) + 2.0),
    "persistent hot spot": series(hot_at=range(10), values=[3, 4, 3, 4, 3, 4, 3, 4, 3, 4]),
    "diminishing hot spot": series(hot_at=range(10), values=12.0 - np.arange(10)),
    "sporadic hot spot": series(hot_at=[2, 5, 9]),
    "oscillating hot spot": series(hot_at=[4, 9], cold_at=[1]),
    "historical hot spot": series(hot_at=range(9)),
}


def _fit(cases):
    z = np.column_stack([c[0] for c in cases.values()])
    sig = np.column_stack([c[1] for c in cases.values()])
    return EmergingHotSpots().fit(z, sig)


def test_each_hot_class_on_a_constructed_series():
    labels = _fit(CASES).labels_
    assert dict(zip(CASES, labels, strict=True)) == {name: name for name in CASES}


def test_cold_classes_mirror_hot_ones():
    mirrored = {
        name.replace("hot spot", "cold spot"): (-z, sig) for name, (z, sig) in CASES.items()
    }
    labels = _fit(mirrored).labels_
    assert dict(zip(mirrored, labels, strict=True)) == {name: name for name in mirrored}


def test_a_cold_past_makes_a_final_hot_spot_oscillating_not_new():
    z, sig = series(hot_at=[9], cold_at=[3])
    assert EmergingHotSpots().fit(z[:, None], sig[:, None]).labels_[0] == "oscillating hot spot"


def test_mann_kendall_matches_kendall_tau_without_ties():
    rng = np.random.default_rng(1)
    x = rng.normal(size=25)
    z, p, tau = mann_kendall(x)
    ref = stats.kendalltau(np.arange(25), x)
    assert tau[0] == pytest.approx(ref.statistic)
    s = tau[0] * 25 * 24 / 2
    var = 25 * 24 * 55 / 18
    assert z[0] == pytest.approx((s - np.sign(s)) / np.sqrt(var))
    assert p[0] == pytest.approx(2 * stats.norm.sf(abs(z[0])))


def test_fit_counts_finds_a_growing_cluster():
    # A 5 × 5 rook grid; the centre block gets more events each period (synthetic).
    col, row = np.meshgrid(np.arange(5), np.arange(5))
    col, row = col.ravel(), row.ravel()
    from models.spatial import grid_adjacency

    adjacency = grid_adjacency(col, row, queen=True)
    assert isinstance(adjacency, sp.csr_matrix)
    counts = np.ones((12, 25))
    centre = (abs(col - 2) <= 1) & (abs(row - 2) <= 1)
    counts[:, centre] += np.arange(12)[:, None] * 2
    fit = EmergingHotSpots(fdr=False).fit_counts(counts, adjacency)
    assert fit.labels_[12] != "no pattern"
    assert fit.labels_[0] != fit.labels_[12]
