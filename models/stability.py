"""Hysteresis for flagged lists: a unit flagged last period leaves only when it falls clearly below
the cut, so the list the duty chief sees changes less from week to week (at a cost in PAI that the
backtest reports beside it)."""

from __future__ import annotations

import numpy as np

from models.backtest import Forecaster

__all__ = ["HysteresisForecaster", "size_rank"]


def size_rank(scores: np.ndarray, sizes: np.ndarray | None = None) -> np.ndarray:
    """Each unit's position in the ranking as the share of total size ranked above it (0 = top)."""
    scores = np.asarray(scores, np.float64)
    sizes = np.ones_like(scores) if sizes is None else np.asarray(sizes, np.float64)
    order = np.argsort(-scores, kind="mergesort")
    above = np.empty_like(scores)
    above[order] = np.cumsum(sizes[order]) - sizes[order]
    return above / sizes.sum()


class HysteresisForecaster:
    """Callable ``f(past, t)``: ``forecast``'s ranking, except that units flagged at ``share`` in
    the previous call stay flagged while they rank within ``share + margin`` (shares of total
    size). Call it on consecutive periods in order: it remembers the last flagged set."""

    def __init__(
        self,
        forecast: Forecaster,
        *,
        share: float,
        margin: float,
        sizes: np.ndarray | None = None,
    ) -> None:
        self.forecast = forecast
        self.share = share
        self.margin = margin
        self.sizes = sizes
        self.flagged_: np.ndarray | None = None

    def __call__(self, past: np.ndarray, t: int) -> np.ndarray:
        position = size_rank(self.forecast(past, t), self.sizes)
        if self.flagged_ is not None:
            position[self.flagged_] -= self.margin
        self.flagged_ = np.flatnonzero(position < self.share)
        return 1.0 - position
