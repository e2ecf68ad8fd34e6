"""Getis-Ord Gi* hot spot statistic on scipy.sparse weights, with false-discovery-rate control.

References:
    Ord, J. K. & Getis, A. (1995). Local spatial autocorrelation statistics: distributional issues
    and an application. Geographical Analysis 27(4), 286-306.
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. JRSS B 57, 289-300.

The analytic z-score here equals ``esda.G_Local(y, w, transform='B', star=True).Zs``; esda's default
row-standardised weights give z-scores that are not comparable (see DESIGN.md, "Facts measured").
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy import stats

__all__ = ["GiStar", "benjamini_hochberg", "gi_star_z", "with_self_weights"]


def with_self_weights(weights: sp.spmatrix, self_weight: float = 1.0) -> sp.csr_matrix:
    """``weights`` as CSR with every diagonal entry set to ``self_weight`` (Gi* includes i)."""
    matrix = sp.csr_matrix(weights, dtype=np.float64, copy=True)
    matrix.setdiag(self_weight)
    matrix.eliminate_zeros()
    return matrix


def gi_star_z(values: np.ndarray, weights: sp.spmatrix) -> np.ndarray:
    """Analytic Gi* z-scores (Ord & Getis 1995, eq. 9) for one or many value vectors.

    ``weights`` must already hold the self weights (see :func:`with_self_weights`). ``values`` is a
    vector of length n or an array (n, k) of k vectors (for example k periods), scored at once.
    Units where all values are equal get z = 0.
    """
    y = np.asarray(values, dtype=np.float64)
    single = y.ndim == 1
    if single:
        y = y[:, None]
    w = sp.csr_matrix(weights, dtype=np.float64)
    n = y.shape[0]
    if w.shape != (n, n):
        raise ValueError(f"weights are {w.shape}, values have {n} rows")
    mean = y.mean(axis=0)
    std = np.sqrt((y**2).mean(axis=0) - mean**2)
    w_sum = np.asarray(w.sum(axis=1)).ravel()
    w_sq_sum = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    numerator = (w @ y) - np.outer(w_sum, mean)
    spread = np.sqrt(np.clip(n * w_sq_sum - w_sum**2, 0.0, None) / (n - 1))
    denominator = np.outer(spread, std)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(denominator > 0, numerator / denominator, 0.0)
    return z[:, 0] if single else z


def benjamini_hochberg(p_values: np.ndarray, alpha: float = 0.05) -> np.ndarray:
    """Boolean mask of the p-values rejected by the Benjamini-Hochberg (1995) step-up procedure."""
    p = np.asarray(p_values, dtype=np.float64).ravel()
    m = p.size
    if m == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(p, kind="mergesort")
    thresholds = alpha * np.arange(1, m + 1) / m
    passing = np.nonzero(p[order] <= thresholds)[0]
    rejected = np.zeros(m, dtype=bool)
    if passing.size:
        rejected[order[: passing[-1] + 1]] = True
    return rejected.reshape(np.shape(p_values))


class GiStar:
    """Getis-Ord Gi* (Ord & Getis 1995) with analytic inference and Benjamini-Hochberg FDR.

    Parameters:
        alpha: significance level, applied to the FDR-adjusted decision when ``fdr`` is true.
        fdr: control the false discovery rate across units (as ArcGIS's "Apply FDR correction").
        self_weight: weight of a unit on itself (1 with binary weights, as esda's ``star=True``).

    After :meth:`fit`: ``z_`` (z-scores), ``p_`` (two-sided p-values), ``significant_`` (bool),
    ``labels_`` (+1 hot spot, -1 cold spot, 0 not significant).
    """

    def __init__(self, *, alpha: float = 0.05, fdr: bool = True, self_weight: float = 1.0) -> None:
        self.alpha = alpha
        self.fdr = fdr
        self.self_weight = self_weight

    def fit(self, values: np.ndarray, weights: sp.spmatrix) -> GiStar:
        """Score ``values`` (n,) over binary ``weights`` (n, n; the diagonal is set here)."""
        w_star = with_self_weights(weights, self.self_weight)
        self.z_ = gi_star_z(values, w_star)
        self.p_ = 2.0 * stats.norm.sf(np.abs(self.z_))
        if self.fdr:
            self.significant_ = benjamini_hochberg(self.p_, self.alpha)
        else:
            self.significant_ = self.p_ <= self.alpha
        self.labels_ = (np.sign(self.z_) * self.significant_).astype(np.int8)
        return self
