"""The redraw map: current grids and a proposed plan side by side, changes highlighted.

Both maps share one household classification so colours compare; every grid is labelled
with its households; a grid counts as changed when no grid on the other side has the
same code and (nearly) the same shape, so closed, new, split and reshaped grids all show.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element

from maps.assets import AssetOptions
from maps.base import Basemap, DataLayer, Dataset, MapScript, new_figure, new_map, to_js
from maps.display import DEFAULT_TOLERANCE_DEG, bounds_of, to_wgs84
from maps.features import (
    NODATA_COLOUR,
    classify,
    col,
    empty_payload,
    feature_collection,
    is_synthetic,
    range_labels,
    records,
)

HOUSEHOLD_PALETTE = ["#edf8fb", "#b3cde3", "#8c96c6", "#8856a7", "#810f7c"]
CHANGED_COLOUR = "#f97316"
# Share of a grid's area that may differ before it counts as reshaped (digitising noise).
RESHAPE_TOLERANCE = 0.01


def changed_codes(current: gpd.GeoDataFrame, proposed: gpd.GeoDataFrame) -> tuple[set, set]:
    """Codes of current and proposed grids that differ between the two.

    From the plan's own diff when the proposal says which grids changed (``changed``: new,
    split, or households moved in or out): a current grid changed when its code is gone or its
    successor changed. Otherwise by code and shape.
    """
    if "changed" in proposed.columns:
        flags = proposed["changed"].fillna(True).astype(bool)
        codes = proposed["code"].astype(str)
        new_changed = set(codes[flags.to_numpy()])
        kept = set(codes)
        cur_codes = set(current["code"].astype(str))
        return {c for c in cur_codes if c not in kept or c in new_changed}, new_changed
    cur = to_wgs84(current).set_index(current["code"].astype(str)).geometry
    new = to_wgs84(proposed).set_index(proposed["code"].astype(str)).geometry
    common = cur.index.intersection(new.index)
    a, b = cur.loc[common].values, new.loc[common].values
    sym = shapely.area(shapely.symmetric_difference(a, b))
    base = np.maximum(shapely.area(a), 1e-18)
    reshaped = set(common[sym / base > RESHAPE_TOLERANCE])
    return (set(cur.index) - set(common)) | reshaped, (set(new.index) - set(common)) | reshaped


def redraw_payloads(
    current: gpd.GeoDataFrame | None,
    proposed: gpd.GeoDataFrame | None,
    *,
    tolerance: float = DEFAULT_TOLERANCE_DEG,
    gcj02: bool = False,
) -> dict[str, dict]:
    """``{"current": payload, "proposed": payload}``, households classed on both together.

    Columns of both frames: ``code`` (required), ``name``, ``households``, ``population``,
    ``status`` (kept | split | new, as the redraw plan says), ``synthetic``.
    """
    titles = {"current": "现行网格 current grids", "proposed": "方案网格 proposed grids"}
    frames = {"current": current, "proposed": proposed}
    if any(f is None or f.empty for f in frames.values()):
        return {
            key: empty_payload(key, title=titles[key])
            if frame is None or frame.empty
            else redraw_payloads(frame, frame, tolerance=tolerance, gcj02=gcj02)[key]
            for key, frame in frames.items()
        }
    both = pd.concat([col(current, "households"), col(proposed, "households")], ignore_index=True)
    cls, bins = classify(both, k=5)
    low = float(pd.to_numeric(both, errors="coerce").min()) if bins else 0.0
    legend = [
        {"colour": HOUSEHOLD_PALETTE[i], "label": f"{lab} 户"}
        for i, lab in enumerate(range_labels(bins, low, digits=0))
    ] or [{"colour": NODATA_COLOUR, "label": "户数未知 / households unknown"}]
    legend.append({"colour": CHANGED_COLOUR, "label": "调整 changed", "shape": "line"})
    changed = dict(zip(("current", "proposed"), changed_codes(current, proposed), strict=True))
    offsets = {"current": 0, "proposed": len(current)}
    out = {}
    for key, frame in frames.items():
        frame = frame.reset_index(drop=True)

        def properties(f: pd.DataFrame, key=key, frame=frame) -> list[dict]:
            rows = records(
                f,
                {
                    "code": "code",
                    "name": "name",
                    "households": "households",
                    "population": "population",
                    "status": "status",
                },
            )
            for row, i in zip(rows, f.index, strict=True):
                c = cls[offsets[key] + i]
                row["cls"] = int(c) if c >= 0 else None
                row["changed"] = str(row["code"]) in changed[key]
            return rows

        out[key] = feature_collection(
            frame,
            properties,
            {
                "layer": key,
                "legend_title": f"{titles[key]} ({len(frame)})",
                "legend": legend,
                "palette": HOUSEHOLD_PALETTE[: len(bins)],
                "nodata_colour": NODATA_COLOUR,
                "synthetic": is_synthetic(frame),
                "changed": len(changed[key]),
            },
            tolerance=tolerance,
            coverage=True,
            gcj02=gcj02,
        )
    return out


def plan_not_found_html(plan: int) -> str:
    """A plain page saying that redraw plan ``plan`` does not exist (or is not the caller's)."""
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<title>方案不存在 plan not found</title>"
        "<link rel='stylesheet' href='/static/wangge/wangge.css'></head>"
        "<body class='wg-not-found'><main style='max-width:40em;margin:4em auto;"
        "font-family:sans-serif'>"
        f"<h1>没有编号为 {int(plan)} 的网格调整方案</h1>"
        f"<p>Redraw plan {int(plan)} does not exist, or it lies outside your area.</p>"
        "<p>请在命令行 <code>wangge redraw</code> 或接口 POST /api/v1/redraw 生成方案。"
        " Make a plan with <code>wangge redraw</code> or POST /api/v1/redraw.</p>"
        "</main></body></html>"
    )


