"""Train, score and flag one small synthetic county from frames (no database)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from models.county_risk import score_county
from models.panel import periods_through
from models.spatial import grid_adjacency

COL, ROW = (a.ravel() for a in np.meshgrid(np.arange(7), np.arange(7)))
N = COL.size
FIRST = pd.Timestamp("2024-01-01 09:00", tz="Asia/Shanghai")
AS_OF = pd.Timestamp("2024-10-16 12:00", tz="Asia/Shanghai")  # a Wednesday, week 42


@pytest.fixture(autouse=True)
def one_thread():
    """One OpenMP thread, as services.risk runs it: idle threads spin on a busy machine."""
    with threadpool_limits(limits=1):
        yield


def _county(seed=3):
    """SYNTHETIC: 49 grids, a busy centre, disputes from January up to ``AS_OF``."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1001, 1001 + N)
    grids = pd.DataFrame({
        "id": ids, "households": rng.integers(50, 300, N), "population": rng.integers(200, 900, N),
        "dist_police": rng.uniform(100, 5000, N), "dist_mediation": rng.uniform(100, 5000, N),
        "dist_township": np.nan,
    })  # fmt: skip
    rate = np.where((abs(COL - 3) <= 1) & (abs(ROW - 3) <= 1), 2.0, 0.2)
    hours = int((AS_OF - FIRST) / pd.Timedelta(hours=1))
    per_grid = rng.poisson(rate * hours / 168)
    grid_id = np.repeat(ids, per_grid)
    reported = FIRST + pd.to_timedelta(rng.integers(0, hours, grid_id.size), unit="h")
    closed = reported + pd.to_timedelta(rng.integers(1, 40, grid_id.size), unit="D")
    disputes = pd.DataFrame({
        "grid_id": grid_id, "reported_at": reported.tz_convert("UTC"),
        "category": rng.choice(["土地", "婚姻家庭"], grid_id.size),
        "closed_at": closed.where(closed < AS_OF).tz_convert("UTC"),
        "deadline": (reported + pd.Timedelta(days=15)).tz_convert("UTC"),
    })  # fmt: skip
    signals = pd.DataFrame({
        "grid_id": rng.choice(ids, 60),
        "observed_at": FIRST + pd.to_timedelta(rng.integers(0, hours, 60), unit="h"),
    })  # fmt: skip
    return grids, grid_adjacency(COL, ROW, queen=True), disputes, signals


def test_every_grid_is_scored_for_each_period_and_flagged_with_reasons():
    grids, adjacency, disputes, signals = _county()
    result = score_county(grids, adjacency, disputes, signals, as_of=AS_OF, history=3,
                          flag_share=0.05)  # fmt: skip
    assert result.period_start == pd.Timestamp("2024-10-14")
    periods = sorted(result.scores["period_start"].unique())
    assert len(periods) == 4 and periods[-1] == result.period_start
    for _, block in result.scores.groupby("period_start"):
        assert sorted(block["grid_id"]) == list(grids["id"])
        assert block["rank"].min() == 1
        assert 0 < block["factors"].notna().sum() <= 2
    current = [f for f in result.flags if f["period_start"] == result.period_start]
    model = [f for f in current if f["method"] == "model"]
    assert len(model) == round(0.05 * N)
    assert all(f["explanation"].startswith("预计本周纠纷") for f in model)
    assert {f["method"] for f in current} >= {"model", "gistar"}
    assert all(f["explanation"] for f in result.flags)
    assert all("hotspot_class" in f for f in current)
    assert result.flagged["model"] == len(model)
    assert result.training_rows == N * (41 - 8)


def test_disputes_from_the_scored_period_on_change_nothing():
    grids, adjacency, disputes, signals = _county()
    kwargs = {"as_of": AS_OF, "history": 2}
    before = score_county(grids, adjacency, disputes, signals, **kwargs)
    late = disputes.iloc[:40].copy()
    late["reported_at"] = AS_OF.tz_convert("UTC") + pd.to_timedelta(
        np.arange(40) - 20, unit="h"
    )  # from the morning of the scored week's Wednesday into the next days
    after = score_county(grids, adjacency, pd.concat([disputes, late]), signals, **kwargs)
    pd.testing.assert_frame_equal(before.scores, after.scores)
    assert before.flags == after.flags


