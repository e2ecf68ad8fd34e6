"""The redraw desk page: move units of a plan between neighbouring grids by hand.

A plain page (no folium) over vendored Leaflet and ``wangge/redraw_desk.js``: the desk's data
(:func:`geo.redraw.versions.desk_data`) travels inside the page, so drawing, checking and
undoing need no request; only saving posts the edit to ``/api/v1/redraw/{plan}/versions``.
"""

from __future__ import annotations

import html
import json

STATIC = "/static"


def desk_html(
    data: dict, *, title: str = "网格调整工作台 redraw desk", static: str = STATIC
) -> str:
    """The desk page for the plan in ``data`` (the output of ``desk_data``)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    plan = int(data["plan"])
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · 方案 {plan}</title>
<link rel="stylesheet" href="{static}/vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="{static}/wangge/redraw_desk.css">
</head>
<body class="wg-desk">
<div id="wg-desk-map" class="wg-desk-map"></div>
<aside class="wg-desk-panel">
  <h1>{html.escape(title)}</h1>
  <p class="wg-desk-plan" id="wg-desk-plan"></p>
  <p class="wg-desk-summary" id="wg-desk-summary"></p>
  <fieldset class="wg-desk-mode">
    <legend>选择 select</legend>
    <label><input type="radio" name="wg-desk-mode" value="unit" checked>
      单元 unit</label>
    <label><input type="radio" name="wg-desk-mode" value="settlement">
      村落 settlement</label>
    <span class="wg-desk-hint">点击选择，Shift 加选；Alt 拖动圈选 (lasso)
      · click, shift-click to add, alt-drag to lasso</span>
  </fieldset>
  <p class="wg-desk-selection" id="wg-desk-selection"></p>
  <div class="wg-desk-actions">
    <select id="wg-desk-target" aria-label="目标网格 target grid"></select>
    <button type="button" id="wg-desk-assign">划入 assign</button>
  </div>
  <div class="wg-desk-actions">
    <button type="button" id="wg-desk-undo">撤销 undo</button>
    <button type="button" id="wg-desk-redo">重做 redo</button>
    <button type="button" id="wg-desk-save" class="wg-desk-primary">保存为新版本 save</button>
  </div>
  <p class="wg-desk-message" id="wg-desk-message" role="status"></p>
  <div id="wg-desk-grids"></div>
  <p class="wg-desk-note">紧凑度在此按单元计算；保存后按穿过空地绘制的边界计算，通常略高
    · PP here is measured on the units' cells; the saved plan measures the outlines drawn
    through empty land, usually a little higher.</p>
  <p class="wg-desk-links"><a href="/maps/redraw/{plan}">对比现行网格 compare with current</a></p>
</aside>
<script type="application/json" id="wg-desk-data">{payload}</script>
<script src="{static}/vendor/leaflet/leaflet.js"></script>
<script src="{static}/wangge/redraw_desk.js"></script>
</body></html>
"""


def desk_refused_html(message: str, status: str = "无权调整方案") -> str:
    """A plain page saying why the desk cannot open (role, plan no longer a proposal)."""
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{html.escape(status)}</title></head><body class='wg-not-found'>"
        "<main style='max-width:40em;margin:4em auto;font-family:sans-serif'>"
        f"<h1>{html.escape(status)}</h1><p>{html.escape(message)}</p></main></body></html>"
    )
