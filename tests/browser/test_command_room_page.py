"""The command-room page in headless Chromium, served from files by a loopback server."""

from __future__ import annotations

import copy
import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from maps.command_room import command_room_map, command_room_payloads, render_page
from tests.browser.pages import click_feature, wait_for_map, write_json, write_page
from tests.maps import factories as f

pytestmark = pytest.mark.browser


def _page_html(**overrides) -> str:
    frames = {
        "admin_units": f.admin_units(),
        "grids": f.grids(),
        "disputes": f.disputes(),
        "facilities": f.facilities(),
        "hotspots": f.hotspots(),
    }
    frames.update(overrides)
    return render_page(command_room_map(now=f.NOW, **frames))


def test_command_room_has_layers_legend_controls_and_popups(page, static_site, artifacts):
    page.goto(write_page(static_site, "command-room.html", _page_html()))
    wait_for_map(page)

    layer_names = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    for expected in ("网格风险", "村界", "乡镇界", "县界", "热点", "在办纠纷", "机构"):
        assert any(expected in name for name in layer_names), (expected, layer_names)
    assert page.locator(".wg-legend[data-layer=grids] li").count() == 4  # 高 较高 中 低
    assert page.locator(".wg-legend[data-layer=facilities] li").count() == 3
    assert page.locator(".wg-search-input").count() == 1
    assert page.locator(".leaflet-control-zoom-fullscreen").count() == 1
    assert page.locator(".wg-synthetic").is_visible()
    assert "模拟数据" in page.locator(".wg-synthetic").inner_text()
    assert page.evaluate("document.documentElement.classList.contains('wg-dark')")
    # three open disputes drawn, one of them overdue; the resolved one is not shown
    assert page.locator(".wg-pt-disputes").count() == 3
    assert page.locator(".wg-pt-disputes.wg-overdue").count() == 1
    assert "1 件未定位" in page.locator(".wg-status").inner_text()

    code = click_feature(page, "grids", "62302110100106")
    popup = page.locator(".leaflet-popup-content .wg-popup-grid")
    popup.wait_for()
    text = popup.inner_text()
    assert code in text and "网格长6" in text and "户数" in text and "近期纠纷" in text
    page.wait_for_timeout(400)  # popup fade-in
    page.screenshot(path=str(artifacts / "command-room.png"))

    page.locator(".wg-pt-disputes.wg-overdue").click()
    dispute = page.locator(".leaflet-popup-content .wg-popup-dispute")
    dispute.wait_for()
    text = dispute.inner_text()
    assert "D-002" in text and "已逾期" in text and "派单建议" in text and "网格长1" in text


def test_search_finds_a_village_and_a_grid(page, static_site):
    page.goto(write_page(static_site, "command-room-search.html", _page_html()))
    wait_for_map(page)
    search = page.locator(".wg-search-input")
    search.fill("第7网格")
    search.press("Enter")
    page.locator(".leaflet-popup-content .wg-popup-grid").wait_for()
    assert "第7网格" in page.locator(".leaflet-popup-content").inner_text()
    search.fill("没有这个村")
    search.press("Enter")
    assert "未找到" in page.locator(".wg-search-msg").inner_text()


def test_missing_data_is_announced_not_faked(page, static_site, artifacts):
    html = _page_html(grids=f.grids(with_risk=False), disputes=None, hotspots=None)
    page.goto(write_page(static_site, "command-room-empty.html", html))
    wait_for_map(page)
    status = page.locator(".wg-status").inner_text()
    assert "暂无风险评分" in status
    assert "在办纠纷 open disputes: 暂无数据" in status
    assert "热点 hotspots: 暂无数据" in status
    assert page.locator(".wg-pt-disputes").count() == 0
    page.screenshot(path=str(artifacts / "command-room-no-data.png"))


def test_layers_refresh_from_the_api_without_reloading(page, static_site):
    frames = {
        "admin_units": f.admin_units(),
        "grids": f.grids(),
        "disputes": f.disputes(),
        "facilities": f.facilities(),
        "hotspots": f.hotspots(),
    }
    payloads = command_room_payloads(now=f.NOW, **frames)
    for layer, payload in payloads.items():
        write_json(static_site, f"data/{layer}.json", payload)
    m = command_room_map(
        now=f.NOW, data_url="/data", data_query=".json", refresh_seconds=1, **frames
    )
    page.goto(write_page(static_site, "command-room-live.html", render_page(m)))
    wait_for_map(page)
    page.evaluate("window.loadMarker = 'same page'")
    assert page.locator(".wg-pt-disputes").count() == 3

    grown = copy.deepcopy(payloads["disputes"])
    extra = copy.deepcopy(grown["features"][0])
    extra["properties"]["case"] = "D-NEW"
    extra["geometry"]["coordinates"] = [103.45, 35.05]
    grown["features"].append(extra)
    write_json(static_site, "data/disputes.json", grown)
    page.wait_for_function("() => document.querySelectorAll('.wg-pt-disputes').length === 4")
    assert page.evaluate("window.loadMarker") == "same page"
    assert page.evaluate("wangge.refreshCount") >= 1
    assert page.locator(".wg-error").count() == 0


def _cases_in_grids(per_grid: int = 8, grids: int = 5):
    """``per_grid`` open cases in each of the first ``grids`` grids, one overdue in each."""
    template = f.disputes().iloc[[1]]  # an open, overdue case
    frames = []
    for k, grid in f.grids().head(grids).iterrows():
        centre = grid.geometry.centroid
        for i in range(per_grid):
            case = template.copy()
            case["external_id"] = f"G{k}-{i}"
            case["grid_code"], case["grid_name"] = grid["code"], grid["name"]
            if i:
                case["deadline"] = f.NOW + dt.timedelta(days=3)
            spot = Point(centre.x + (i % 4 - 1.5) * 0.008, centre.y + (i // 4 - 0.5) * 0.012)
            case = case.set_geometry([spot], crs=4326)
            frames.append(case)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)


def test_open_cases_are_counted_per_grid_at_low_zoom(page, static_site):
    page.goto(write_page(static_site, "bubbles.html", _page_html(disputes=_cases_in_grids())))
    wait_for_map(page)
    zoom = page.evaluate("wangge.layerIndex.grids._map.getZoom()")
    assert zoom < page.evaluate("wangge.datasets.disputes.data.wangge.bubble_zoom")
    bubbles = page.locator(".wg-grid-bubble")
    assert bubbles.count() == 5
    assert page.locator(".wg-grid-bubble span").all_inner_texts() == ["8"] * 5
    assert page.locator(".wg-grid-bubble .wg-od-badge").all_inner_texts() == ["1"] * 5
    assert page.locator(".wg-pt-disputes").count() == 0
    assert "第1网格" in (bubbles.first.get_attribute("title") or "")

    # a bubble opens its grid at the zoom where the cases are points
    bubbles.first.click()
    page.wait_for_function("() => document.querySelectorAll('.wg-grid-bubble').length === 0")
    page.wait_for_function("() => document.querySelectorAll('.wg-pt-disputes').length > 0")
    # and zoomed out again, the bubbles come back
    page.evaluate("wangge.layerIndex.grids._map.setZoom(11, {animate: false})")
    page.wait_for_function("() => document.querySelectorAll('.wg-grid-bubble').length === 5")
