"""The model forecaster and the cell comparison: no future data reaches a forecast."""

from __future__ import annotations

import numpy as np

from models.cell_backtest import METHODS, cell_forecasters, compare_methods


def _grid(side=8):
    col, row = np.meshgrid(np.arange(side), np.arange(side))
    return col.ravel(), row.ravel()


def test_every_forecast_ignores_the_future():
    rng = np.random.default_rng(5)
    col, row = _grid()
    counts = rng.poisson(0.3, (40, col.size)).astype(np.float32)
    changed = counts.copy()
    changed[30:] = rng.poisson(3.0, changed[30:].shape)  # a different future (synthetic)
    params = {"max_iter": 20, "target_horizon": 4, "refit_every": 5, "min_history": 10}
    for name in METHODS:
        first = cell_forecasters(
            col=col, row=row, cell_size=100, period="week", model_params=params
        )[name]
        second = cell_forecasters(
            col=col, row=row, cell_size=100, period="week", model_params=params
        )[name]
        for t in (20, 30):
            np.testing.assert_array_equal(first(counts[:t], t), second(changed[:t], t))


def test_compare_methods_reports_all_methods():
    rng = np.random.default_rng(6)
    col, row = _grid()
    counts = rng.poisson(0.3, (30, col.size)).astype(np.float32)
    counts[:, :4] += rng.poisson(2.0, (30, 4))  # a persistent synthetic hot spot
    params = {"max_iter": 20, "target_horizon": 4, "refit_every": 5, "min_history": 10}
    report = compare_methods(
        counts,
        col=col,
        row=row,
        cell_size=100,
        period="week",
        test_periods=range(25, 30),
        model_params=params,
    )
    assert set(report["methods"]) == set(METHODS)
    for block in report["methods"].values():
        # 10 % of 64 cells can hold the 4 hot cells: every sensible method catches some events.
        assert block["hit_rate"]["10"] > 0
    assert report["methods"]["long_run"]["pai"]["5"] > 1
