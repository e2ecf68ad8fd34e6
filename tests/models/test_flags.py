"""Which grids are flagged and why, on small hand-made panels (synthetic counts)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.flags import (
    EMERGING_ZH,
    emerging_flags,
    flagged_counts,
    gistar_flags,
    model_flags,
    top_units,
    trailing_gistar,
    with_emerging_class,
)
from models.risk import Factor
from models.spatial import grid_adjacency

COL, ROW = (a.ravel() for a in np.meshgrid(np.arange(7), np.arange(7)))
ADJACENCY = grid_adjacency(COL, ROW, queen=True)
CENTRE = (abs(COL - 3) <= 1) & (abs(ROW - 3) <= 1)
GRID_IDS = np.arange(101, 150)
START = pd.Timestamp("2024-03-04")


def _cluster_counts(periods=8, level=6.0):
    """One event per grid and period, ``level`` more in the 3 × 3 centre block."""
    counts = np.ones((periods, COL.size), dtype=np.float32)
    counts[:, CENTRE] += level
    return counts


def test_gistar_flags_the_centre_block_with_its_window_in_words():
    counts = _cluster_counts()
    series = trailing_gistar(counts, ADJACENCY, window=4, periods=[6, 7])
    assert series.periods == [6, 7]
    flags = gistar_flags(
        series.trailing[-1], series.results[-1], unit_ids=GRID_IDS, period_start=START, window=4,
        period="week",
    )  # fmt: skip
    flagged = {f["grid_id"] for f in flags}
    assert flagged and flagged <= set(GRID_IDS[CENTRE])
    assert GRID_IDS[24] in flagged  # the middle of the block
    middle = next(f for f in flags if f["grid_id"] == GRID_IDS[24])
    assert middle["method"] == "gistar" and middle["score"] == 28.0
    assert middle["z"] > 0 and middle["p"] < 0.05
    assert middle["explanation"] == (
        f"Gi* z={middle['z']:.2f}：近4周本网格及相邻网格纠纷集中（本网格28起）"
    )


def test_gistar_of_a_period_reads_only_the_window_before_it():
    counts = _cluster_counts()
    later = counts.copy()
    later[7:] = 50.0  # the period being flagged and after: must not count
    before = trailing_gistar(counts, ADJACENCY, window=4, periods=[7])
    after = trailing_gistar(later, ADJACENCY, window=4, periods=[7])
    np.testing.assert_array_equal(before.trailing[0], after.trailing[0])
    np.testing.assert_array_equal(before.results[0].z_, after.results[0].z_)


def test_model_flags_the_top_share_with_reasons_or_a_fallback():
    expected = np.array([0.1, 3.0, 0.5, 2.0])
    rank = np.array([4, 1, 3, 2])
    top = top_units(expected, 0.5)
    assert list(top) == [1, 3]
    assert list(top_units(expected, 0.01)) == [1], "at least one grid is flagged"
    factors = {1: [Factor("recent_count", "近4月纠纷5起（全县前1%）", 0.4),
                   Factor("season", "春耕时节", 0.1)], 3: []}  # fmt: skip
    flags = model_flags(
        expected, rank, top, factors, unit_ids=["g1", "g2", "g3", "g4"], period_start=START,
        period="month",
    )  # fmt: skip
    assert [f["grid_id"] for f in flags] == ["g2", "g4"]
    assert (
        flags[0]["explanation"]
        == "预计本月纠纷3.00起（全县第1位）：近4月纠纷5起（全县前1%）；春耕时节"
    )
    assert flags[1]["explanation"] == "预计本月纠纷2.00起（全县第2位）：综合风险较高"
    assert flags[1]["score"] == 2.0 and flags[1]["method"] == "model"


def test_a_growing_cluster_is_an_emerging_hot_spot_named_in_chinese():
    counts = np.ones((16, COL.size), dtype=np.float32)
    counts[:, CENTRE] += np.arange(16)[:, None] * 2.0
    series = trailing_gistar(counts, ADJACENCY, window=4, periods=range(4, 16))
    emerging = series.emerging()
    flags = emerging_flags(emerging, series.results[-1].z_, unit_ids=GRID_IDS, period_start=START)
    assert flags
    for flag in flags:
        u = int(flag["grid_id"]) - GRID_IDS[0]
        label = emerging.labels_[u]
        kind = label.removesuffix(" hot spot")
        assert flag["hotspot_class"] == label and label.endswith("hot spot")
        assert flag["explanation"].startswith(f"{EMERGING_ZH[kind]}（{label}）：Mann–Kendall 趋势")
        assert flag["z"] == series.results[-1].z_[u]
    assert GRID_IDS[24] in {f["grid_id"] for f in flags}


def test_flags_of_the_current_period_carry_the_grids_emerging_class():
    earlier = START - pd.Timedelta(weeks=1)
    flags = [
        {"grid_id": 1, "period_start": START, "method": "model"},
        {"grid_id": 2, "period_start": START, "method": "gistar"},
        {"grid_id": 1, "period_start": earlier, "method": "model"},
        {"grid_id": 1, "period_start": START, "method": "emerging", "hotspot_class": "x"},
    ]
    labels = ["new hot spot", "no pattern"]
    with_emerging_class(flags, labels, unit_ids=[1, 2], period_start=START)
    assert flags[0]["hotspot_class"] == "new hot spot"
    assert flags[1]["hotspot_class"] is None
    assert "hotspot_class" not in flags[2]
    assert flags[3]["hotspot_class"] == "x"
    assert flagged_counts(flags, START) == {"model": 1, "gistar": 1, "emerging": 1}
