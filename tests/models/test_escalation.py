"""Escalation risk on constructed disputes (synthetic): factors, no look-ahead, backtest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.escalation import (
    EscalationScorer,
    backtest_escalation,
    case_features,
    escalation_outcome,
    score_open_cases,
)


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


def _open_case(**overrides):
    base = {
        "id": 1, "category": "other", "severity": "minor",
        "reported_at": pd.Timestamp("2026-11-01", tz="UTC"),
        "deadline": pd.Timestamp("2026-11-20", tz="UTC"),
        "repeats_address": 0, "repeats_parties": 0, "signals_nearby": 0,
    }  # fmt: skip
    return base | overrides


@pytest.mark.parametrize(
    ("factor", "values"),
    [
        ("repeats_address", [0, 1, 3, 10]),
        ("repeats_parties", [0, 1, 2, 5]),
        ("signals_nearby", [0, 1, 4, 20]),
        ("severity", ["minor", "serious", "major", "critical"]),
        ("reported_at", [pd.Timestamp(d, tz="UTC") for d in ("2026-11-10", "2026-10-20",
                                                              "2026-09-01")]),
        ("deadline", [pd.Timestamp(d, tz="UTC") for d in ("2026-12-31", "2026-11-20",
                                                           "2026-11-01")]),
    ],
)  # fmt: skip
def test_score_rises_with_each_risk_factor_all_else_equal(factor, values):
    cases = pd.DataFrame([_open_case(id=i, **{factor: v}) for i, v in enumerate(values)])
    ranked = score_open_cases(cases, as_of=pd.Timestamp("2026-11-25", tz="UTC"))
    ranked = ranked.sort_values("id")
    probability = EscalationScorer().predict_proba(ranked)
    assert (np.diff(probability) > 0).all(), f"{factor}: {probability}"
    assert (np.diff(ranked["score"]) >= 0).all()  # the shown score is rounded to 0.1
    assert ((ranked["score"] > 0) & (ranked["score"] < 100)).all()


def test_open_cases_are_ranked_with_overdue_measured_at_as_of_and_reasons():
    cases = pd.DataFrame(
        [
            _open_case(id=7),
            _open_case(id=8, category="marriage_family", severity="major", repeats_parties=2,
                       signals_nearby=3),
            _open_case(id=9, deadline=pd.NaT),
        ]
    )  # fmt: skip
    ranked = score_open_cases(cases, as_of=pd.Timestamp("2026-11-25 08:00", tz="UTC"))
    assert ranked["id"].tolist()[0] == 8
    assert ranked["rank"].tolist() == [1, 2, 3]
    assert ranked["score"].is_monotonic_decreasing
    row = ranked.set_index("id")
    assert row.loc[7, "overdue"] == 1 and row.loc[7, "days_overdue"] == pytest.approx(5 + 1 / 3)
    assert row.loc[9, "overdue"] == 0 and row.loc[9, "days_overdue"] == 0
    assert row.loc[8, "days_open"] == pytest.approx(24 + 1 / 3)
    reasons = row.loc[8, "reasons"]
    assert len(reasons) == 3 and any("同一当事人" in r for r in reasons)
    assert any("严重程度：重大" in r or "婚姻家庭" in r for r in reasons)
    empty = score_open_cases(cases.iloc[:0], as_of=pd.Timestamp("2026-11-25", tz="UTC"))
    assert empty.empty


def test_escalation_outcome_is_unresolved_or_violence_nearby_afterwards():
    cases = pd.DataFrame(
        {
            "as_of": pd.to_datetime(["2026-01-01"] * 4),
            "x": [0.0, 0.0, 10_000.0, 20_000.0],
            "y": [0.0, 0.0, 0.0, 0.0],
            "unresolved": [True, False, False, False],
        }
    )
    signals = pd.DataFrame(
        {
            # near case 0/1 after the date; near case 2 but before; near case 3 but a hazard.
            "observed_at": pd.to_datetime(["2026-01-10", "2025-12-20", "2026-01-05"]),
            "kind": ["violence", "violence", "hazard"],
            "x": [300.0, 10_100.0, 20_050.0],
            "y": [0.0, 0.0, 0.0],
        }
    )
    out = escalation_outcome(cases, signals, days=30, radius_m=1000.0)
    assert out.tolist() == [True, True, False, False]
