"""Mann-Kendall trend test and Emerging Hot Spot Analysis classes over a time series of Gi* results.

References:
    Mann, H. B. (1945). Nonparametric tests against trend. Econometrica 13, 245-259.
    Kendall, M. G. (1975). Rank Correlation Methods. (Variance with ties.)
    Esri, "How Emerging Hot Spot Analysis works", ArcGIS Pro tool reference (space-time pattern
    mining): the pattern definitions followed here, with 90 % of time steps as the threshold.

Precedence where ArcGIS's wording overlaps: a unit that was ever a significant cold spot before a
final hot spot is "oscillating", not "new" or "consecutive" (the same reading as the sfdep R
package); "persistent", "intensifying" and "diminishing" require the final step to be hot, which
leaves "historical" for units that were hot ≥ 90 % of the time but not at the end. ArcGIS computes
Gi* over a space-time neighbourhood; :meth:`EmergingHotSpots.fit_counts` uses each period's spatial
neighbourhood only (pass your own z-scores to ``fit`` for other choices).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy import stats

from models.gistar import benjamini_hochberg, gi_star_z, with_self_weights

__all__ = ["PATTERNS", "EmergingHotSpots", "mann_kendall"]

_HOT_PATTERNS = (
    "new",
    "consecutive",
    "intensifying",
    "persistent",
    "diminishing",
    "sporadic",
    "oscillating",
    "historical",
)
PATTERNS: tuple[str, ...] = (
    "no pattern",
    *(f"{p} hot spot" for p in _HOT_PATTERNS),
    *(f"{p} cold spot" for p in _HOT_PATTERNS),
)


def mann_kendall(series: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mann-Kendall trend test along axis 0 of ``series`` (time × units).

    Returns (z, two-sided p, Kendall's tau) per unit; z uses the tie-corrected variance and the
    continuity correction (S - sign(S)).
    """
    x = np.asarray(series, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    n = x.shape[0]
    s = np.zeros(x.shape[1])
    for i in range(n - 1):
        s += np.sign(x[i + 1 :] - x[i]).sum(axis=0)
    ties = np.zeros(x.shape[1])
    for j in range(x.shape[1]):
        _, counts = np.unique(x[:, j], return_counts=True)
        counts = counts[counts > 1]
        ties[j] = (counts * (counts - 1) * (2 * counts + 5)).sum()
    variance = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(variance > 0, (s - np.sign(s)) / np.sqrt(variance), 0.0)
    p = 2.0 * stats.norm.sf(np.abs(z))
    tau = s / (n * (n - 1) / 2.0) if n > 1 else np.zeros_like(s)
    return z, p, tau


def _trailing_run(mask: np.ndarray) -> np.ndarray:
    """Length of the run of True ending at the last time step, per unit (mask: time × units)."""
    reversed_mask = mask[::-1]
    broken = ~reversed_mask
    first_false = np.where(broken.any(axis=0), broken.argmax(axis=0), mask.shape[0])
    return first_false


def _classify(z: np.ndarray, hot: np.ndarray, cold: np.ndarray, trend_z, trend_p, alpha, sign):
    """Pattern names for the 'hot' side (pass cold/hot swapped and sign=-1 for cold spots)."""
    n = hot.shape[0]
    share = hot.sum(axis=0) / n
    final = hot[-1]
    run = _trailing_run(hot)
    n_hot = hot.sum(axis=0)
    before_run_hot = n_hot > run
    ever_other = cold.any(axis=0)
    trend_up = (trend_p < alpha) & (sign * trend_z > 0)
    trend_down = (trend_p < alpha) & (sign * trend_z < 0)
    mostly = share >= 0.9
    out = np.full(hot.shape[1], "", dtype=object)
    conditions = [
        ("intensifying", final & mostly & trend_up),
        ("diminishing", final & mostly & trend_down),
        ("persistent", final & mostly & ~trend_up & ~trend_down),
        ("historical", ~final & mostly),
        ("oscillating", final & ~mostly & ever_other),
        ("new", final & ~mostly & ~ever_other & (n_hot == 1)),
        ("consecutive", final & ~mostly & ~ever_other & (run >= 2) & ~before_run_hot),
        ("sporadic", final & ~mostly & ~ever_other & before_run_hot),
    ]
    for name, cond in conditions:
        out[(out == "") & cond] = name
    return out


class EmergingHotSpots:
    """ArcGIS-style Emerging Hot Spot Analysis from per-period Gi* z-scores and significance.

    Parameters:
        alpha: significance of a hot/cold bin (used by :meth:`fit_counts`).
        trend_alpha: significance of the Mann-Kendall trend of the z-scores.
        fdr: Benjamini-Hochberg across units within each period (:meth:`fit_counts`).

    After fit: ``labels_`` (pattern names, see PATTERNS), ``trend_z_``, ``trend_p_``, ``tau_``.
    """

    def __init__(self, *, alpha: float = 0.05, trend_alpha: float = 0.05, fdr: bool = True) -> None:
        self.alpha = alpha
        self.trend_alpha = trend_alpha
        self.fdr = fdr

    def fit(self, z: np.ndarray, significant: np.ndarray) -> EmergingHotSpots:
        """Classify from z-scores and a significance mask, both (periods, units)."""
        z = np.asarray(z, dtype=np.float64)
        significant = np.asarray(significant, dtype=bool)
        if z.shape != significant.shape or z.ndim != 2:
            raise ValueError("z and significant must both be (periods, units)")
        hot = significant & (z > 0)
        cold = significant & (z < 0)
        self.trend_z_, self.trend_p_, self.tau_ = mann_kendall(z)
        hot_labels = _classify(z, hot, cold, self.trend_z_, self.trend_p_, self.trend_alpha, 1)
        cold_labels = _classify(z, cold, hot, self.trend_z_, self.trend_p_, self.trend_alpha, -1)
        labels = np.full(z.shape[1], "no pattern", dtype=object)
        has_cold = cold_labels != ""
        labels[has_cold] = [f"{c} cold spot" for c in cold_labels[has_cold]]
        has_hot = hot_labels != ""
        labels[has_hot] = [f"{h} hot spot" for h in hot_labels[has_hot]]
        self.labels_ = labels
        self.z_ = z
        self.significant_ = significant
        return self

    def fit_counts(self, counts: np.ndarray, weights: sp.spmatrix) -> EmergingHotSpots:
        """Gi* per period on ``counts`` (periods, units) over binary ``weights``, then classify."""
        w_star = with_self_weights(weights)
        z = gi_star_z(np.asarray(counts, dtype=np.float64).T, w_star).T
        p = 2.0 * stats.norm.sf(np.abs(z))
        if self.fdr:
            significant = np.vstack([benjamini_hochberg(row, self.alpha) for row in p])
        else:
            significant = p <= self.alpha
        return self.fit(z, significant)
