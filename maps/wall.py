"""The command-room wall around the map: a figures strip across the top (today, this week,
this month: 受理, 在办, 逾期, 化解率, and 预警网格), and beside the map the 26-week trend, the
category breakdown (ECharts, vendored) and who is on duty.

The payload is built by the service from the same code as ``/stats``; this module only lays
out the page. The map keeps the rest of the screen, so no panel ever covers it.
"""

from __future__ import annotations

import folium
from branca.element import Element

from maps.base import Dataset, MapScript, to_js

WALL_ASSETS = ["wall"]
_SKELETON = """
<header class="wg-wall-head" aria-label="今日态势 figures">
  <h1 id="wg-wall-title" class="wg-wall-title"></h1>
  <div id="wg-wall-figures" class="wg-wall-figures"></div>
</header>
<aside class="wg-wall-side" aria-label="趋势与值班 trend and duty">
  <div id="wg-trend" class="wg-chart" role="img" aria-label="近26周受理 weekly cases"></div>
  <div id="wg-categories" class="wg-chart" role="img" aria-label="类别 categories"></div>
  <div id="wg-duty" class="wg-duty" tabindex="0" aria-label="值班备勤 on duty"></div>
</aside>
"""


def add_wall(m: folium.Map, payload: dict, *, title: str, url: str | None = None) -> folium.Map:
    """Lay the page out as a wall around ``m``: figures strip, charts and on-duty column."""
    figure = m.get_root()
    figure.header.add_child(
        Element("<script>document.documentElement.classList.add('wg-wall');</script>"),
        name="wangge_wall",
    )
    figure.html.add_child(Element(_SKELETON), name="wangge_wall_skeleton")
    m.add_child(Dataset("wall", payload, url))
    m.add_child(MapScript(f"wangge.addWall('wall', {to_js(title)});"))
    return m
