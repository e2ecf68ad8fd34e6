"""Hysteresis for flagged lists: a unit flagged last period leaves only when it falls clearly below
the cut, so the list the duty chief sees changes less from week to week (at a cost in PAI that the
backtest reports beside it)."""

from __future__ import annotations

import numpy as np

from models.backtest import Forecaster, flagged_set

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
    size). A held unit takes the place of the lowest units inside the cut, so the top of the
    list (smaller budgets) is left as the forecaster ranks it. Call it on consecutive periods
    in order: it remembers the last flagged set."""

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
        scores = np.asarray(self.forecast(past, t), np.float64)
        position = size_rank(scores, self.sizes)
        if self.flagged_ is not None:
            sizes = np.ones_like(position) if self.sizes is None else np.asarray(self.sizes, float)
            held = np.zeros(position.size, dtype=bool)
            held[self.flagged_] = True
            held &= (position >= self.share) & (position < self.share + self.margin)
            if held.any():
                room = sizes[held].sum() / sizes.sum()
                # Just above the lowest ``room`` of the list inside the cut, in their own order.
                step = 1e-9 * (position[held] - self.share) / max(self.margin, 1e-12)
                position[held] = max(self.share - room, 0.0) - 1e-6 + step
        self.flagged_ = flagged_set(1.0 - position, self.share, self.sizes)
        return 1.0 - position
