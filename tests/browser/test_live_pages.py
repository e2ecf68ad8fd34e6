"""The map pages served by the real app over real HTTP, on the demo county."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.deps import TOKEN_COOKIE
from geo.database.engine import make_engine
from tests.api.accounts import token_for
from tests.browser.pages import click_feature, wait_for_map

pytestmark = pytest.mark.browser

_OPEN_A_DISPUTE = """
() => new Promise(resolve => {
  const group = wangge.layerIndex.disputes;
  const marker = group.getLayers()[0];
  const map = wangge.layerIndex.grids._map;
  map.setView(marker.getLatLng(), wangge.datasets.disputes.data.wangge.bubble_zoom,
              {animate: false});
  group.zoomToShowLayer(marker, () => {
    marker.openPopup();
    resolve(marker.feature.properties.case);
  });
})
"""


def _log_in(
    page, base_url: str, url: str, role: str = "county_centre", scope: str | None = None
) -> None:
    token = token_for(url, username=f"map_{role}", role=role, scope_code=scope)
    page.context.add_cookies([{"name": TOKEN_COOKIE, "value": token, "url": base_url}])


def test_pages_need_a_login(live_server):
    with httpx.Client(base_url=live_server, timeout=60, follow_redirects=False) as http:
        for path in ("/maps/command-room", "/maps/hotspots", "/maps/hotspots/report"):
            assert http.get(path).status_code in (303, 401), path
        assert http.get("/api/v1/maps/layers/grids").status_code == 401
        assert http.get("/static/vendor/leaflet/leaflet.js").status_code == 200


def test_command_room_on_the_demo_county(page, live_server, demo_url, artifacts):
    _log_in(page, live_server, demo_url)
    page.goto(f"{live_server}/maps/command-room")
    wait_for_map(page)
    assert page.locator(".wg-synthetic").is_visible()
    scored = page.evaluate(
        "wangge.datasets.grids.data.features.filter(f => f.properties.risk !== null).length"
    )
    if scored:
        assert page.locator(".wg-legend[data-layer=grids] li").count() >= 2
    else:  # the model has not scored yet: the map must say so rather than colour anything
        assert "暂无风险评分" in page.locator(".wg-status").inner_text()
    assert page.locator(".wg-legend[data-layer=facilities] li").count() >= 3
    assert page.evaluate("wangge.layerIndex.grids.getLayers().length") > 100
    assert page.evaluate("wangge.layerIndex.villages.getLayers().length") > 100
    assert page.evaluate("wangge.layerIndex.disputes.getLayers().length") > 0
    # the page refreshes every layer from the API without reloading
    page.evaluate("window.sameLoad = true")
    page.evaluate("wangge.refresh()")
    page.wait_for_function("() => wangge.refreshCount >= 1")
    assert page.locator(".wg-error").count() == 0
    assert page.evaluate("window.sameLoad") is True

    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "command-room-demo.png"))
    click_feature(page, "grids")
    grid = page.locator(".leaflet-popup-content .wg-popup-grid")
    grid.wait_for()
    assert "网格长" in grid.inner_text() and "户数" in grid.inner_text()

    case = page.evaluate(_OPEN_A_DISPUTE)
    dispute = page.locator(".leaflet-popup-content .wg-popup-dispute")
    dispute.wait_for()
    assert case in dispute.inner_text() and "派单建议" in dispute.inner_text()


def test_viewer_sees_the_map_but_no_cases(page, live_server, demo_url):
    _log_in(page, live_server, demo_url, role="viewer")
    page.goto(f"{live_server}/maps/command-room")
    wait_for_map(page)
    assert page.evaluate("wangge.layerIndex.disputes.getLayers().length") == 0
    assert "无权查看案件" in page.locator(".wg-status").inner_text()


def test_hotspot_review_and_report_on_the_demo_county(page, live_server, demo_url, artifacts):
    _log_in(page, live_server, demo_url)
    page.goto(f"{live_server}/maps/hotspots")
    wait_for_map(page)
    assert page.locator(".leaflet-container").count() == 2
    assert page.locator(".wg-legend[data-layer='review.gi'] li").count() == 7
    click_feature(page, "model")
    page.locator(".leaflet-popup-content .wg-popup-hotspot").wait_for()
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "hotspots-demo.png"))

    page.goto(f"{live_server}/maps/hotspots/report")
    assert page.locator("h1").inner_text().startswith("临潭县")
    assert page.locator(".synthetic").count() == 1
    page.screenshot(path=str(artifacts / "hotspot-report-demo.png"), full_page=True)


# Every visible control and panel of the hotspot page, the maps and the placeholder's room.
_REVIEW_BOXES = """
() => {
  const box = el => { const r = el.getBoundingClientRect();
                      return {name: String(el.className.baseVal ?? el.className), x: r.left,
                              y: r.top, right: r.right, bottom: r.bottom}; };
  const visible = el => el.getClientRects().length > 0 && el.getBoundingClientRect().width > 0;
  const parts = [...document.querySelectorAll(
      '.leaflet-control, .wg-caption, .wg-review-side, .wg-bottom-bar')].filter(visible);
  const input = document.querySelector('.wg-search-input');
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
  return {
    parts: parts.map(box),
    maps: [...document.querySelectorAll('.folium-map')].map(box),
    scales: [...document.querySelectorAll('.leaflet-control-scale')].map(box),
    placeholder: context.measureText(input.placeholder).width,
    room: input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
  };
}
"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["right"] - 1
        and b["x"] < a["right"] - 1
        and (a["y"] < b["bottom"] - 1 and b["y"] < a["bottom"] - 1)
    )


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_hotspot_page_panels_cover_no_map(browser, live_server, demo_url, artifacts, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        _log_in(page, live_server, demo_url)
        page.goto(f"{live_server}/maps/hotspots")
        wait_for_map(page)
        page.wait_for_function("() => document.querySelectorAll('.wg-flagged li').length > 0")
        page.screenshot(path=str(artifacts / f"hotspots-{width}x{height}.png"))
        layout = page.evaluate(_REVIEW_BOXES)
        side = next(p for p in layout["parts"] if "wg-review-side" in p["name"])
        bar = next(p for p in layout["parts"] if "wg-bottom-bar" in p["name"])
        # the flagged list and the slider sit beside and below the maps, not on them
        for m in layout["maps"]:
            assert not _overlap(side, m) and not _overlap(bar, m), (side, bar, m)
        assert len(layout["scales"]) == 2
        for scale in layout["scales"]:
            assert not _overlap(bar, scale)
        # no control covers another; everything inside the window
        parts = layout["parts"]
        for i, a in enumerate(parts):
            assert a["right"] <= width + 1 and a["bottom"] <= height + 1, a
            for b in parts[i + 1 :]:
                assert not _overlap(a, b), (a, b)
        assert layout["placeholder"] <= layout["room"], layout
    finally:
        context.close()


def test_redraw_plan_page(page, fresh_demo_url, start_server, artifacts):
    from geo.redraw import propose

    engine = make_engine(fresh_demo_url, pool_size=1)
    try:
        with Session(engine) as session:
            village = session.execute(
                text(
                    "SELECT village_code FROM grid WHERE valid_to IS NULL"
                    " GROUP BY village_code HAVING count(*) >= 4 ORDER BY village_code LIMIT 1"
                )
            ).scalar_one()
            plan = propose(session=session, scope=village, target=60)
            session.commit()
    finally:
        engine.dispose()
    base = start_server(fresh_demo_url)
    _log_in(page, base, fresh_demo_url)
    page.goto(f"{base}/maps/redraw/{plan['plan']}")
    wait_for_map(page)
    assert page.locator(".leaflet-container").count() == 2
    assert page.evaluate("wangge.layerIndex.current.getLayers().length") >= 4
    assert page.evaluate("wangge.layerIndex.proposed.getLayers().length") >= 1
    assert page.locator(".wg-label").count() >= 5
    click_feature(page, "proposed")
    page.locator(".leaflet-popup-content").wait_for()
    assert "户数" in page.locator(".leaflet-popup-content").inner_text()
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "redraw-demo.png"))


def test_cli_writes_a_standalone_page_that_works_offline(page, demo_url, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from api.cli import app

    monkeypatch.setenv("DATABASE_URL", demo_url)
    output = tmp_path / "command-room.html"
    result = CliRunner().invoke(app, ["map", "command-room", "-o", str(output)])
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert "<script src=" not in html and 'rel="stylesheet"' not in html  # all inlined
    page.goto(output.as_uri())
    wait_for_map(page)
    assert page.evaluate("wangge.layerIndex.grids.getLayers().length") > 100
    assert page.locator(".wg-synthetic").is_visible()
    click_feature(page, "grids")
    page.locator(".leaflet-popup-content .wg-popup-grid").wait_for()

    linked = tmp_path / "linked" / "page.html"
    result = CliRunner().invoke(
        app, ["map", "command-room", "-o", str(linked), "--assets", "assets"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "linked" / "assets" / "vendor" / "leaflet" / "leaflet.js").exists()
    page.goto(linked.as_uri())
    wait_for_map(page)
    assert page.evaluate("wangge.layerIndex.grids.getLayers().length") > 100