def test_too_little_history_or_no_disputes_is_refused_in_both_languages():
    grids, adjacency, disputes, signals = _county()
    first_week = disputes[disputes["reported_at"] < FIRST + pd.Timedelta(days=3)]
    with pytest.raises(ValueError, match=r"历史不足.*not enough history"):
        score_county(grids, adjacency, first_week, signals, as_of=FIRST + pd.Timedelta(days=4))
    elsewhere = disputes.assign(grid_id=1)
    with pytest.raises(ValueError, match=r"没有可供学习的纠纷.*no disputes"):
        score_county(grids, adjacency, elsewhere, signals, as_of=AS_OF)


def test_periods_run_through_as_of():
    times = pd.Series(pd.to_datetime(["2024-01-03", "2024-01-10"]))
    index, starts, ends, current = periods_through(times, "week", pd.Timestamp("2024-02-01"))
    assert list(index) == [0, 1]
    assert current == 4 and len(starts) == 5
    assert starts[0] == pd.Timestamp("2024-01-01") and ends[-1] == pd.Timestamp("2024-02-05")


def test_a_young_county_is_scored_by_its_smoothed_past_with_a_sentence():
    grids, adjacency, disputes, signals = _county()
    young = disputes.sample(14, random_state=1)
    result = score_county(grids, adjacency, young, signals, as_of=AS_OF)
    assert "不足以训练模型" in result.note and "too few to train" in result.note
    assert result.training_rows == 0
    assert result.scores["expected"].notna().all() and (result.scores["expected"] >= 0).all()
    flagged = [f for f in result.flags if f["method"] == "model"]
    assert flagged and all("起" in f["explanation"] for f in flagged)
    first_weeks = disputes[disputes["reported_at"] < FIRST + pd.Timedelta(days=20)]
    early = score_county(
        grids, adjacency, first_weeks, signals, as_of=FIRST + pd.Timedelta(days=20)
    )
    assert early.note and not early.scores.empty


def test_monthly_reasons_count_months_and_never_contradict_the_numbers():
    grids, adjacency, disputes, signals = _county()
    result = score_county(grids, adjacency, disputes, signals, period="month", as_of=AS_OF)
    texts = [f["explanation"] for f in result.flags if f["method"] in ("model", "gistar")]
    assert texts and not any("周" in text for text in texts)
    for row in result.scores.dropna(subset=["factors"]).itertuples():
        for factor in row.factors:
            assert factor["effect"] > 0
            assert "纠纷0起" not in factor["text"] and "信号0条" not in factor["text"]


def test_each_grid_gets_a_chance_of_any_dispute_that_follows_its_expectation():
    grids, adjacency, disputes, signals = _county()
    result = score_county(grids, adjacency, disputes, signals, as_of=AS_OF, history=3)
    chance = result.scores["probability"]
    assert chance.notna().all() and chance.between(0, 1).all()
    for _, block in result.scores.groupby("period_start"):
        ordered = block.sort_values("expected")["probability"].to_numpy()
        assert np.all(np.diff(ordered) >= 0)
    # the centre's 9 grids expect 2 disputes a week (at least one: 86 %), the others 0.2 (18 %)
    current = result.scores[result.scores["period_start"] == result.period_start]
    centre = (abs(COL - 3) <= 1) & (abs(ROW - 3) <= 1)
    chance = current.set_index("grid_id").loc[grids["id"], "probability"].to_numpy()
    assert abs(chance[centre].mean() - (1 - np.exp(-2.0))) < 0.1
    assert abs(chance[~centre].mean() - (1 - np.exp(-0.2))) < 0.06


def test_a_young_county_gets_the_poisson_chance_of_its_smoothed_rate():
    grids, adjacency, disputes, signals = _county()
    young = disputes.sample(14, random_state=1)
    scores = score_county(grids, adjacency, young, signals, as_of=AS_OF).scores
    np.testing.assert_allclose(scores["probability"], 1 - np.exp(-scores["expected"]))
