"""Hit rate, PAI and PEI on hand-computed cases, tie handling, and the no-leak guarantee."""

from __future__ import annotations

import numpy as np
import pytest

from models.backtest import captured, flagged_set, jaccard, rolling_origin_backtest, summarise


def test_captured_top_cells_hand_computed():
    # 10 equal cells, 10 % = 1 cell (score 0.9, 3 events); 20 % = cells 0.9 and 0.8 = 3 + 1 events.
    scores = np.array([0.1, 0.9, 0.2, 0.8, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0])
    counts = np.array([1, 3, 0, 1, 2, 0, 0, 0, 0, 0])
    assert captured(scores, counts, 0.10) == 3
    assert captured(scores, counts, 0.20) == 4


def test_ties_at_the_cut_count_in_expectation():
    # Two cells tie for the single flagged slot; one holds 2 events: expected capture 1.
    scores = np.array([1.0, 1.0, 0.0, 0.0])
    counts = np.array([2, 0, 1, 1])
    assert captured(scores, counts, 0.25) == pytest.approx(1.0)


def test_sizes_set_the_budget():
    # Households 50, 30, 20: 50 % of households is the first unit only.
    scores = np.array([3.0, 2.0, 1.0])
    counts = np.array([1, 4, 5])
    sizes = np.array([50, 30, 20])
    assert captured(scores, counts, 0.5, sizes) == 1
    # 80 %: units 1 and 2 exactly.
    assert captured(scores, counts, 0.8, sizes) == 5


def test_summary_pai_pei_hand_computed():
    # 4 cells, 2 test periods; flag 25 % (1 cell) by the last period's counts.
    counts = np.array(
        [
            [0, 2, 0, 0],  # period 0: training only
            [0, 1, 3, 0],  # period 1: predicted from period 0 -> cell 1 flagged, 1 of 4 hit
            [1, 0, 2, 1],  # period 2: predicted from period 1 -> cell 2 flagged, 2 of 4 hit
        ]
    )
    result = rolling_origin_backtest(
        counts, [1, 2], {"last": lambda past, t: past[-1]}, shares=[0.25]
    )
    summary = summarise(result)["last"]
    assert summary["hit_rate"]["25"] == pytest.approx(3 / 8)
    assert summary["pai"]["25"] == pytest.approx((3 / 8) / 0.25)
    # Best possible: 3 (period 1) + 2 (period 2) = 5.
    assert summary["pei"]["25"] == pytest.approx(3 / 5)
    # Flagged cells {1} then {2}: Jaccard 0.
    assert summary["jaccard"]["25"] == 0.0


def test_forecasters_never_see_the_period_they_predict():
    rng = np.random.default_rng(0)
    counts = rng.poisson(1.0, size=(30, 20))
    seen = []

    def spy(past, t):
        seen.append((past.shape[0], t))
        with pytest.raises(ValueError):
            past[0, 0] = 99  # read-only view
        return past.sum(axis=0)

    rolling_origin_backtest(counts, range(10, 30), {"spy": spy}, shares=[0.1])
    assert all(n == t for n, t in seen)


def test_flagged_set_and_jaccard():
    scores = np.array([5.0, 4.0, 3.0, 2.0])
    assert flagged_set(scores, 0.5).tolist() == [0, 1]
    assert jaccard(np.array([0, 1]), np.array([1, 2])) == pytest.approx(1 / 3)