def _desk_link(url: str | None) -> str:
    if not url:
        return ""
    return (
        f"<p class='wg-desk-link'><a href='{html.escape(url, quote=True)}'>"
        "在工作台调整 edit at the redraw desk</a></p>"
    )


def _metrics_html(metrics: dict | None) -> str:
    if not metrics:
        return "<div class='wg-metrics'>暂无方案指标 / no plan metrics</div>"
    shown = [
        ("grids", "网格数 grids"),
        ("households_min", "最少户数 min households"),
        ("households_max", "最多户数 max households"),
        ("max_deviation", "最大偏差 max deviation"),
        ("households_moved", "调整户数 households moved"),
        ("polsby_popper_mean", "紧凑度 compactness (Polsby–Popper)"),
        ("contiguous", "连通 contiguous"),
    ]
    rows = "".join(
        f"<tr><th>{label}</th><td>{metrics[key]}</td></tr>"
        for key, label in shown
        if key in metrics
    )
    summary = metrics.get("summary")
    note = f"<p class='wg-plan-summary'>{html.escape(summary)}</p>" if summary else ""
    return f"<table class='wg-kv wg-metrics'>{rows}</table>{note}"


def redraw_map(
    *,
    current: gpd.GeoDataFrame | None,
    proposed: gpd.GeoDataFrame | None,
    plan_label: str,
    metrics: dict | None = None,
    title: str = "网格调整方案 grid redraw",
    basemap: Basemap | None = None,
    assets: AssetOptions | None = None,
    dark: bool = True,
    desk_url: str | None = None,
) -> folium.Map:
    """Two synced maps: current grids (left) and the proposal (right), with a link to the redraw
    desk at ``desk_url`` when given. Returns the left map."""
    basemap = basemap or Basemap()
    gcj02 = basemap.shift_to_gcj02
    payloads = redraw_payloads(current, proposed, gcj02=gcj02)
    figure = new_figure(title=title, dark=dark, assets=[], options=assets or AssetOptions())
    bounds = bounds_of([current, proposed], gcj02=gcj02)
    half = {"width": "50%", "height": "100%", "top": "0%", "position": "absolute"}
    left = new_map(bounds=bounds, basemap=basemap, left="0%", **half)
    right = new_map(bounds=bounds, basemap=basemap, left="50%", **half)
    figure.add_child(left)
    figure.add_child(right)
    for key, m, name in (("current", left, "现行 current"), ("proposed", right, "方案 proposed")):
        m.add_child(Dataset(key, payloads[key]))
        fill = {"role": key, "popup": "redraw", "label": "households", "fillOpacity": 0.75}
        m.add_child(DataLayer("polygons", key, name=name, options=fill))
        outline = {
            "role": f"{key}_changed",
            "mode": "outline",
            "colour": CHANGED_COLOUR,
            "weight": 3,
            "filter": {"changed": True},
        }
        m.add_child(DataLayer("polygons", key, name="调整 changed", options=outline))
        m.add_child(
            MapScript(f"wangge.addLegend({{map}}, {to_js([{'key': key}])}, 'bottomright');")
        )
        folium.LayerControl(collapsed=True, position="topright").add_to(m)
    panel = {"title": title, "subtitle": plan_label}
    left.add_child(MapScript(f"wangge.addPanel({{map}}, {to_js(panel)});"))
    right.add_child(MapScript(f"wangge.syncMaps({left.get_name()}, {{map}});"))
    figure.html.add_child(
        Element(
            '<div class="wg-caption" style="left:25%">现行网格 current</div>'
            '<div class="wg-caption" style="left:75%">方案 proposed · '
            f"{html.escape(plan_label)}</div>"
            f'<div class="wg-bottom-bar">{_metrics_html(metrics)}{_desk_link(desk_url)}</div>'
        )
    )
    return left
