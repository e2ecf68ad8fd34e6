"""Baseline hot spot forecasters for the rolling-origin backtest.

Each factory returns a forecaster ``f(past, t) -> scores`` where ``past`` holds the counts of
periods < t only, shape (t, n_units). Higher score = flagged first.

References:
    Chainey, Tompson & Uhlig (2008), Security Journal 21 (retrospective KDE hot spot maps).
    Bowers, K. J., Johnson, S. D. & Pease, K. (2004). Prospective hot-spotting: the future of crime
    mapping? British Journal of Criminology 44(5), 641-658.
    Ord & Getis (1995), Geographical Analysis 27(4) (Gi*).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from models.backtest import Forecaster
from models.gistar import gi_star_z, with_self_weights
from models.spatial import distance_weights

__all__ = [
    "gaussian_kernel_weights",
    "gistar_forecaster",
    "kde_forecaster",
    "last_period_forecaster",
    "long_run_forecaster",
    "prospective_forecaster",
    "prospective_weights",
]


def last_period_forecaster() -> Forecaster:
    """Flag where the most recent period had events (pure persistence)."""

    def forecast(past: np.ndarray, t: int) -> np.ndarray:
        return past[-1].astype(np.float64)

    return forecast


def long_run_forecaster(window: int | None = None) -> Forecaster:
    """Flag where most events happened so far (all history, or the last ``window`` periods)."""

    def forecast(past: np.ndarray, t: int) -> np.ndarray:
        recent = past if window is None else past[-window:]
        return recent.sum(axis=0, dtype=np.float64)

    return forecast


def gaussian_kernel_weights(x: np.ndarray, y: np.ndarray, *, bandwidth: float) -> sp.csr_matrix:
    """Gaussian kernel weights exp(-d²/2h²) between unit centroids, cut at 3 bandwidths."""
    return distance_weights(
        x, y, radius=3.0 * bandwidth, kernel=lambda d: np.exp(-0.5 * (d / bandwidth) ** 2)
    )


def kde_forecaster(kernel: sp.spmatrix, window: int | None = None) -> Forecaster:
    """Retrospective kernel density: past events smoothed with ``kernel`` (unit × unit weights)."""
    kernel = sp.csr_matrix(kernel)

    def forecast(past: np.ndarray, t: int) -> np.ndarray:
        recent = past if window is None else past[-window:]
        return kernel @ recent.sum(axis=0, dtype=np.float64)

    return forecast


def prospective_weights(
    x: np.ndarray, y: np.ndarray, *, cell_size: float, bandwidth: float
) -> sp.csr_matrix:
    """Bowers et al. (2004) spatial weights 1 / (1 + d in cell widths) within ``bandwidth`` m."""
    return distance_weights(x, y, radius=bandwidth, kernel=lambda d: 1.0 / (1.0 + d / cell_size))


def prospective_forecaster(spatial: sp.spmatrix, window: int) -> Forecaster:
    """Prospective hot-spotting (Bowers, Johnson & Pease 2004): every event of the last ``window``
    periods adds 1/(1 + distance in cells) × 1/(1 + periods ago), so recent and close events weigh
    most. The original used 400 m and two months for burglary."""
    spatial = sp.csr_matrix(spatial)
    decay = 1.0 / (1.0 + np.arange(window, dtype=np.float64))

    def forecast(past: np.ndarray, t: int) -> np.ndarray:
        recent = past[-window:][::-1]  # row 0 = last period (0 periods ago)
        weighted = decay[: recent.shape[0]] @ recent.astype(np.float64)
        return spatial @ weighted

    return forecast


def gistar_forecaster(adjacency: sp.spmatrix, window: int | None = None) -> Forecaster:
    """Flag the highest Gi* z-scores of the counts so far (all history or the last ``window``)."""
    w_star = with_self_weights(adjacency)

    def forecast(past: np.ndarray, t: int) -> np.ndarray:
        recent = past if window is None else past[-window:]
        return gi_star_z(recent.sum(axis=0, dtype=np.float64), w_star)

    return forecast
