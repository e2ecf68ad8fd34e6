"""Intake keeps the geocoder's evidence: no grid without it, 位置待核实, text against GPS.

The small synthetic county of :mod:`tests.geo.disputes.disputes_factories` (real Lintan
names: 东山村 of 新城镇, 池沟村 of 冶力关镇, one grid each).
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    DONGSHAN,
    GRID,
    XINCHENG,
    address_point,
    build_world,
)


@pytest.fixture
def world(db):
    return build_world(db)


def _case(session, external_id: str) -> dict:
    return dict(
        session.execute(
            text(
                "SELECT d.grid_id, d.geocode_level, d.location_admin_code, d.location_check,"
                " g.code AS grid_code FROM dispute d LEFT JOIN grid g ON g.id = d.grid_id"
                " WHERE d.external_id = :e"
            ),
            {"e": external_id},
        )
        .mappings()
        .one()
    )


def test_a_village_named_without_a_house_goes_to_the_village_not_to_a_grid(world):
    report = world.ingest(
        [
            {
                "external_id": "V-1",
                "reported_at": "2026-11-10",
                "category": "邻里纠纷",
                "address": "新城镇东山村村委会旁边",
            }
        ]
    )
    case = _case(world.session, "V-1")
    assert case["grid_id"] is None and case["geocode_level"] == "village"
    assert case["location_admin_code"] == DONGSHAN
    assert case["location_check"]["status"] == "位置待核实"
    assert "不分配网格" in case["location_check"]["reason"]
    assert report.needs_location == ["V-1"]
    assert report.as_dict()["location_unverified"] == 1


def test_a_township_alone_goes_to_the_township(world):
    world.ingest(
        [
            {
                "external_id": "T-1",
                "reported_at": "2026-11-10",
                "category": "其他",
                "address": "新城镇街上",
            }
        ]
    )
    case = _case(world.session, "T-1")
    assert (case["grid_id"], case["location_admin_code"]) == (None, XINCHENG)


def test_a_house_address_keeps_its_grid_and_no_check(world):
    world.ingest(
        [
            {
                "external_id": "A-1",
                "reported_at": "2026-11-10",
                "category": "其他",
                "address": "冶力关镇池沟村二组三号",
            }
        ]
    )
    case = _case(world.session, "A-1")
    assert case["grid_code"] == GRID[CHIGOU] and case["location_check"] is None


def test_text_naming_another_township_than_the_gps_keeps_the_gps_and_flags_it(world):
    lon, lat = address_point(CHIGOU, 2, 3)  # a fix in 冶力关镇池沟村
    report = world.ingest(
        [
            {
                "external_id": "G-1",
                "reported_at": "2026-11-10",
                "category": "邻里纠纷",
                "address": "新城镇东山村一组1号",
                "lon": lon,
                "lat": lat,
            }
        ]
    )
    case = _case(world.session, "G-1")
    assert case["grid_code"] == GRID[CHIGOU]  # the GPS placement is kept
    (conflict,) = case["location_check"]["conflicts"]
    assert conflict["kind"] == "gps"
    assert (conflict["named"], conflict["matched"]) == ("东山村", "池沟村")
    assert conflict["distance_m"] > 5_000  # the two squares are 0.08° apart
    assert "按 GPS 定位" in conflict["message"]
    (listed,) = report.location_unverified
    assert listed["external_id"] == "G-1" and listed["conflicts"][0]["kind"] == "gps"


def test_text_agreeing_with_the_gps_is_not_flagged(world):
    lon, lat = address_point(CHIGOU, 2, 3)
    world.ingest(
        [
            {
                "external_id": "G-2",
                "reported_at": "2026-11-10",
                "category": "其他",
                "address": "冶力关镇池沟村",
                "lon": lon,
                "lat": lat,
            }
        ]
    )
    assert _case(world.session, "G-2")["location_check"] is None
