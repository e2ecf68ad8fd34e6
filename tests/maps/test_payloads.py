"""Layer payloads, display geometry and assets: pure functions, no browser."""

from __future__ import annotations

import json
import re

import factories as f
import numpy as np
import shapely

from core.crs import wgs84_to_gcj02
from maps.assets import BUNDLES, AssetOptions, asset_html
from maps.base import to_js
from maps.command_room import command_room_map, command_room_payloads, render_page
from maps.display import display_geometries
from maps.features import routed_text
from maps.payloads import _factors_text, disputes_payload, grids_payload, hotspot_class_style
from maps.redraw import changed_codes


def _wavy_tiling(n: int = 6) -> np.ndarray:
    """n x n cells whose shared edges carry many small zigzags (like digitised boundaries)."""
    xs = np.linspace(0, 0.3, 61)

    def edge(y0, k):
        return [(x, y0 + (0.0004 if (i + k) % 2 else 0.0)) for i, x in enumerate(xs)]

    lines = [edge(0.05 * j, j) for j in range(n + 1)]
    cells = []
    step = 60 // n
    for j in range(n):
        for i in range(n):
            bottom = lines[j][i * step : (i + 1) * step + 1]
            top = lines[j + 1][i * step : (i + 1) * step + 1][::-1]
            cells.append(shapely.Polygon(bottom + top))
    return np.array(cells, dtype=object)


def test_display_simplification_keeps_the_tiling_and_cuts_vertices():
    cells = _wavy_tiling()
    simple = display_geometries(cells, tolerance=0.003)
    assert shapely.get_num_coordinates(simple).sum() < shapely.get_num_coordinates(cells).sum() / 2
    union_before = shapely.union_all(cells).area
    assert abs(shapely.union_all(simple).area - union_before) < 1e-9  # no gaps
    assert sum(shapely.area(simple)) - union_before < 1e-9  # no overlaps


def test_coordinates_are_rounded_and_shifted_for_amap():
    point = np.array([shapely.Point(103.353456789, 34.692345678)], dtype=object)
    plain = display_geometries(point)
    assert (plain[0].x, plain[0].y) == (103.35346, 34.69235)
    shifted = display_geometries(point, gcj02=True)
    lon, lat = wgs84_to_gcj02(103.353456789, 34.692345678)
    assert (shifted[0].x, shifted[0].y) == (round(float(lon), 5), round(float(lat), 5))


def test_grid_payload_levels_in_words_legend_and_no_scores_notice():
    scored = grids_payload(f.grids())
    props = [feat["properties"] for feat in scored["features"]]
    # risk 0, 1/15 … 15/15: mean 0.5, so 0 … 7/15 are 低, 8/15 … 14/15 中, 15/15 较高 (2×)
    assert {p["cls"] for p in props} == {1, 2, 3}
    assert props[-1]["level"] == "较高 elevated" and props[-1]["expected"] == "预计下周约1.0起"
    assert props[-1]["rank"] == 1 and props[-1]["of"] == 16
    assert props[0]["factors"] == ["近期纠纷 recent disputes", "信访 petitions"]
    labels = [e["label"] for e in scored["wangge"]["legend"]]
    assert labels == ["高 high (0)", "较高 elevated (1)", "中 medium (7)", "低 low (8)"]
    assert scored["wangge"]["synthetic"] is True
    unscored = grids_payload(f.grids(with_risk=False, synthetic=False))
    assert {feat["properties"]["cls"] for feat in unscored["features"]} == {None}
    assert any("暂无风险评分" in n for n in unscored["wangge"]["notices"])
    assert unscored["wangge"]["synthetic"] is False


def test_dispute_payload_keeps_open_cases_and_marks_overdue():
    payload = disputes_payload(f.disputes(), now=f.NOW)
    cases = {feat["properties"]["case"]: feat["properties"] for feat in payload["features"]}
    assert set(cases) == {"D-001", "D-002", "D-003"}
    assert cases["D-002"]["overdue"] is True and cases["D-002"]["days_overdue"] == 3
    assert cases["D-001"]["overdue"] is False
    assert cases["D-001"]["status_label"] == "兜底受理 received"
    legend = " ".join(e["label"] for e in payload["wangge"]["legend"])
    assert "协同办理 in progress" in legend and "in_progress" not in legend
    assert any("1 件未定位" in n for n in payload["wangge"]["notices"])


def test_missing_layers_give_empty_payloads_with_notices():
    built = command_room_payloads(
        admin_units=None, grids=None, disputes=None, facilities=None, hotspots=None, now=f.NOW
    )
    for layer, payload in built.items():
        assert payload["features"] == [], layer
        assert any("暂无数据" in n for n in payload["wangge"]["notices"]), layer


def test_hotspot_classes_have_labels_and_colours():
    assert hotspot_class_style("new")[0].startswith("新增热点")
    assert hotspot_class_style("Persistent Hot Spot")[0].startswith("持续热点")
    assert hotspot_class_style("something else")[0] == "其他 other"
    assert len({hotspot_class_style(k)[1:] for k in ("new", "consecutive", "persistent")}) == 3
    assert hotspot_class_style(float("nan"))[0] == hotspot_class_style(None)[0] == "预警 flagged"


def test_pages_link_nothing_outside_and_inline_when_asked():
    frames = dict(
        admin_units=f.admin_units(),
        grids=f.grids(),
        disputes=f.disputes(),
        facilities=f.facilities(),
        hotspots=f.hotspots(),
        now=f.NOW,
    )
    linked = render_page(command_room_map(**frames))
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", linked)
    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in linked
    inline = asset_html(list(BUNDLES), AssetOptions(inline=True))
    assert "<script src" not in inline and "url(images/" not in inline
    assert "sourceMappingURL" not in inline


def test_redraw_changes_are_found_by_code_and_shape():
    current_changed, proposed_changed = changed_codes(f.grids(), f.proposed_grids())
    assert current_changed == {"62302110100101", "62302110100102"}
    assert proposed_changed == {"62302110100117"}


def test_embedded_data_cannot_leave_its_script_element():
    hostile = "<!--<script></script>\u2028&\u2029'\""
    js = to_js({"name": hostile})
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in js
    assert json.loads(js) == {"name": hostile}


def test_factor_texts_and_unrouted_cases_read_in_words():
    assert _factors_text([{"key": "k", "text": "近4周纠纷3起", "effect": 0.2}, {"key": "x"}]) == [
        "近4周纠纷3起"
    ]
    assert routed_text(float("nan")).startswith("已转办") and "nan" not in routed_text(None)
    assert routed_text("城关派出所") == "已转 城关派出所 routed"
