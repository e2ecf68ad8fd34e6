"""The panel: known values on a small case, and no future data in any row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from models.panel import PanelInputs, build_features, build_panel, count_matrix, make_periods
from models.seasons import SPRING_FESTIVAL, season_flags


def _inputs(counts, rng, n_units):
    adjacency = sp.csr_matrix(np.eye(n_units, k=1) + np.eye(n_units, k=-1))
    return PanelInputs(
        counts=counts,
        adjacency=adjacency,
        smoothing=adjacency,
        category_counts={"land": counts * 0.5, "family": counts * 0.5},
        signal_counts=rng.poisson(0.3, counts.shape).astype(np.float32),
        open_cases=rng.poisson(2.0, counts.shape).astype(np.float32),
        overdue_cases=rng.poisson(0.5, counts.shape).astype(np.float32),
        unit_attributes=pd.DataFrame({"households": np.arange(n_units) * 10.0}),
        seasons=pd.DataFrame({"spring_festival": np.zeros(counts.shape[0])}),
    )


def test_perturbing_the_future_leaves_earlier_rows_unchanged():
    rng = np.random.default_rng(7)
    n_periods, n_units, t = 80, 12, 60
    counts = rng.poisson(1.0, (n_periods, n_units)).astype(np.float32)
    base = _inputs(counts, rng, n_units)
    before, _ = build_features(base, range(1, t + 1))
    # Shuffle and scale everything from period t on: counts, categories, signals, case states.
    future = rng.permutation(np.arange(t, n_periods))
    changed = PanelInputs(**vars(base))
    changed.counts = counts.copy()
    changed.counts[t:] = counts[future] * 3 + 1
    changed.category_counts = {k: v.copy() for k, v in base.category_counts.items()}
    for v in changed.category_counts.values():
        v[t:] = 5
    for name in ("signal_counts", "open_cases", "overdue_cases"):
        arr = getattr(base, name).copy()
        arr[t:] = 9
        setattr(changed, name, arr)
    after, _ = build_features(changed, range(1, t + 1))
    pd.testing.assert_frame_equal(before, after)


def test_known_values_for_one_row():
    counts = np.zeros((10, 3), np.float32)
    counts[[2, 7, 8], 0] = [1, 2, 3]
    counts[8, 1] = 4
    adjacency = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], float))
    frame, y = build_features(PanelInputs(counts=counts, adjacency=adjacency), [9])
    row = frame.iloc[0]
    assert row["lag1"] == 3 and row["lag2"] == 5 and row["lag8"] == 6
    assert row["long_run_rate"] == pytest.approx(6 / 9)
    assert row["since_last"] == 1
    assert frame.iloc[1]["nb_lag1"] == 3  # unit 1 sees unit 0's last period
    assert frame.iloc[0]["nb_lag1"] == 4
    assert y.tolist() == [0, 0, 0]


def test_rows_for_the_next_period_have_no_target():
    counts = np.ones((5, 2), np.float32)
    frame, y = build_features(PanelInputs(counts=counts), [5])
    assert y is None and frame["lag1"].tolist() == [1, 1]


def test_build_panel_from_events_and_seasons():
    times = pd.to_datetime(["2024-01-29", "2024-02-06", "2024-02-12", "2024-03-04", "2024-03-05"])
    index, starts, ends = make_periods(times, "week")
    assert index.tolist() == [0, 1, 2, 5, 5]
    events = pd.DataFrame({"unit": [0, 1, 0, 1, 1], "period": index, "category": list("aabab")})
    frame, y = build_panel(
        events, n_units=2, period_starts=starts, period_ends=ends, periods=range(1, 6)
    )
    assert y.sum() == 4  # periods 1..5 hold 1 + 1 + 0 + 0 + 2 events
    festival_week = starts.get_loc(pd.Timestamp("2024-02-05"))
    assert frame.loc[frame["period"] == festival_week, "spring_festival"].eq(1).all()
    assert "cat_a_lag4" in frame.columns and "cat_b_lag4" in frame.columns


def test_season_flags():
    starts = pd.DatetimeIndex(["2024-02-05", "2024-04-01", "2024-08-05", "2024-11-04"])
    flags = season_flags(starts, starts + pd.Timedelta(days=7))
    assert flags["spring_festival"].tolist() == [1, 0, 0, 0]
    assert flags["ploughing"].tolist() == [0, 1, 0, 0]
    assert flags["harvest"].tolist() == [0, 0, 1, 0]
    assert len(SPRING_FESTIVAL) == 26


def test_count_matrix():
    m = count_matrix(np.array([0, 0, 1]), np.array([1, 1, 0]), n_units=2, n_periods=2)
    assert m.tolist() == [[0, 1], [2, 0]]


def test_scoring_one_period_matches_the_training_path():
    # One requested period takes direct sums; many take cumulative sums and recursions.
    rng = np.random.default_rng(11)
    counts = rng.poisson(0.7, (90, 15)).astype(np.float32)
    inputs = _inputs(counts, rng, 15)
    many, _ = build_features(inputs, range(1, 90))
    one, _ = build_features(inputs, [89])
    expected = many[many["period"] == 89].reset_index(drop=True)
    pd.testing.assert_frame_equal(one, expected, rtol=1e-5)
