"""The risk model as a backtest forecaster: refit on the past every few periods, score the next.

Everything the forecaster sees is the ``past`` slice handed over by the backtest (periods < t), so
the panel, the training targets and the fit all stop before the period being predicted.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from models.panel import PanelInputs, build_features
from models.risk import RiskModel

__all__ = ["RiskForecaster"]


class RiskForecaster:
    """Callable ``f(past, t) -> expected counts`` for the rolling-origin backtest.

    Parameters:
        adjacency, smoothing: spatial weights passed to the panel (see models.panel.PanelInputs).
        seasons: one row per period over the whole span (calendar facts, known in advance).
        unit_attributes: static unit attributes.
        signal_counts: risk signals per period and unit over the whole span (optional); only the
            rows before the period predicted are ever read.
        refit_every: periods between refits (the model is reused in between, never refit on later
            data than the period it predicts).
        train_periods: how many past periods provide training rows.
        target_horizon: train on the count over the next H periods (H > 1 smooths the target;
            the training rows stop H periods before t, so the targets stay in the past). The
            score is then the expected count per period over that horizon.
        blend: weight in [0, 1] of the empirical long-run intensity in the final score, a
            geometric blend (1 - blend) · log(model) + blend · log(intensity), where intensity =
            past counts with exponential decay (half-life ``blend_half_life`` periods) plus half
            their ``smoothing`` average (multi-scale). 0 = the model alone.
        model_params: passed to :class:`models.risk.RiskModel`.
    """

    def __init__(
        self,
        *,
        adjacency: sp.spmatrix | None = None,
        smoothing: sp.spmatrix | None = None,
        seasons: pd.DataFrame | None = None,
        unit_attributes: pd.DataFrame | None = None,
        signal_counts: np.ndarray | None = None,
        refit_every: int = 13,
        train_periods: int = 156,
        min_history: int = 52,
        target_horizon: int = 1,
        blend: float = 0.0,
        blend_half_life: float = 260.0,
        model_params: Mapping[str, object] | None = None,
        random_state: int = 0,
    ) -> None:
        self.adjacency = adjacency
        self.smoothing = smoothing
        self.seasons = seasons
        self.unit_attributes = unit_attributes
        self.signal_counts = signal_counts
        self.refit_every = refit_every
        self.train_periods = train_periods
        self.min_history = min_history
        self.target_horizon = target_horizon
        self.blend = blend
        self.blend_half_life = blend_half_life
        self.model_params = dict(model_params or {})
        self.random_state = random_state
        self.model_: RiskModel | None = None
        self.fitted_at_: int | None = None

    def _inputs(self, past: np.ndarray) -> PanelInputs:
        return PanelInputs(
            counts=past,
            adjacency=self.adjacency,
            smoothing=self.smoothing,
            seasons=self.seasons,
            unit_attributes=self.unit_attributes,
            signal_counts=None if self.signal_counts is None else self.signal_counts[: len(past)],
        )

    def fit(self, past: np.ndarray) -> RiskForecaster:
        """Fit on targets of periods in [t - train_periods, t - 1], t = len(past).

        Too short a past (no full target window, or no event in the targets) leaves no model:
        the forecaster then returns the long-run intensity until a later refit succeeds.
        """
        t = past.shape[0]
        horizon = max(1, min(self.target_horizon, t // 2))
        last = t - horizon  # the last row whose target window ends at t - 1
        first = max(min(self.min_history, last), last - self.train_periods, 1)
        periods = range(first, last + 1)
        self.model_, self.fitted_at_ = None, t
        if not periods:
            return self
        panel, _ = build_features(self._inputs(past[:last]), periods)
        cum = np.vstack([np.zeros((1, past.shape[1])), np.cumsum(past, axis=0, dtype=np.float64)])
        y = np.concatenate([cum[s + horizon] - cum[s] for s in periods])
        if y.sum() <= 0:
            return self
        params = {"random_state": self.random_state, **self.model_params}
        self.model_ = RiskModel(**params).fit(panel, y)
        return self

    def __call__(self, past: np.ndarray, t: int) -> np.ndarray:
        if past.shape[0] != t:
            raise ValueError("the forecaster must get exactly the periods before t")
        if self.fitted_at_ is None or not 0 <= t - self.fitted_at_ < self.refit_every:
            self.fit(past)
        if self.model_ is None:
            return self.long_run_intensity(past)
        panel, _ = build_features(self._inputs(past), [t])
        expected = self.model_.predict(panel)
        if self.blend <= 0:
            return expected
        intensity = self.long_run_intensity(past)
        return np.exp(
            (1 - self.blend) * np.log(expected / expected.mean() + 1e-3)
            + self.blend * np.log(intensity / max(intensity.mean(), 1e-12) + 1e-3)
        )

    def long_run_intensity(self, past: np.ndarray) -> np.ndarray:
        """Decayed past counts plus half their smoothed neighbourhood average (periods < t)."""
        ages = np.arange(past.shape[0])[::-1]
        decayed = (0.5 ** (ages / self.blend_half_life)) @ past.astype(np.float64)
        if self.smoothing is None:
            return decayed
        return decayed + 0.5 * (sp.csr_matrix(self.smoothing) @ decayed)
