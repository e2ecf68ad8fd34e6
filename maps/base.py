"""The map every page starts from: folium without CDNs, no basemap unless configured.

Basemaps: none by default (boundaries only, works on a closed network), a Tianditu key,
a self-hosted XYZ URL, or Amap. Amap tiles are drawn in GCJ-02, so with ``kind="amap"``
the payload builders shift our WGS84 data to GCJ-02 at render time
(:attr:`Basemap.shift_to_gcj02`); Tianditu is CGCS2000, which matches WGS84 to centimetres.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import folium
from branca.element import Element, Figure, MacroElement
from folium.plugins import Fullscreen
from jinja2 import Template

from maps.assets import AssetBundle, AssetOptions

BasemapKind = Literal["none", "tianditu", "xyz", "amap"]

_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
# A grid in the accent colour, inline so that it works in a saved page too.
FAVICON = (
    '<link rel="icon" href="data:image/svg+xml,'
    "%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
    "%3Crect width='16' height='16' rx='3' fill='%230b1220'/%3E"
    "%3Cpath d='M2 5.5h12M2 10.5h12M5.5 2v12M10.5 2v12' stroke='%2338bdf8' stroke-width='1.5'/%3E"
    '%3C/svg%3E">'
)
_AMAP = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"


@dataclass(frozen=True)
class Basemap:
    """Which tiles to draw under the data (``none``: boundaries only)."""

    kind: BasemapKind = "none"
    key: str | None = None
    url: str | None = None
    attribution: str = ""

    def __post_init__(self) -> None:
        if self.kind == "tianditu" and not self.key:
            raise ValueError("a Tianditu basemap needs a key (tk)")
        if self.kind == "xyz" and not self.url:
            raise ValueError("an XYZ basemap needs a URL template with {z}/{x}/{y}")

    @property
    def shift_to_gcj02(self) -> bool:
        """True when the tiles are in GCJ-02 and our WGS84 data must be shifted to match."""
        return self.kind == "amap"


def add_basemap(m: folium.Map, basemap: Basemap) -> folium.Map:
    """Add the configured tile layers to ``m`` (nothing for ``none``)."""
    if basemap.kind == "tianditu":
        for layer, name in (("vec", "天地图 矢量"), ("cva", "天地图 注记")):
            folium.TileLayer(
                _TIANDITU.format(s="{s}", layer=layer, key=basemap.key),
                attr=basemap.attribution or "© 天地图 Tianditu",
                name=name,
                subdomains="01234567",
                overlay=layer == "cva",
                max_zoom=18,
            ).add_to(m)
    elif basemap.kind == "amap":
        folium.TileLayer(
            _AMAP,
            attr=basemap.attribution or "© 高德 Amap (GCJ-02)",
            name="高德 Amap",
            subdomains="1234",
            max_zoom=18,
        ).add_to(m)
    elif basemap.kind == "xyz":
        folium.TileLayer(
            basemap.url, attr=basemap.attribution or "basemap", name="底图 basemap"
        ).add_to(m)
    return m


class OfflineFullscreen(Fullscreen):
    """Leaflet.fullscreen control with its assets taken from our bundle, not a CDN."""

    default_js: list = []  # noqa: RUF012 (folium's own class attribute)
    default_css: list = []  # noqa: RUF012


class WanggeMap(folium.Map):
    """A folium map with no CDN links: Leaflet and plugins come from :class:`AssetBundle`."""

    default_js: list = []  # noqa: RUF012
    default_css: list = []  # noqa: RUF012


class MapScript(MacroElement):
    """A snippet of page script that refers to its map; ``{map}`` is replaced by its name."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code() }}{% endmacro %}")

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "MapScript"
        self._code = code

    def code(self) -> str:
        """The snippet with ``{map}`` bound to the parent map's JavaScript name."""
        return self._code.replace("{map}", self._parent.get_name())


# Inside a <script> element "</script" ends it and "<!--" followed by "<script" changes how the
# parser looks for the end; U+2028/2029 end a line in older JavaScript. As escapes they are the
# same JSON and the same JavaScript values.
_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def to_js(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element whatever the strings hold."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


class Dataset(MacroElement):
    """Registers a payload with the page runtime, with the URL it refreshes from (if any)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "wangge.dataset({{ this.key_js }}, {{ this.payload_js }}, {{ this.url_js }});"
        "{% endmacro %}"
    )

    def __init__(self, key: str, payload: dict, url: str | None = None) -> None:
        super().__init__()
        self._name = "Dataset"
        self.key_js = to_js(key)
        self.payload_js = to_js(payload)
        self.url_js = to_js(url)


class DataLayer(folium.map.Layer):
    """A Leaflet layer drawn by the page runtime from one dataset (so it can refresh)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = wangge.{{ this.kind }}({{ this._parent.get_name() }},"
        " {{ this.key_js }}, {{ this.options_js }});"
        "{% endmacro %}"
    )

    def __init__(
        self,
        kind: Literal["polygons", "points", "periodic"],
        key: str,
        *,
        name: str,
        options: dict | None = None,
        show: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "DataLayer"
        self.kind = kind
        self.key_js = to_js(key)
        self.options_js = to_js(options or {})


def new_figure(*, title: str, dark: bool, assets: list[str], options: AssetOptions) -> Figure:
    """An HTML page with the asset bundle and (optionally) the dark video-wall theme."""
    figure = Figure(title=title)
    figure.add_child(AssetBundle(["leaflet", "wangge", *assets], options))
    figure.header.add_child(Element(FAVICON), name="wangge_favicon")
    if dark:
        figure.header.add_child(
            Element("<script>document.documentElement.classList.add('wg-dark');</script>"),
            name="wangge_dark",
        )
    return figure


def new_map(
    *,
    bounds: tuple[float, float, float, float] | None,
    basemap: Basemap,
    prefer_canvas: bool = False,
    **map_kwargs,
) -> WanggeMap:
    """A :class:`WanggeMap` fitted to ``bounds`` (minx, miny, maxx, maxy) with the basemap."""
    m = WanggeMap(
        location=[35.0, 104.0],
        zoom_start=9,
        tiles=None,
        prefer_canvas=prefer_canvas,
        maxZoom=18,
        minZoom=4,
        control_scale=True,
        **map_kwargs,
    )
    add_basemap(m, basemap)
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m
