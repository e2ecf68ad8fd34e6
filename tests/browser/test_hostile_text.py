"""Hostile text in every free-text field that reaches a map must not stop the map drawing."""

from __future__ import annotations

import geopandas as gpd
import pytest

from maps.command_room import command_room_page, command_room_payloads, render_page
from maps.forces import on_duty_payload
from tests.browser.pages import wait_for_map, write_page
from tests.maps import factories as f

pytestmark = pytest.mark.browser
DISPUTE_TEXTS = (
    "location_text", "category", "severity", "assignee", "leader", "grid_name", "external_id",
    "dispatch",
)  # fmt: skip
HOSTILE = "<!--<script>\"'&</script><img src=x onerror=alert(1)>\u2028\u2029"


def _hostile(frame: gpd.GeoDataFrame, *columns: str) -> gpd.GeoDataFrame:
    frame = frame.copy()
    for column in columns:
        frame[column] = [f"{value}{HOSTILE}" for value in frame.get(column, [""] * len(frame))]
    return frame


def _hostile_page() -> str:
    frames = {
        "admin_units": _hostile(f.admin_units(), "name"),
        "grids": _hostile(f.grids(), "name", "village", "leader", "factors"),
        "disputes": _hostile(f.disputes(), *DISPUTE_TEXTS),
        "facilities": _hostile(f.facilities(), "name"),
        "hotspots": _hostile(f.hotspots(), "name", "explanation", "hotspot_class"),
    }
    built = command_room_payloads(now=f.NOW, **frames)
    centres = f.facilities().iloc[:1].copy()
    centres["people"] = [[{"post": f"值班长{HOSTILE}", "name": f"张三{HOSTILE}"}]]
    centres["handover"] = f"交班记录{HOSTILE}"
    built["on_duty"] = on_duty_payload(centres)
    return render_page(command_room_page(built, title=f"临潭县{HOSTILE}", refresh_seconds=0))


def test_hostile_text_is_shown_as_text_and_every_layer_draws(page, static_site):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(write_page(static_site, "command-room-hostile.html", _hostile_page()))
    wait_for_map(page)
    assert page.evaluate("wangge.layerIndex.grids.getLayers().length") == 16
    assert page.evaluate("wangge.layerIndex.villages.getLayers().length") == 4
    assert page.evaluate("wangge.layerIndex.hotspots.getLayers().length") == 3
    assert page.locator(".wg-pt-disputes").count() == 3
    assert page.evaluate("wangge.layerIndex.facilities.getLayers().length") >= 1
    assert "交班记录<!--<script>" in page.locator(".wg-on-duty").inner_text()
    assert page.locator("img[src=x]").count() == 0 and not dialogs
    page.locator(".wg-pt-disputes").first.click()
    popup = page.locator(".leaflet-popup-content .wg-popup-dispute")
    popup.wait_for()
    assert "</script>" in popup.inner_text()
    assert page.locator("img[src=x]").count() == 0 and not dialogs
