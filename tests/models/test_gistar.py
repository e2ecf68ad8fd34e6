"""Gi* against PySAL esda on real incident cells, and the FDR procedure on a textbook case."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from esda.getisord import G_Local
from libpysal.weights import WSP

from models.gistar import GiStar, benjamini_hochberg, gi_star_z, with_self_weights


def test_gi_star_equals_esda_binary_star_on_nyc_cells(nyc_cells):
    adjacency = nyc_cells["adjacency"]
    assert adjacency.nnz > 0
    w = WSP(sp.csr_matrix(adjacency)).to_W(silence_warnings=True)
    reference = G_Local(nyc_cells["counts"], w, transform="B", star=True, permutations=0)
    ours = GiStar(fdr=False).fit(nyc_cells["counts"], adjacency)
    assert np.max(np.abs(ours.z_ - reference.Zs)) < 1e-6


def test_gi_star_scores_many_columns_like_one_at_a_time(nyc_cells):
    w_star = with_self_weights(nyc_cells["adjacency"])
    y = nyc_cells["counts"]
    stacked = gi_star_z(np.column_stack([y, y[::-1]]), w_star)
    np.testing.assert_allclose(stacked[:, 0], gi_star_z(y, w_star))
    np.testing.assert_allclose(stacked[:, 1], gi_star_z(y[::-1], w_star))


def test_constant_values_give_zero_z():
    adjacency = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    assert np.all(GiStar().fit(np.ones(3), adjacency).z_ == 0)


def test_benjamini_hochberg_step_up():
    # m = 5, alpha 0.05: thresholds 0.01 0.02 0.03 0.04 0.05; the largest k with p(k) <= k/m*alpha
    # is k = 3 (0.029 <= 0.03), so the three smallest are rejected although 0.025 > 0.02.
    p = np.array([0.2, 0.001, 0.029, 0.025, 0.041])
    assert benjamini_hochberg(p, 0.05).tolist() == [False, True, True, True, False]


def test_labels_mark_hot_and_cold(nyc_cells):
    fit = GiStar(alpha=0.05).fit(nyc_cells["counts"], nyc_cells["adjacency"])
    assert set(np.unique(fit.labels_)) <= {-1, 0, 1}
    assert (fit.labels_ == 1).sum() > 0
    assert np.all(fit.z_[fit.labels_ == 1] > 0)
