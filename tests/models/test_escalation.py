"""Escalation risk on constructed disputes (synthetic): factors, no look-ahead, backtest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.escalation import EscalationScorer, backtest_escalation, case_features


def _synthetic_disputes(n=1200, seed=3):
    """Synthetic disputes where repeats between the same parties and overdue cases escalate."""
    rng = np.random.default_rng(seed)
    reported = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    frame = pd.DataFrame(
        {
            "reported_at": reported,
            "category": rng.choice(["婚姻家庭", "邻里", "土地", "债务"], n),
            "address_code": rng.integers(0, 300, n).astype(str),
            "parties_key": rng.integers(0, 250, n).astype(str),
            "x": rng.uniform(0, 5000, n),
            "y": rng.uniform(0, 5000, n),
        }
    ).sort_values("reported_at", ignore_index=True)
    frame["as_of"] = frame["reported_at"] + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    frame["deadline"] = frame["reported_at"] + pd.Timedelta(days=30)
    features = case_features(frame)
    logit = -3.5 + 1.2 * features["repeats_parties"] + 1.5 * features["overdue"]
    features["escalated"] = rng.random(n) < 1 / (1 + np.exp(-logit))
    features["reported_at"] = frame["reported_at"]
    return frame, features


def test_features_count_only_earlier_disputes_and_nearby_signals():
    cases = pd.DataFrame(
        {
            "reported_at": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
            "as_of": pd.to_datetime(["2024-01-10", "2024-02-20", "2024-03-05"]),
            "deadline": pd.to_datetime(["2024-01-31", "2024-02-10", "2024-03-31"]),
            "category": ["邻里", "邻里", "土地"],
            "address_code": ["A", "A", "A"],
            "parties_key": ["p", "q", "p"],
            "x": [0.0, 0.0, 0.0],
            "y": [0.0, 0.0, 0.0],
        }
    )
    signals = pd.DataFrame(
        {
            "observed_at": pd.to_datetime(["2024-02-15", "2024-02-25", "2024-01-01"]),
            "x": [100.0, 100.0, 5000.0],
            "y": [0.0, 0.0, 0.0],
        }
    )
    f = case_features(cases, signals=signals)
    assert f["repeats_address"].tolist() == [0, 1, 2]
    assert f["repeats_parties"].tolist() == [0, 0, 1]
    assert f["days_open"].tolist() == [9, 19, 4]
    assert f["overdue"].tolist() == [0, 1, 0]
    assert f["days_overdue"].tolist() == [0, 10, 0]
    # Case 2 (as of 20 Feb) sees the 15 Feb signal, not the 25 Feb one (future); case 3 sees both;
    # the signal 5 km away never counts.
    assert f["signals_nearby"].tolist() == [0, 1, 2]


def test_prior_points_rank_overdue_repeat_cases_higher():
    _, features = _synthetic_disputes()
    score = EscalationScorer().score(features)
    risky = (features["overdue"] == 1) & (features["repeats_parties"] > 0)
    assert score[risky].mean() > score[~risky].mean()
    assert ((score >= 0) & (score <= 100)).all()


def test_fitted_scorer_learns_the_planted_factors_and_explains():
    _, features = _synthetic_disputes()
    scorer = EscalationScorer(random_state=0).fit(features, features["escalated"])
    assert scorer.points_["repeats_parties"] > 0.5 and scorer.points_["overdue"] > 0.5
    reasons = scorer.reasons(features.head(50))
    assert any("超过办结时限" in r for rs in reasons for r in rs)


def test_backtest_beats_chance_on_later_folds():
    _, features = _synthetic_disputes()
    table = backtest_escalation(features, outcome="escalated", folds=3)
    assert len(table) == 3
    assert (table["model_auc"] > 0.6).all()
    assert table["model_caught_top"].between(0, 1).all()


def test_fit_refuses_a_single_outcome():
    _, features = _synthetic_disputes(n=50)
    with pytest.raises(ValueError):
        EscalationScorer().fit(features, np.zeros(50))
