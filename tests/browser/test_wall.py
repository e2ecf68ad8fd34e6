"""The command-room wall on the demo county at a desk screen, a 1080p wall and a 4K wall."""

from __future__ import annotations

import datetime as dt
import io
import time

import httpx
import pytest
from PIL import Image

from tests.browser.pages import log_in_as_demo, wait_for_map

pytestmark = pytest.mark.browser
SIZES = [(1366, 768), (1920, 1080), (3840, 2160)]

# Every visible control, panel and the wall's own parts, as page rectangles.
_BOXES = """
() => [...document.querySelectorAll(
    '.leaflet-control, .wg-wall-head, .wg-wall-side, .wg-chart, .wg-duty')]
  .filter(el => el.offsetParent !== null && el.getBoundingClientRect().width > 0)
  .map(el => { const r = el.getBoundingClientRect();
               return {name: el.className.baseVal ?? el.className, x: r.left, y: r.top,
                       right: r.right, bottom: r.bottom}; })
"""
# A point inside a grid of each risk level with nothing else drawn around it, and the centre of
# the legend swatch of the level.
_LEVEL_SPOTS = """
() => {
  const out = {};
  const swatches = [...document.querySelectorAll('.wg-legend[data-layer=grids] li .wg-sw')];
  wangge.layerIndex.grids.getLayers().forEach(l => {
    const cls = l.feature.properties.cls;
    if (cls === null || out[cls] || !swatches[cls]) return;
    const map = l._map, box = map.getContainer().getBoundingClientRect();
    const p = map.latLngToContainerPoint(l.getCenter());
    const x = Math.round(box.left + p.x), y = Math.round(box.top + p.y);
    // nothing else drawn within 4 px: no boundary line, no other polygon
    for (let dx = -4; dx <= 4; dx += 2) for (let dy = -4; dy <= 4; dy += 2) {
      const paths = document.elementsFromPoint(x + dx, y + dy).filter(el => el.tagName === 'path');
      const top = document.elementFromPoint(x + dx, y + dy);
      if (top !== l._path || paths.length !== 1) return;
    }
    const s = swatches[cls].getBoundingClientRect();
    const middle = [Math.round(s.left + s.width / 2), Math.round(s.top + s.height / 2)];
    out[cls] = {fill: [x, y], swatch: middle};
  });
  return out;
}
"""


def _pixel(page, x: int, y: int) -> tuple[int, int, int]:
    png = page.screenshot(clip={"x": x, "y": y, "width": 1, "height": 1})
    return Image.open(io.BytesIO(png)).convert("RGB").getpixel((0, 0))


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["right"] - 1
        and b["x"] < a["right"] - 1
        and (a["y"] < b["bottom"] - 1 and b["y"] < a["bottom"] - 1)
    )


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_wall_figures_layout_and_colours(browser, live_server, artifacts, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if "127.0.0.1" in r.url or r.url.startswith("data:")
            else outside.append(r.url))  # fmt: skip
    try:
        token = log_in_as_demo(page, live_server)
        page.goto(f"{live_server}/maps/command-room")
        wait_for_map(page)
        page.wait_for_function("() => document.querySelector('#wg-trend svg')")
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / f"wall-{width}x{height}.png"))
        assert page.title() and page.locator("link[rel=icon]").count() == 1
        assert not outside, outside

        # the figures strip says what /stats says for the same windows
        wall = page.evaluate("wangge.datasets.wall.data")
        with httpx.Client(base_url=live_server, timeout=60) as http:
            for window in wall["windows"]:
                stats = http.get(
                    "/api/v1/stats",
                    params={"from": window["from"]},
                    headers={"Authorization": f"Bearer {token}"},
                ).json()
                shown = page.locator(f".wg-window[data-window={window['key']}] .wg-fig-value")
                values = shown.all_inner_texts()
                rate = stats["resolution_rate"]
                assert values == [
                    str(stats["screened"]),
                    str(stats["still_open"]),
                    str(stats["overdue"]),
                    "—" if rate is None else f"{rate:g}%" if rate % 1 else f"{rate}%",
                ], (window, stats)
        assert len(wall["trend"]["screened"]) == 26

        # no control covers another or the centre of the map; all inside the window
        boxes = page.evaluate(_BOXES)
        containers = {"wg-wall-side"}
        for i, a in enumerate(boxes):
            assert a["right"] <= width + 1 and a["bottom"] <= height + 1, a
            for b in boxes[i + 1 :]:
                nested = a["name"] in containers or b["name"] in containers
                if not nested:
                    assert not _overlap(a, b), (a, b)
        rect = page.locator(".folium-map").bounding_box()
        centre = {"x": rect["x"] + rect["width"] / 2, "y": rect["y"] + rect["height"] / 2}
        centre.update(right=centre["x"] + 1, bottom=centre["y"] + 1)
        assert not any(_overlap(centre, b) for b in boxes)
        # the vector layer reaches the bottom of a 4K map (not clipped at an old size)
        svg = page.locator(".leaflet-overlay-pane svg").first.bounding_box()
        assert svg["y"] + svg["height"] >= rect["y"] + rect["height"] - 2

        # legend swatches have the colour the grids are drawn in
        spots = page.evaluate(_LEVEL_SPOTS)
        assert spots, "no grid of any level is visible"
        page.mouse.move(0, 0)
        for cls, spot in spots.items():
            fill, swatch = _pixel(page, *spot["fill"]), _pixel(page, *spot["swatch"])
            assert max(abs(a - b) for a, b in zip(fill, swatch, strict=True)) <= 3, (
                cls, fill, swatch
            )  # fmt: skip
        font = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert font >= 14 and (width < 3000 or font >= 30)
    finally:
        context.close()


def test_a_case_created_over_the_api_appears_within_two_seconds(
    page, fresh_demo_url, start_server, artifacts
):
    base = start_server(fresh_demo_url)
    token = log_in_as_demo(page, base)
    page.goto(f"{base}/maps/command-room")
    wait_for_map(page)
    page.wait_for_function("() => wangge.versions !== null && wangge.versions !== undefined")
    page.evaluate("window.sameLoad = true")
    before = page.evaluate("wangge.datasets.disputes.data.features.length")
    lon, lat = page.evaluate("wangge.datasets.disputes.data.features[0].geometry.coordinates")
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
    record = {
        "external_id": "WALL-LIVE-1",
        "reported_at": now.strftime("%Y-%m-%d %H:%M"),
        "category": "邻里纠纷",
        "severity": "一般",
        "lon": lon,
        "lat": lat,
        "description": "（模拟）",
    }
    with httpx.Client(base_url=base, timeout=60) as http:
        created = http.post(
            "/api/v1/disputes", json=record, headers={"Authorization": f"Bearer {token}"}
        )
    assert created.status_code == 200, created.text
    started = time.monotonic()
    page.wait_for_function(
        "n => wangge.datasets.disputes.data.features.length > n", arg=before, timeout=2000
    )
    assert time.monotonic() - started < 2.0
    assert page.evaluate(
        "wangge.datasets.disputes.data.features.some(f => f.properties.case === 'WALL-LIVE-1')"
    )
    assert page.evaluate("window.sameLoad") is True


def test_pages_without_a_session_go_to_the_login_page(live_server):
    with httpx.Client(base_url=live_server, timeout=60, follow_redirects=False) as http:
        for path in ("/maps/command-room", "/maps/hotspots", "/maps/hotspots/report"):
            response = http.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"] == f"/login?next={path}"
        expired = http.get("/maps/command-room", cookies={"wangge_token": "not-a-token"})
        assert expired.status_code == 303
