"""Basemap choice: none by default, Tianditu with a key, an XYZ URL, Amap with GCJ-02 data."""

from __future__ import annotations

import factories as f
import pytest

from core.crs import wgs84_to_gcj02
from maps.base import Basemap
from maps.command_room import command_room_map, command_room_payloads, render_page


def _page(basemap: Basemap | None) -> str:
    return render_page(
        command_room_map(
            admin_units=f.admin_units(),
            grids=f.grids(),
            disputes=None,
            facilities=None,
            hotspots=None,
            now=f.NOW,
            basemap=basemap,
        )
    )


def test_no_tiles_by_default():
    assert "L.tileLayer" not in _page(None)


def test_tianditu_needs_a_key_and_uses_it():
    with pytest.raises(ValueError, match="key"):
        Basemap(kind="tianditu")
    html = _page(Basemap(kind="tianditu", key="abc123"))
    assert "tianditu.gov.cn/vec_w/wmts" in html and "tk=abc123" in html


def test_xyz_needs_a_url():
    with pytest.raises(ValueError, match="URL"):
        Basemap(kind="xyz")
    assert "tiles.example.local/{z}/{x}/{y}.png" in _page(
        Basemap(kind="xyz", url="http://tiles.example.local/{z}/{x}/{y}.png")
    )


def test_amap_shifts_our_data_to_gcj02():
    assert (
        Basemap(kind="amap").shift_to_gcj02 and not Basemap(kind="tianditu", key="k").shift_to_gcj02
    )
    plain = command_room_payloads(
        admin_units=None, grids=f.grids(), disputes=None, facilities=None, hotspots=None, now=f.NOW
    )
    shifted = command_room_payloads(
        admin_units=None,
        grids=f.grids(),
        disputes=None,
        facilities=None,
        hotspots=None,
        now=f.NOW,
        gcj02=True,
    )
    x, y = plain["grids"]["features"][0]["geometry"]["coordinates"][0][0][0]
    sx, sy = shifted["grids"]["features"][0]["geometry"]["coordinates"][0][0][0]
    lon, lat = wgs84_to_gcj02(x, y)
    assert (sx, sy) == pytest.approx((float(lon), float(lat)), abs=2e-5)
    assert abs(sx - x) > 1e-3  # a few hundred metres, not nothing
