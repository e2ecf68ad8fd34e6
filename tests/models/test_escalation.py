"""Escalation risk on constructed disputes (synthetic): factors from raw facts, no look-ahead,
scoring and backtest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from models.escalation import (
    EscalationScorer,
    backtest_escalation,
    escalation_features,
    escalation_outcome,
    score_open_cases,
)

# 1 degree of latitude near 35° N is about 110.95 km.
LAT_PER_M = 1 / 110_950


def _synthetic_disputes(n=1200, seed=3):
    """Synthetic disputes where repeats between the same parties and overdue cases escalate."""
    rng = np.random.default_rng(seed)
    reported = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    frame = pd.DataFrame(
        {
            "reported_at": reported,
            "category": rng.choice(["婚姻家庭", "邻里", "土地", "债务"], n),
            "address_key": rng.integers(0, 300, n).astype(str),
            "lon": 103.0 + rng.uniform(0, 0.05, n),
            "lat": 35.0 + rng.uniform(0, 0.05, n),
        }
    ).sort_values("reported_at", ignore_index=True)
    frame["id"] = np.arange(n)
    frame["as_of"] = frame["reported_at"] + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    frame["deadline"] = frame["reported_at"] + pd.Timedelta(days=30)
    parties = pd.DataFrame({"dispute_id": frame["id"], "party_key": rng.integers(0, 250, n)})
    features = escalation_features(frame, parties=parties)
    logit = -3.5 + 1.2 * features["repeats_parties"] + 1.5 * features["overdue"]
    features["escalated"] = rng.random(n) < 1 / (1 + np.exp(-logit))
    features["reported_at"] = frame["reported_at"]
    return frame, features


def _raw_facts():
    """Three open cases, earlier disputes, party keys and signals, scored on 10 March 2024."""
    cases = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "category": ["neighbour", "marriage_family", "debt"],
            "severity": ["minor", "major", None],
            "reported_at": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
            "deadline": pd.to_datetime(["2024-01-31", "2024-02-10", "2024-03-31"]),
            "address_key": ["A", "A", None],
            "grid_key": ["g1", "g1", "g2"],
            "lon": [103.0, 103.0, 103.1],
            "lat": [35.0, 35.0, 35.0],
        }
    )
    earlier = pd.DataFrame(
        {
            "id": [10, 11, 12, 13],
            # 10 is 396 days before case 1; 13 comes after the scoring time.
            "reported_at": pd.to_datetime(["2022-12-01", "2023-06-01", "2024-02-20", "2024-03-15"]),
            "address_key": ["A", "A", "B", "A"],
            "grid_key": ["g1", "g1", "g1", "g1"],
        }
    )
    history = pd.concat([cases[earlier.columns], earlier], ignore_index=True)
    # Case 1 shares two keys with dispute 11 (one person's ID number and phone).
    parties = pd.DataFrame(
        [(1, 7), (1, 8), (2, 8), (2, 9), (11, 7), (11, 8), (3, 9), (12, 9)],
        columns=["dispute_id", "party_key"],
    )
    signals = pd.DataFrame(
        {
            "observed_at": pd.to_datetime(
                ["2024-03-01", "2024-03-05", "2024-01-15", "2024-03-12", "2024-03-09", "2024-03-09"]
            ),
            "lon": [103.0, 103.0, 103.0, 103.0, 103.1, np.nan],
            "lat": [35.0 + 400 * LAT_PER_M, 35.0 + 600 * LAT_PER_M, 35.0, 35.0, 35.0, 35.0],
        }
    )
    return cases, history, parties, signals


def _features_on_10_march(cases, history, parties, signals, as_of="2024-03-10"):
    return escalation_features(
        cases, as_of=pd.Timestamp(as_of), history=history, parties=parties, signals=signals
    )


def test_features_from_raw_facts_checked_by_hand():
    f = _features_on_10_march(*_raw_facts())
    assert f["id"].tolist() == [1, 2, 3]
    assert f["severity"].tolist() == [0, 2, 0]
    # Address A in the year before each case: case 1 sees 11 (10 is too old), case 2 sees 1 and
    # 11; case 3 has no address.
    assert f["repeats_address"].tolist() == [1, 2, 0]
    # Parties: case 1 -> 11 (once, though two keys match); case 2 -> 1 and 11 (3 and 12 came
    # later); case 3 -> 2 and 12.
    assert f["repeats_parties"].tolist() == [1, 2, 2]
    # Grid g1 in the 90 days before 10 March: 1, 2 and 12, each case not counting itself.
    assert f["repeats_grid"].tolist() == [2, 2, 0]
    # 1 Jan, 1 Feb, 1 Mar to 10 Mar 2024 (a leap year).
    assert f["days_open"].tolist() == [69, 38, 9]
    assert f["overdue"].tolist() == [1, 1, 0]
    assert f["days_overdue"].tolist() == [39, 29, 0]
    # Signals in [9 Feb, 10 Mar) within 500 m: the one 400 m north (not 600 m, not January, not
    # after 10 March) for cases 1 and 2; the one at case 3's door; none without a position.
    assert f["signals_nearby"].tolist() == [1, 1, 1]


def test_features_read_aware_times_in_utc_and_need_no_history():
    cases, history, parties, signals = _raw_facts()
    naive = _features_on_10_march(cases, history, parties, signals)
    aware = _features_on_10_march(
        cases.assign(
            reported_at=cases["reported_at"].dt.tz_localize("UTC").dt.tz_convert("Asia/Shanghai"),
            deadline=cases["deadline"].dt.tz_localize("UTC"),
        ),
        history.assign(reported_at=history["reported_at"].dt.tz_localize("UTC")),
        parties,
        signals.assign(observed_at=signals["observed_at"].dt.tz_localize("UTC")),
        as_of="2024-03-10 08:00+08:00",
    )
    pd.testing.assert_frame_equal(naive, aware)
    alone = escalation_features(cases, as_of=pd.Timestamp("2024-03-10"))
    assert alone["repeats_address"].tolist() == [0, 1, 0]
    assert alone["repeats_grid"].tolist() == [1, 1, 0]
    assert (alone[["repeats_parties", "signals_nearby"]] == 0).all().all()


def test_signals_count_within_the_radius_measured_on_the_ellipsoid():
    lon, lat, _ = Geod(ellps="WGS84").fwd([103.0] * 2, [35.0] * 2, [90.0, 200.0], [499.0, 501.0])
    signals = pd.DataFrame(
        {"observed_at": pd.to_datetime(["2024-03-09"] * 2), "lon": lon, "lat": lat}
    )
    case = pd.DataFrame(
        {"id": [1], "category": ["other"], "reported_at": [pd.Timestamp("2024-03-01")],
         "lon": [103.0], "lat": [35.0]}
    )  # fmt: skip
    f = escalation_features(case, as_of=pd.Timestamp("2024-03-10"), signals=signals)
    assert f["signals_nearby"].tolist() == [1]


def test_features_count_only_earlier_disputes_and_nearby_signals():
    cases = pd.DataFrame(
        {
            "id": [0, 1, 2],
            "reported_at": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
            "as_of": pd.to_datetime(["2024-01-10", "2024-02-20", "2024-03-05"]),
            "deadline": pd.to_datetime(["2024-01-31", "2024-02-10", "2024-03-31"]),
            "category": ["邻里", "邻里", "土地"],
            "address_key": ["A", "A", "A"],
            "lon": [103.0, 103.0, 103.0],
            "lat": [35.0, 35.0, 35.0],
        }
    )
    parties = pd.DataFrame({"dispute_id": [0, 1, 2], "party_key": ["p", "q", "p"]})
    signals = pd.DataFrame(
        {
            "observed_at": pd.to_datetime(["2024-02-15", "2024-02-25", "2024-01-01"]),
            "lon": [103.0, 103.0, 103.0],
            "lat": [35.0 + 100 * LAT_PER_M, 35.0 + 100 * LAT_PER_M, 35.0 + 5000 * LAT_PER_M],
        }
    )
    f = escalation_features(cases, parties=parties, signals=signals)
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


AS_OF = pd.Timestamp("2026-11-25", tz="UTC")


def _open_case(**overrides):
    base = {
        "id": 1, "category": "other", "severity": "minor",
        "reported_at": pd.Timestamp("2026-11-01", tz="UTC"),
        "deadline": pd.Timestamp("2026-11-20", tz="UTC"),
    }  # fmt: skip
    return base | overrides


def _scored(rows, as_of=AS_OF, **counts):
    """Score open cases given as raw rows; ``counts`` overrides factor columns per case."""
    features = escalation_features(pd.DataFrame(rows), as_of=as_of)
    for name, values in counts.items():
        features[name] = values
    return score_open_cases(features)


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
    if factor.startswith(("repeats", "signals")):
        ranked = _scored([_open_case(id=i) for i in range(len(values))], **{factor: values})
    else:
        ranked = _scored([_open_case(id=i, **{factor: v}) for i, v in enumerate(values)])
    ranked = ranked.sort_values("id")
    probability = EscalationScorer().predict_proba(ranked)
    assert (np.diff(probability) > 0).all(), f"{factor}: {probability}"
    assert (np.diff(ranked["score"]) >= 0).all()  # the shown score is rounded to 0.1
    assert ((ranked["score"] > 0) & (ranked["score"] < 100)).all()


def test_open_cases_are_ranked_with_overdue_measured_at_as_of_and_reasons():
    rows = [
        _open_case(id=7),
        _open_case(id=8, category="marriage_family", severity="major"),
        _open_case(id=9, deadline=pd.NaT),
    ]
    ranked = _scored(
        rows, as_of=pd.Timestamp("2026-11-25 08:00", tz="UTC"), repeats_parties=[0, 2, 0],
        signals_nearby=[0, 3, 0],
    )  # fmt: skip
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
    empty = score_open_cases(escalation_features(pd.DataFrame(rows).iloc[:0], as_of=AS_OF))
    assert empty.empty


def test_escalation_outcome_is_unresolved_or_violence_nearby_afterwards():
    cases = pd.DataFrame(
        {
            "as_of": pd.to_datetime(["2026-01-01"] * 4),
            "lon": [103.0] * 4,
            "lat": [35.0, 35.0, 35.0 + 10_000 * LAT_PER_M, 35.0 + 20_000 * LAT_PER_M],
            "unresolved": [True, False, False, False],
        }
    )
    signals = pd.DataFrame(
        {
            # near case 0/1 after the date; near case 2 but before; near case 3 but a hazard.
            "observed_at": pd.to_datetime(["2026-01-10", "2025-12-20", "2026-01-05"]),
            "kind": ["violence", "violence", "hazard"],
            "lon": [103.0] * 3,
            "lat": [35.0 + 300 * LAT_PER_M, 35.0 + 10_100 * LAT_PER_M, 35.0 + 20_050 * LAT_PER_M],
        }
    )
    out = escalation_outcome(cases, signals, days=30, radius_m=1000.0)
    assert out.tolist() == [True, True, False, False]
