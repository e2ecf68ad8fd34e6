"""The hotspot review map: model risk and Gi* side by side, period by period.

Left, the risk model's score per grid; right, the Getis–Ord Gi* z-score (Getis & Ord 1992;
Ord & Getis 1995) in the usual 90/95/99 % confidence bands. Both maps move together; a
slider picks the period; grids flagged in that period are outlined in the colour of
their emerging hot spot class and list their explanation and review status.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element

from core import risk_levels
from maps.assets import AssetOptions
from maps.base import Basemap, DataLayer, Dataset, MapScript, new_figure, new_map, to_js
from maps.display import DEFAULT_TOLERANCE_DEG, bounds_of
from maps.features import (
    NODATA_COLOUR,
    clean,
    col,
    empty_payload,
    feature_collection,
    is_synthetic,
    reason_texts,
    records,
)
from maps.payloads import hotspot_class_style, risk_legend
from maps.styles import GRID_FILL_OPACITY, METHOD_LABELS, REVIEW_LABELS, RISK_PALETTE

MAP_VW = 39  # width of each map, in % of the window; the flagged list takes the rest
# Gi* z bands: cold 99/95/90 %, not significant, hot 90/95/99 %.
GI_BREAKS = [-2.576, -1.960, -1.645, 1.645, 1.960, 2.576]
GI_PALETTE = ["#2166ac", "#67a9cf", "#d1e5f0", "#374151", "#fddbc7", "#ef8a62", "#b2182b"]
GI_LABELS = [
    "冷点 cold 99%",
    "冷点 cold 95%",
    "冷点 cold 90%",
    "不显著 not significant",
    "热点 hot 90%",
    "热点 hot 95%",
    "热点 hot 99%",
]


def gi_classes(z: pd.Series) -> np.ndarray:
    """Confidence band of each Gi* z-score (0–6, −1 where missing)."""
    values = pd.to_numeric(z, errors="coerce").to_numpy(dtype=float)
    bands = np.digitize(values, GI_BREAKS)
    return np.where(np.isnan(values), -1, bands)


def _period_text(value: object) -> str:
    return str(pd.Timestamp(value).date())


def _periods_of(scores: pd.DataFrame | None) -> list[str]:
    if scores is None or scores.empty:
        return []
    return [_period_text(p) for p in scores["period_start"]]


def _levels_per_period(scores: pd.DataFrame) -> list:
    """The risk level of every row, each period against its own county mean."""
    expected = pd.to_numeric(col(scores, "model_score"), errors="coerce")
    levels: list = [None] * len(scores)
    for _, rows in scores.groupby(scores["period_start"].map(_period_text)).groups.items():
        values = [clean(v) for v in expected.loc[rows]]
        for index, level in zip(rows, risk_levels.levels_of(values), strict=True):
            levels[index] = level
    return levels


def _method_tags(value: object) -> list[str] | None:
    """The methods that flagged a grid, in words, model first (the column may be absent)."""
    methods = [str(m) for m in reason_texts(value)]
    order = list(METHOD_LABELS)
    methods.sort(key=lambda m: (order.index(m) if m in order else len(order), m))
    return [METHOD_LABELS.get(m, m) for m in dict.fromkeys(methods)] or None


def review_payload(
    grids: gpd.GeoDataFrame | None,
    scores: pd.DataFrame | None,
    *,
    tolerance: float = DEFAULT_TOLERANCE_DEG,
    gcj02: bool = False,
) -> dict:
    """Grid shapes once, plus per-period classes and review details.

    ``grids``: ``code``, ``name`` (required), ``village``, ``synthetic``.
    ``scores``: one row per grid and period: ``grid_code``, ``period_start`` (required),
    ``model_score``, ``gi_z``, ``gi_p``, ``hotspot_class``, ``flagged`` (bool), ``methods``
    (the methods that flagged the grid), ``explanation`` (a text or a list of reasons),
    ``review_status`` (pending | confirmed | dismissed), ``synthetic``. A flagged grid's
    entry has ``reasons`` (clean sentences) and ``explanation`` (them joined).
    Model scores share one classification over all periods, so colours compare across time.
    """
    title = "热点审核 hotspot review"
    if grids is None or grids.empty:
        return empty_payload("review", title=title)
    synthetic = is_synthetic(grids) or is_synthetic(scores)
    notices: list[str] = []
    periods: list[str] = []
    values: dict[str, dict[str, dict]] = {}
    model_levels: list = []
    class_styles: list[tuple[str, str, str]] = []
    if scores is None or scores.empty:
        notices.append(f"{title}: 暂无评分与热点 / no scores or hotspots yet")
    else:
        scores = scores.reset_index(drop=True)
        model_levels = _levels_per_period(scores)
        gi_cls = gi_classes(col(scores, "gi_z"))
        flagged = col(scores, "flagged", False).fillna(False).astype(bool).to_numpy()
        styles = [
            hotspot_class_style(c) if f else None
            for c, f in zip(col(scores, "hotspot_class"), flagged, strict=True)
        ]
        class_styles = list(dict.fromkeys(s for s in styles if s))
        period_text = [_period_text(p) for p in scores["period_start"]]
        periods = sorted(set(period_text))
        if col(scores, "model_score").isna().all():
            notices.append(f"{title}: 暂无模型评分 / no model scores yet")
        if col(scores, "gi_z").isna().all():
            notices.append(f"{title}: 暂无 Gi* / no Gi* yet")
        raw = records(scores, {"score": "model_score", "z": "gi_z", "p": "gi_p"})
        for i, row in enumerate(raw):
            entry = {k: v for k, v in row.items() if v is not None}
            level = model_levels[i]
            entry["model"] = risk_levels.LEVELS.index(level) if level else None
            if level:
                entry["level"] = level.label
                entry["expected"] = risk_levels.expected_text(row["score"])
            entry["gi"] = int(gi_cls[i]) if gi_cls[i] >= 0 else None
            if flagged[i]:
                status = clean(col(scores, "review_status").iloc[i]) or "pending"
                reasons = reason_texts(col(scores, "explanation").iloc[i])
                if reasons:
                    entry.update(reasons=reasons, explanation="。".join(reasons))
                entry.update(
                    flagged=True,
                    flag=class_styles.index(styles[i]),
                    class_label=styles[i][0],
                    status_label=REVIEW_LABELS.get(status, "待审核 pending"),
                    methods=_method_tags(col(scores, "methods").iloc[i]),
                )
            values.setdefault(period_text[i], {})[str(scores.at[i, "grid_code"])] = entry
    latest = [lv for lv, p in zip(model_levels, _periods_of(scores), strict=True)
              if periods and p == periods[-1]]  # fmt: skip
    model_legend = (
        risk_legend(latest)
        if any(latest)
        else [
            {"colour": NODATA_COLOUR, "label": "暂无评分 not scored", "opacity": GRID_FILL_OPACITY}
        ]
    )
    meta = {
        "layer": "review",
        "synthetic": synthetic,
        "notices": notices,
        "periods": periods,
        "values": values,
        "nodata_colour": NODATA_COLOUR,
        "palettes": {
            "model": RISK_PALETTE,
            "gi": GI_PALETTE,
            "flag": [c for _, c, _ in class_styles],
        },
        "dashes": {"flag": [d for _, _, d in class_styles]},
        "fill_opacities": {"model": GRID_FILL_OPACITY, "gi": GRID_FILL_OPACITY},
        "legends": {
            "model": model_legend,
            "gi": [
                {"colour": c, "label": lab, "opacity": GRID_FILL_OPACITY}
                for c, lab in zip(GI_PALETTE, GI_LABELS, strict=True)
            ],
            "flag": [
                {"colour": c, "label": lab, "shape": "line", "dash": d}
                for lab, c, d in class_styles
            ],
        },
        "legend_titles": {
            "model": "模型风险 预计下周纠纷 model risk",
            "gi": "Gi* z (Getis–Ord)",
            "flag": "预警类型 emerging hotspot class",
        },
    }
    return feature_collection(
        grids.reset_index(drop=True),
        lambda f: records(f, {"code": "code", "name": "name", "village": "village"}),
        meta,
        tolerance=tolerance,
        coverage=True,
        gcj02=gcj02,
    )


def hotspot_review_map(
    *,
    grids: gpd.GeoDataFrame | None,
    scores: pd.DataFrame | None,
    admin_units: gpd.GeoDataFrame | None = None,
    title: str = "热点预警审核 hotspot review",
    data_url: str | None = None,
    report_url: str | None = None,
    basemap: Basemap | None = None,
    assets: AssetOptions | None = None,
    dark: bool = True,
) -> folium.Map:
    """Two synced maps (model risk | Gi*) with a period slider and the flagged-grid list.

    Returns the left map; render the page with ``m.get_root().render()``. With ``data_url``
    the review payload is re-fetched from that URL every minute (review status changes).
    """
    from maps.command_room import add_admin_units  # boundaries are drawn the same way

    basemap = basemap or Basemap()
    gcj02 = basemap.shift_to_gcj02
    payload = review_payload(grids, scores, gcj02=gcj02)
    figure = new_figure(title=title, dark=dark, assets=[], options=assets or AssetOptions())
    bounds = bounds_of([grids], gcj02=gcj02)
    # two maps side by side, the flagged list in a column of its own on the right and the
    # period slider in a strip below (html.wg-review in wangge.css): nothing covers a map
    half = {"width": f"{MAP_VW}vw", "height": "100%", "top": "0%", "position": "absolute"}
    left = new_map(bounds=bounds, basemap=basemap, left="0vw", **half)
    right = new_map(bounds=bounds, basemap=basemap, left=f"{MAP_VW}vw", **half)
    figure.header.add_child(
        Element("<script>document.documentElement.classList.add('wg-review');</script>"),
        name="wangge_review",
    )
    figure.add_child(left)
    figure.add_child(right)
    left.add_child(Dataset("review", payload, data_url))
    if admin_units is not None:
        add_admin_units(admin_units, m=left, gcj02=gcj02)
    flagged = {"field": "flag", "mode": "outline"}
    for m, field, name, role in (
        (left, "model", "模型风险 model risk", "model"),
        (right, "gi", "Gi* z", "gi"),
    ):
        m.add_child(
            DataLayer("periodic", "review", name=name, options={"field": field, "role": role})
        )
        options = {**flagged, "role": f"flagged_{role}"}
        m.add_child(DataLayer("periodic", "review", name="预警网格 flagged", options=options))
    panel = {"title": title, "subtitle": "左 模型风险 model · 右 Gi*"}
    left.add_child(MapScript(f"wangge.addPanel({{map}}, {to_js(panel)});"))
    right.add_child(MapScript("wangge.fitToScreen({map});"))
    legend_left = [{"key": "review", "field": "model"}, {"key": "review", "field": "flag"}]
    legend_right = [{"key": "review", "field": "gi"}]
    left.add_child(MapScript(f"wangge.addLegend({{map}}, {to_js(legend_left)}, 'bottomleft');"))
    right.add_child(MapScript(f"wangge.addLegend({{map}}, {to_js(legend_right)}, 'bottomright');"))
    right.add_child(MapScript("wangge.addFlaggedList({map}, 'review', 'gi', '#wg-flagged');"))
    left.add_child(MapScript("wangge.addSearch({map}, ['model'], '#wg-review-search');"))
    folium.LayerControl(collapsed=True, position="topright").add_to(left)
    folium.LayerControl(collapsed=True, position="topleft").add_to(right)
    # script order follows the order maps were added, so the left map exists here
    right.add_child(MapScript(f"wangge.syncMaps({left.get_name()}, {{map}});"))
    if data_url:
        right.add_child(MapScript("wangge.startRefresh(60);"))
    link = ""
    if report_url:
        href = html.escape(report_url)
        link = f'<a class="wg-report-link" href="{href}">打印报告 / printable report</a>'
    figure.html.add_child(
        Element(
            f'<div class="wg-caption" style="left:{MAP_VW / 2}vw">模型风险 model risk</div>'
            f'<div class="wg-caption" style="left:{MAP_VW * 1.5}vw">Gi* 热点 z-score</div>'
            '<aside class="wg-review-side" aria-label="预警网格 flagged grids">'
            '<div id="wg-review-search"></div><div id="wg-flagged"></div></aside>'
            f'<div class="wg-bottom-bar"><span id="wg-period"></span>{link}</div>'
        )
    )
    slider = Element("wangge.addPeriodSlider('review', '#wg-period');")
    figure.script.add_child(slider, name="wangge_slider")
    return left
