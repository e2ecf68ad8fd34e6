"""Coverage, safety and on-duty payloads and their place on the command-room page (pure)."""

from __future__ import annotations

import geopandas as gpd
import shapely

from maps.command_room import command_room_page, render_page
from maps.forces import (
    add_coverage,
    coverage_payload,
    on_duty_payload,
    safety_payload,
)
from maps.payloads import admin_payload, facilities_payload, grids_payload


def _coverage() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["G1", "G2"],
            "name": ["一网格", "二网格"],
            "leader": ["网格长1（模拟）", None],
            "households": [40, 30],
            "people": [8, 0],
            "households_per_person": [5.0, None],
            "household_groups": [4, 3],
            "forces": [{"grid_leader": 1, "county_cadre": 2, "militia": 0}, {}],
            "missing": [[], ["grid_leader", "household_leader"]],
            "synthetic": [True, True],
        },
        geometry=[
            shapely.box(103.0, 34.0, 103.01, 34.01),
            shapely.box(103.01, 34.0, 103.02, 34.01),
        ],
        crs=4326,
    )


def test_coverage_payload_marks_grids_missing_a_role():
    payload = coverage_payload(_coverage())
    first, second = (f["properties"] for f in payload["features"])
    assert (first["cls"], second["cls"]) == (0, 1)
    assert first["forces"] == ["网格长 1", "县级干部 2"]
    assert second["missing"] == ["缺网格长 no grid leader", "联防组缺十户长 group without leader"]
    meta = payload["wangge"]
    assert meta["flagged"] == 1 and meta["synthetic"] and meta["notices"]
    assert coverage_payload(None)["features"] == []


def test_safety_and_on_duty_payloads():
    units = gpd.GeoDataFrame(
        {"code": ["T1", "V1"], "name": ["甲乡", "一村"], "level": ["township", "village"],
         "qualifies": [True, False], "awarded": ["无诉讼乡镇、零命案乡镇", ""],
         "missed": ["", "平安村/社区"], "evidence": [0, 2], "year": [2026, 2026],
         "provisional": [True, True], "synthetic": [True, True]},
        geometry=[shapely.box(103, 34, 103.1, 34.1), shapely.box(103, 34, 103.05, 34.05)],
        crs=4326,
    )  # fmt: skip
    payload = safety_payload(units)
    assert [f["properties"]["cls"] for f in payload["features"]] == [0, 1]
    assert payload["wangge"]["legend_title"].endswith("2026")
    centres = gpd.GeoDataFrame(
        {"code": ["c1"], "name": ["县综治中心"], "kind": ["county_centre"],
         "people": [[{"post": "带班领导", "name": "甲（模拟）", "staff_code": "S1"}]],
         "handover": ["平稳"], "synthetic": [True]},
        geometry=[shapely.Point(103.0, 34.0)], crs=4326,
    )  # fmt: skip
    duty = on_duty_payload(centres)
    people = duty["features"][0]["properties"]["people"]
    assert people == [{"post": "带班领导", "name": "甲（模拟）"}]
    assert on_duty_payload(None)["wangge"]["notices"]


def test_the_command_room_page_carries_the_new_layers_and_the_panel():
    coverage = _coverage()
    built = {
        "admin": admin_payload(None),
        "grids": grids_payload(coverage),
        "hotspots": {"type": "FeatureCollection", "features": [], "wangge": {}},
        "disputes": {"type": "FeatureCollection", "features": [], "wangge": {}},
        "facilities": facilities_payload(None),
        "coverage": coverage_payload(coverage),
        "safety": safety_payload(None),
        "on_duty": on_duty_payload(None),
    }
    html = render_page(command_room_page(built, data_url="/api/v1/maps/layers"))
    assert "/api/v1/maps/layers/coverage" in html and "/api/v1/maps/layers/on_duty" in html
    assert "addOnDutyPanel" in html and "W.popups.coverage" in html
    assert html.count("W.popups.coverage = ") == 1
    alone = render_page(add_coverage(coverage))
    assert "力量覆盖 forces coverage" in alone
