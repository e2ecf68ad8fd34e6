"""Candidates' scores computed side by side give the very report computed in sequence."""

from __future__ import annotations

import numpy as np

from models.backtest import rolling_origin_backtest, summarise
from models.cell_backtest import calibration_periods, cell_forecasters, compare_methods
from models.parallel_scores import score_blocks

COL, ROW = (a.ravel() for a in np.meshgrid(np.arange(8), np.arange(8)))
PARAMS = {"max_iter": 15, "target_horizon": 4, "refit_every": 6, "min_history": 10}


def _counts():
    """SYNTHETIC: 50 weeks over 64 cells, a hot corner that moves after 30 weeks."""
    rng = np.random.default_rng(11)
    counts = rng.poisson(0.2, (50, COL.size)).astype(np.float32)
    counts[:30, :4] += rng.poisson(1.5, (30, 4))
    counts[30:, 60:] += rng.poisson(1.5, (20, 4))
    return counts


def _compare(counts, workers):
    return compare_methods(
        counts, col=COL, row=ROW, cell_size=100, period="week", test_periods=range(44, 50),
        model_params=PARAMS, hysteresis=0.02, workers=workers,
    )  # fmt: skip


def test_side_by_side_and_in_sequence_give_the_same_report():
    counts = _counts()
    forecasters = cell_forecasters(
        col=COL, row=ROW, cell_size=100, period="week", model_params=PARAMS, hysteresis=0.02
    )
    tests = list(range(44, 50))
    sequential = rolling_origin_backtest(
        counts, tests, forecasters, calibration_periods=calibration_periods(tests, "week")
    )
    expected = summarise(sequential)
    report = _compare(counts, workers=2)
    for name, block in expected.items():
        for metric in ("hit_rate", "pai", "pei"):
            assert report["methods"][name][metric] == block[metric], name
        assert report["stability"][name] == block["jaccard"]
    assert report["calibration"] == sequential.calibration


def test_the_trees_are_cut_at_their_refits_and_scheduled_first():
    forecasters = cell_forecasters(col=COL, row=ROW, cell_size=100, period="week",
                                   model_params=PARAMS)  # fmt: skip
    candidates = {n: forecasters[n] for n in ("long_run", "trees", "sepp")}
    blocks = score_blocks(candidates, range(8, 30))
    trees = [b for name, b in blocks if name == "trees"]
    assert [b[0] for b in trees] == [8, 14, 20, 26] and trees[-1] == [26, 27, 28, 29]
    assert [name for name, _ in blocks[:4]] == ["trees"] * 4
    assert sorted(name for name, _ in blocks[4:]) == ["long_run", "sepp"]
