"""Calibrated probabilities (Brier, reliability bins) and the hysteresis option, hand-checked."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from models.backtest import flagged_set, jaccard
from models.calibration import (
    ChanceOfAny,
    ProbabilityCalibrator,
    brier_score,
    reliability_bins,
)
from models.stability import HysteresisForecaster, size_rank


def test_brier_and_bins_hand_computed():
    p = np.array([0.0, 0.0, 0.5, 1.0])
    happened = np.array([0, 1, 1, 3])
    assert brier_score(p, happened) == (0 + 1 + 0.25 + 0) / 4
    assert reliability_bins(p, happened) == [[0.0, 0.5, 2], [0.5, 1.0, 1], [1.0, 1.0, 1]]


def test_calibration_learns_the_share_with_an_event_and_stays_monotone():
    rng = np.random.default_rng(0)
    scores = [rng.uniform(0, 1, 2000) for _ in range(5)]
    counts = [rng.poisson(s) for s in scores]  # SYNTHETIC: the score is the Poisson mean
    calibrator = ProbabilityCalibrator().fit(scores, counts)
    grid = np.linspace(0, 1, 11)
    predicted = calibrator.predict(grid)
    assert np.all(np.diff(predicted) >= 0)
    np.testing.assert_allclose(predicted[[1, 5, 9]], 1 - np.exp(-grid[[1, 5, 9]]), atol=0.06)


def test_chance_of_any_corrects_an_expectation_that_runs_low_and_needs_events_to_do_so():
    rng = np.random.default_rng(2)
    expected = [rng.uniform(0, 0.3, 3000) for _ in range(4)]
    counts = [rng.poisson(2 * e) for e in expected]  # SYNTHETIC: twice what was expected
    chance = ChanceOfAny(expected, counts)
    assert chance.calibrated
    probe = np.array([0.05, 0.15, 0.25])
    np.testing.assert_allclose(chance(probe), 1 - np.exp(-2 * probe), atol=0.04)
    few = ChanceOfAny([e[:10] for e in expected], [c[:10] for c in counts])
    assert not few.calibrated
    np.testing.assert_allclose(few(probe), 1 - np.exp(-probe))


def test_hysteresis_keeps_a_flagged_unit_until_it_falls_clearly_below_the_cut():
    assert list(size_rank(np.array([3.0, 1.0, 2.0]))) == [0.0, 2 / 3, 1 / 3]
    rng = np.random.default_rng(1)
    base = rng.gamma(2.0, 1.0, 200)
    weeks = [base + rng.normal(0, 0.5, 200) for _ in range(30)]  # SYNTHETIC noisy rankings

    def plain(past, t):
        return weeks[t]

    stable = HysteresisForecaster(plain, share=0.1, margin=0.05)
    sets = {"plain": [], "stable": []}
    for t in range(30):
        held = stable(None, t)
        sets["plain"].append(flagged_set(plain(None, t), 0.1))
        sets["stable"].append(flagged_set(held, 0.1))
        # The top of the list (a smaller budget) is the forecaster's own.
        np.testing.assert_array_equal(flagged_set(held, 0.04), flagged_set(plain(None, t), 0.04))
    overlap = {k: np.mean([jaccard(a, b) for a, b in pairwise(v)]) for k, v in sets.items()}
    assert overlap["stable"] > overlap["plain"] + 0.05
