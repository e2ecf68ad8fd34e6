"""The risk model on a small SYNTHETIC panel: expected counts, ranks, plain-words factors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from models.panel import PanelInputs, build_features
from models.risk import RiskModel, factor_group


def _synthetic_panel(seed=0):
    rng = np.random.default_rng(seed)
    n_units, n_periods = 60, 70
    rate = np.where(np.arange(n_units) < 6, 1.5, 0.1)
    counts = rng.poisson(rate, (n_periods, n_units)).astype(np.float32)
    adjacency = sp.csr_matrix(np.eye(n_units, k=1) + np.eye(n_units, k=-1))
    festival = np.zeros(n_periods)
    festival[60:] = 1
    inputs = PanelInputs(
        counts=counts,
        adjacency=adjacency,
        unit_attributes=pd.DataFrame({"households": rng.integers(20, 200, n_units)}),
        seasons=pd.DataFrame({"spring_festival": festival}),
    )
    return inputs


def test_fit_returns_self_and_ranks_the_busy_units_first():
    inputs = _synthetic_panel()
    train, y = build_features(inputs, range(20, 69))
    model = RiskModel(max_iter=60, random_state=0)
    assert model.fit(train, y) is model
    latest, _ = build_features(inputs, [69])
    expected = model.predict(latest)
    ranks = RiskModel.rank(expected)
    assert set(np.argsort(ranks)[:6]) == set(range(6))
    assert expected[:6].mean() > 5 * expected[6:].mean()


def test_zero_subsampling_keeps_expected_counts_roughly_unbiased():
    inputs = _synthetic_panel()
    train, y = build_features(inputs, range(20, 69))
    latest, _ = build_features(inputs, [69])
    full = RiskModel(max_iter=60, random_state=0).fit(train, y).predict(latest).sum()
    sampled = RiskModel(max_iter=60, zero_keep=0.3, random_state=0).fit(train, y)
    assert abs(sampled.predict(latest).sum() / full - 1) < 0.25


def test_explanations_are_plain_chinese_with_english_keys():
    inputs = _synthetic_panel()
    train, y = build_features(inputs, range(20, 69))
    model = RiskModel(max_iter=60, random_state=0).fit(train, y)
    latest, _ = build_features(inputs, [69])
    factors = model.explain(latest, rows=[0, 1, 2], top=3)
    assert len(factors) == 3
    keys = {f.key for fs in factors for f in fs}
    assert keys & {"recent_count", "long_run", "neighbours"}
    texts = [f.text for fs in factors for f in fs]
    assert any("全县前" in t for t in texts)
    assert all(f.effect > 0 for fs in factors for f in fs)


def test_factor_groups():
    assert factor_group("nb_lag4") == "neighbours"
    assert factor_group("cat_土地_lag13") == "category"
    assert factor_group("spring_festival") == "season"
    assert factor_group("lag4") == "recent_count"
    assert factor_group("lag52") == "long_run"


def test_unit_weights_fit_the_same_trees_as_no_weights():
    inputs = _synthetic_panel()
    train, y = build_features(inputs, range(20, 69))
    features = train.drop(columns=[c for c in ("period", "unit") if c in train.columns])
    # at least one column is binned at percentiles (more distinct values than bins)
    assert features.nunique().max() > 255
    latest, _ = build_features(inputs, [69])
    plain = RiskModel(max_iter=60, random_state=0).fit(train, y).predict(latest)
    ones = RiskModel(max_iter=60, random_state=0).fit(train, y, np.ones(len(y))).predict(latest)
    np.testing.assert_allclose(ones, plain, rtol=1e-9, atol=1e-12)
