"""Helpers for page tests: write a page to the test site, click a feature like a user would."""

from __future__ import annotations

import json
from pathlib import Path

# Centre of a feature in page pixels, found through the page's own layer index, so the test
# then clicks the map there with the mouse (a real click, SVG or canvas alike).
_FEATURE_CENTRE = """
([role, code]) => {
  const layer = wangge.layerIndex[role];
  const candidates = layer.getLayers().filter(l => !code || l.feature.properties.code === code);
  for (const hit of candidates) {
    const map = hit._map;
    const centre = hit.getCenter ? hit.getCenter() : hit.getBounds().getCenter();
    const p = map.latLngToContainerPoint(centre);
    const box = map.getContainer().getBoundingClientRect();
    const x = box.left + p.x, y = box.top + p.y;
    // only a spot where this very polygon is the topmost thing, as a user would see it
    if (!hit._path || document.elementFromPoint(x, y) === hit._path) {
      return {x: x, y: y, code: hit.feature.properties.code};
    }
  }
  return null;
}
"""


def write_page(site: tuple[Path, str], name: str, html: str) -> str:
    """Write ``html`` into the test site and return its URL."""
    root, base = site
    (root / name).write_text(html, encoding="utf-8")
    return f"{base}/{name}"


def write_json(site: tuple[Path, str], name: str, payload: dict) -> str:
    """Write a JSON payload into the test site and return its URL path."""
    root, _ = site
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return "/" + name


def click_feature(page, role: str, code: str | None = None) -> str:
    """Click the centre of a polygon of layer ``role`` (the first, or the one with ``code``)."""
    spot = page.evaluate(_FEATURE_CENTRE, [role, code])
    assert spot is not None, f"no visible, uncovered feature in layer {role!r} ({code})"
    page.mouse.click(spot["x"], spot["y"])
    return spot["code"]


def wait_for_map(page) -> None:
    """Wait until the page runtime and its maps exist and the opening zoom has settled."""
    page.wait_for_function("() => window.wangge && document.querySelector('.leaflet-container')")
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
    page.wait_for_timeout(300)  # the fit-to-data zoom ends one frame after the class goes


DEMO_PASSWORD = "wangge-demo-only"


def log_in_as_demo(page, base_url: str, role: str = "county_centre") -> str:
    """Log the page's browser context in as a demo account through the real login endpoint;
    return the bearer token (for API calls made by the test itself)."""
    response = page.request.post(
        f"{base_url}/api/v1/auth/token",
        form={"username": f"demo_{role}", "password": DEMO_PASSWORD},
    )
    assert response.ok, response.text()
    return response.json()["access_token"]
