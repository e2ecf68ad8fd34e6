"""The probability of at least one event per unit and period, calibrated, and how good it is.

A forecaster's score (expected count, Gi* z, a tiered rank, ...) is turned into a probability by
isotonic regression (Zadrozny & Elkan 2002) fitted on periods *before* the ones it is applied to:
the share of units with at least one event among units of a given score, kept monotone in the
score. The Brier score (Brier 1950) is the mean squared difference between that probability and
what happened (1 if the unit had an event, else 0); the reliability table bins the probabilities
and sets the mean predicted beside the observed share in each bin (Murphy & Winkler 1977).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.isotonic import IsotonicRegression

__all__ = [
    "BIN_EDGES",
    "ChanceOfAny",
    "ProbabilityCalibrator",
    "brier_score",
    "poisson_probability",
    "reliability_bins",
]

BIN_EDGES: tuple[float, ...] = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)


def poisson_probability(expected: np.ndarray) -> np.ndarray:
    """P(at least one event) for Poisson counts with the given means: 1 - exp(-expected)."""
    return 1.0 - np.exp(-np.maximum(np.asarray(expected, np.float64), 0.0))


class ProbabilityCalibrator:
    """Score -> P(≥1 event), monotone, fitted on earlier periods' scores and counts."""

    def fit(self, scores: Sequence[np.ndarray], counts: Sequence[np.ndarray]):
        """Fit on the scores and counts of earlier periods (one array per period)."""
        x = np.concatenate([np.asarray(s, np.float64) for s in scores])
        y = (np.concatenate([np.asarray(c, np.float64) for c in counts]) > 0).astype(float)
        self.isotonic_ = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        self.isotonic_.fit(np.nan_to_num(x), y)
        return self

    def predict(self, scores: np.ndarray) -> np.ndarray:
        """Calibrated probabilities for one period's scores."""
        return self.isotonic_.predict(np.nan_to_num(np.asarray(scores, np.float64)))


class ChanceOfAny:
    """Expected count -> P(≥1 event): isotonic on earlier periods when they hold at least
    ``min_hits`` unit-periods with an event, else the Poisson chance ``1 - exp(-expected)``
    (too few events to say more than the model itself)."""

    def __init__(
        self, expected: Sequence[np.ndarray], counts: Sequence[np.ndarray], *, min_hits: int = 20
    ):
        hits = sum(int((np.asarray(c) > 0).sum()) for c in counts)
        self.hits = hits
        self.calibrator = (
            ProbabilityCalibrator().fit(expected, counts) if expected and hits >= min_hits else None
        )

    @property
    def calibrated(self) -> bool:
        """Whether the chances come from the isotonic fit (not the Poisson formula)."""
        return self.calibrator is not None

    def __call__(self, expected: np.ndarray) -> np.ndarray:
        """The chance of at least one event for each unit of one period."""
        if self.calibrator is None:
            return poisson_probability(expected)
        return self.calibrator.predict(expected)


def brier_score(probability: np.ndarray, happened: np.ndarray) -> float:
    """Mean squared difference between probabilities and outcomes (0 best)."""
    p = np.asarray(probability, np.float64).ravel()
    y = (np.asarray(happened, np.float64).ravel() > 0).astype(float)
    return float(np.mean((p - y) ** 2))


def reliability_bins(
    probability: np.ndarray, happened: np.ndarray, edges: Sequence[float] = BIN_EDGES
) -> list[list[float]]:
    """[[mean predicted, observed share, n], ...] for each non-empty probability bin."""
    p = np.asarray(probability, np.float64).ravel()
    y = (np.asarray(happened, np.float64).ravel() > 0).astype(float)
    which = np.clip(np.searchsorted(np.asarray(edges), p, side="right") - 1, 0, len(edges) - 2)
    rows = []
    for k in range(len(edges) - 1):
        inside = which == k
        if inside.any():
            n = int(inside.sum())
            rows.append([round(float(p[inside].mean()), 5), round(float(y[inside].mean()), 5), n])
    return rows
