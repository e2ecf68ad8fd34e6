"""Browser assets of the map pages, served by the app or inlined: never fetched from a CDN.

folium links Leaflet, jQuery, Bootstrap and Font-Awesome from public CDNs by default.
Command rooms often sit on a closed network, so every page here takes its scripts and
styles from ``maps/static`` (vendored npm distributions plus our own runtime), either
linked under a base URL (``/static`` when the app serves the page) or inlined into the
page so that a single HTML file works anywhere.
"""

from __future__ import annotations

import base64
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from branca.element import Element, MacroElement

STATIC_DIR = Path(__file__).parent / "static"

# name -> (scripts, stylesheets), paths relative to STATIC_DIR, in load order.
BUNDLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "leaflet": (("vendor/leaflet/leaflet.js",), ("vendor/leaflet/leaflet.css",)),
    "markercluster": (
        ("vendor/leaflet.markercluster/leaflet.markercluster.js",),
        (
            "vendor/leaflet.markercluster/MarkerCluster.css",
            "vendor/leaflet.markercluster/MarkerCluster.Default.css",
        ),
    ),
    "fullscreen": (
        ("vendor/leaflet.fullscreen/Control.FullScreen.js",),
        ("vendor/leaflet.fullscreen/Control.FullScreen.css",),
    ),
    "wangge": (("wangge/wangge.js",), ("wangge/wangge.css",)),
    "wall": (("vendor/echarts/echarts.min.js", "wangge/wall.js"), ()),
}

_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(?!data:|https?:|/|#)([^'")]+)\1\s*\)""")
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}


@dataclass(frozen=True)
class AssetOptions:
    """Where a page takes its assets from.

    ``base_url`` is the URL under which the contents of ``maps/static`` are served
    (``/static`` in the app, or a relative folder next to a saved file); with ``inline``
    every script and stylesheet is written into the page itself (images as data URIs).
    """

    base_url: str = "/static"
    inline: bool = False


def _inline_css(path: Path) -> str:
    """Return a stylesheet with its relative ``url(...)`` references turned into data URIs."""

    def to_data_uri(match: re.Match[str]) -> str:
        target = (path.parent / match.group(2)).resolve()
        mime = _MIME.get(target.suffix.lower(), "application/octet-stream")
        encoded = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{encoded}")'

    return _CSS_URL.sub(to_data_uri, path.read_text(encoding="utf-8"))


def asset_html(names: list[str], options: AssetOptions) -> str:
    """HTML for the ``<head>`` that loads the named bundles, linked or inlined."""
    unknown = [n for n in names if n not in BUNDLES]
    if unknown:
        raise ValueError(f"unknown asset bundle(s): {', '.join(unknown)}")
    parts: list[str] = []
    base = options.base_url.rstrip("/")
    for name in names:
        scripts, styles = BUNDLES[name]
        for css in styles:
            if options.inline:
                parts.append(f"<style>{_inline_css(STATIC_DIR / css)}</style>")
            else:
                parts.append(f'<link rel="stylesheet" href="{base}/{css}"/>')
        for js in scripts:
            if options.inline:
                text = _SOURCE_MAP.sub("", (STATIC_DIR / js).read_text(encoding="utf-8"))
                parts.append("<script>" + text.replace("</script", "<\\/script") + "</script>")
            else:
                parts.append(f'<script src="{base}/{js}"></script>')
    return "\n".join(parts)


class AssetBundle(MacroElement):
    """Puts the given bundles into the page head when the page is rendered."""

    def __init__(self, names: list[str], options: AssetOptions) -> None:
        super().__init__()
        self._name = "AssetBundle"
        self.names = list(dict.fromkeys(names))
        self.options = options

    def render(self, **kwargs) -> None:
        """Add the asset tags to the figure header (once per page)."""
        figure = self.get_root()
        figure.header.add_child(
            Element(asset_html(self.names, self.options)), name="wangge_assets", index=0
        )
        super().render(**kwargs)


def copy_static(dest: Path) -> Path:
    """Copy ``maps/static`` to ``dest`` (for a saved page that links a folder next to it)."""
    shutil.copytree(STATIC_DIR, dest, dirs_exist_ok=True)
    return dest
