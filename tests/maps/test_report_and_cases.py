"""Pure parts of the report (stamp, reasons cut to two lines), the reasons' cleaning, the
one-row-per-grid review entries and the open cases counted per grid."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from maps.disputes import grid_bubbles
from maps.features import reason_texts
from maps.hotspots import review_payload
from maps.report import REASON_BUDGET, hotspot_report_html, short_reasons, text_width
from tests.maps import factories as f


def test_reasons_come_out_as_words_whatever_their_shape():
    messy = [
        "户数较多（13户）",
        None,
        float("nan"),
        "None",
        " nan ",
        ["季节因素；", {"text": "近4周纠纷2起"}],
    ]
    assert reason_texts(messy) == ["户数较多（13户）", "季节因素", "近4周纠纷2起"]
    assert reason_texts(np.array(["a", "a"], dtype=object)) == ["a"]
    assert reason_texts(None) == [] and reason_texts(float("nan")) == []


def test_long_reasons_are_cut_to_two_lines_and_short_ones_kept_whole():
    short, cut = short_reasons(["近4周纠纷2起"])
    assert (short, cut) == ("近4周纠纷2起。", False)
    long = ["预计本周纠纷0.10起（全县第1位）：户数较多（176户）；距派出所、调解组织较远；季节因素"]
    shown, cut = short_reasons(long)
    assert cut and text_width(shown) <= REASON_BUDGET and long[0].startswith(shown)


def test_report_stamps_beijing_time_and_lists_each_grid_once():
    scores = f.review_scores()
    scores["methods"] = [["model", "gistar"] if flag else None for flag in scores["flagged"]]
    scores["explanation"] = [
        ["近四周纠纷多；户数较多", None, "nan"] if flag else None for flag in scores["flagged"]
    ]
    html = hotspot_report_html(
        grids=f.grids(),
        scores=scores,
        area_name="临潭县",
        generated_at=dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC),
    )
    assert "2026-11-26 10:00 北京时间" in html
    assert html.count("<tr><td class='num'>") == 3
    assert "None" not in html and "nan" not in html
    assert "<span class='tag'>模型</span><span class='tag'>Gi*</span>" in html


def test_review_entries_carry_methods_and_clean_reasons():
    scores = f.review_scores()
    scores["methods"] = [["gistar", "model"] if flag else None for flag in scores["flagged"]]
    payload = review_payload(f.grids(), scores)
    latest = payload["wangge"]["values"][f.PERIODS[-1]]
    flagged = [v for v in latest.values() if v.get("flagged")]
    assert len(flagged) == 3
    assert all(v["methods"] == ["模型 model", "Gi* 热点"] for v in flagged)
    assert all(v["reasons"] and "None" not in v["explanation"] for v in flagged)


def test_open_cases_are_counted_per_grid_at_a_point_inside_it():
    cases = f.disputes().iloc[:3].copy()
    cases["grid_code"] = ["A", "A", "B"]
    cases["grid_lon"] = [103.31, 103.31, None]
    cases["grid_lat"] = [34.91, 34.91, None]
    overdue = np.array([True, False, False])
    bubbles = grid_bubbles(cases, overdue)
    assert [(b["grid"], b["n"], b["overdue"]) for b in bubbles] == [("A", 2, 1), ("B", 1, 0)]
    assert bubbles[0]["at"] == [103.31, 34.91]
    point = cases.geometry.iloc[2]
    assert bubbles[1]["at"] == [round(point.x, 5), round(point.y, 5)]  # no grid point: the case
    shifted = grid_bubbles(cases, overdue, gcj02=True)
    assert shifted[0]["at"] != bubbles[0]["at"]
    cases["grid_code"] = pd.Series([None] * 3, dtype=object, index=cases.index)
    assert grid_bubbles(cases, overdue) == []
