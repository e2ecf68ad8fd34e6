"""Hotspot review, printable report and redraw pages in headless Chromium."""

from __future__ import annotations

import datetime as dt

import pytest

from maps.command_room import render_page
from maps.hotspots import hotspot_review_map
from maps.redraw import redraw_map
from maps.report import hotspot_report_html
from tests.browser.pages import click_feature, wait_for_map, write_page
from tests.maps import factories as f

pytestmark = pytest.mark.browser


def test_hotspot_review_page_slider_side_by_side_and_popup(page, static_site, artifacts):
    m = hotspot_review_map(
        grids=f.grids(),
        scores=f.review_scores(),
        admin_units=f.admin_units(),
        report_url="report.html",
    )
    page.goto(write_page(static_site, "hotspots.html", render_page(m)))
    wait_for_map(page)
    assert page.locator(".leaflet-container").count() == 2
    assert page.locator(".wg-legend[data-layer='review.model'] li").count() == 4  # 高 较高 中 低
    assert page.locator(".wg-legend[data-layer='review.gi'] li").count() == 7
    assert page.locator(".wg-legend[data-layer='review.flag'] li").count() == 2
    assert page.locator(".wg-synthetic").is_visible()
    assert page.locator("a.wg-report-link").count() == 1
    # the latest week is shown first: three grids flagged
    assert page.locator(".wg-period-label").inner_text() == f.PERIODS[-1]
    assert page.locator(".wg-flagged li").count() == 3
    page.locator("input.wg-period").fill("0")
    assert page.locator(".wg-period-label").inner_text() == f.PERIODS[0]
    assert page.locator(".wg-flagged li").count() == 2

    # the maps move together
    page.evaluate("wangge.layerIndex.model._map.setZoom(13)")
    page.wait_for_function("() => wangge.layerIndex.gi._map.getZoom() === 13")
    # without animation: on a busy machine the click spot was read while the zoom still ran
    page.evaluate(
        "wangge.layerIndex.model._map.fitBounds("
        "wangge.layerIndex.model.getBounds(), {animate: false})"
    )
    wait_for_map(page)

    click_feature(page, "model", "62302110100415")
    popup = page.locator(".leaflet-popup-content .wg-popup-hotspot")
    popup.wait_for()
    text = popup.inner_text()
    assert (
        "持续热点" in text and "已确认" in text and "14 disputes" in text and f.PERIODS[0] in text
    )
    page.wait_for_timeout(400)
    page.screenshot(path=str(artifacts / "hotspots.png"))


def test_hotspot_review_page_without_scores_says_so(page, static_site):
    m = hotspot_review_map(grids=f.grids(), scores=None)
    page.goto(write_page(static_site, "hotspots-empty.html", render_page(m)))
    wait_for_map(page)
    assert "暂无评分与热点" in page.locator(".wg-status").inner_text()
    assert "暂无周期数据" in page.locator("#wg-period").inner_text()


def test_printable_report_fits_a4_and_lists_flagged_grids(page, static_site, artifacts):
    html = hotspot_report_html(
        grids=f.grids(),
        scores=f.review_scores(),
        area_name="临潭县",
        generated_at=dt.datetime(2026, 11, 26, 18, 0),
    )
    page.goto(write_page(static_site, "report.html", html))
    assert page.locator("figure svg path").count() >= 16
    rows = page.locator("tbody tr")
    assert rows.count() == 3
    assert "62302110100416" in rows.nth(0).inner_text()
    assert "确认 confirm" in rows.nth(0).inner_text()
    assert "模拟数据" in page.locator(".synthetic").inner_text()
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 1
    (artifacts / "hotspot-report.pdf").write_bytes(pdf)
    page.emulate_media(media="screen")
    page.screenshot(path=str(artifacts / "hotspot-report.png"), full_page=True)


def test_redraw_page_shows_both_plans_households_and_changes(page, static_site, artifacts):
    m = redraw_map(
        current=f.grids(),
        proposed=f.proposed_grids(),
        plan_label="方案 #7",
        metrics={"grids": 15, "households_min": 82, "max_deviation": 0.12},
    )
    page.goto(write_page(static_site, "redraw.html", render_page(m)))
    wait_for_map(page)
    assert page.locator(".leaflet-container").count() == 2
    # both sides label every grid with its households
    labels = page.locator(".wg-label").all_inner_texts()
    assert "80" in labels and "161" in labels
    assert page.evaluate("wangge.layerIndex.current_changed.getLayers().length") == 2
    assert page.evaluate("wangge.layerIndex.proposed_changed.getLayers().length") == 1
    assert "最大偏差" in page.locator(".wg-bottom-bar").inner_text()
    assert page.locator(".wg-synthetic").is_visible()
    click_feature(page, "proposed", "62302110100117")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "调整 / changed" in popup.inner_text() and "161" in popup.inner_text()
    page.wait_for_timeout(400)
    page.screenshot(path=str(artifacts / "redraw.png"))
