"""``POST /api/v1/geocode`` and ``GET /api/v1/geocode/reverse`` over real HTTP on the demo
county (synthetic data)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from core.crs import wgs84_to_gcj02


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server, timeout=60) as http:
        yield http


@pytest.fixture(scope="module")
def rural_address(demo_engine) -> dict:
    """A rural standard address of the demo county with its point and grid."""
    with demo_engine.connect() as conn:
        row = (
            conn.execute(
                text(
                    "SELECT a.code, a.full_text, a.township, a.village, a.group_no, a.number,"
                    " ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, g.code AS grid_code"
                    " FROM address a JOIN grid g ON g.id = a.grid_id"
                    " WHERE a.group_no IS NOT NULL AND a.village = '池沟村' ORDER BY a.code LIMIT 1"
                )
            )
            .mappings()
            .one()
        )
    return dict(row)


def test_one_address_in_noisy_form(client, auth_headers, rural_address):
    a = rural_address
    noisy = f"{a['township']} {a['village']}第{a['group_no']}组{a['number']}号旁边"
    body = client.post(
        "/api/v1/geocode", json={"address": noisy}, headers=auth_headers["viewer"]
    ).json()
    assert body["level"] == "address"
    assert body["address_code"] == a["code"]
    assert body["grid_code"] == a["grid_code"]
    assert 0 < body["score"] <= 1
    assert (body["lon"], body["lat"]) == pytest.approx((a["lon"], a["lat"]))
    assert body["standard_address"] == a["full_text"]
    assert (body["level_zh"], body["status"], body["conflicts"]) == ("门牌地址", None, [])
    assert body["township_name"] == a["township"] and body["grid_name"]
    assert body["reason"]


def test_batch_with_outside_and_ambiguous_text(client, auth_headers, rural_address):
    texts = [rural_address["full_text"], "甘肃省卓尼县柳林镇", "东山村", "临潭县术布乡", ""]
    response = client.post(
        "/api/v1/geocode", json={"addresses": texts}, headers=auth_headers["viewer"]
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["level"] for r in results] == ["address", "none", "county", "township", "none"]
    assert results[1]["named_region"] == "卓尼县" and results[1]["grid_code"] is None
    assert results[2]["ambiguous"] is True
    assert {c["township"] for c in results[2]["candidates"]} == {"新城镇", "冶力关镇"}
    assert all(c["code"] and c["score"] == 0.5 for c in results[2]["candidates"])
    # coarse or ambiguous: no grid, 位置待核实
    assert [r["grid_code"] for r in results[2:4]] == [None, None]
    assert [r["status"] for r in results[2:4]] == ["位置待核实", "位置待核实"]


def test_a_village_under_the_wrong_township_is_flagged(client, auth_headers):
    body = client.post(
        "/api/v1/geocode", json={"address": "城关镇西街村"}, headers=auth_headers["viewer"]
    ).json()
    assert (body["level"], body["village_name"], body["grid_code"]) == ("village", "西街村", None)
    assert body["conflicts"][0]["kind"] == "admin"
    assert body["conflicts"][0]["message"].startswith("文字写的是城关镇，但西街村属于新城镇")


def test_gps_fix_in_gcj02_and_reverse_geocoding(client, auth_headers, rural_address):
    a = rural_address
    gcj_lon, gcj_lat = (float(v) for v in wgs84_to_gcj02(a["lon"], a["lat"]))
    body = client.post(
        "/api/v1/geocode",
        json={"lon": gcj_lon, "lat": gcj_lat, "crs": "gcj02"},
        headers=auth_headers["viewer"],
    ).json()
    assert (body["level"], body["address_code"], body["grid_code"]) == (
        "address", a["code"], a["grid_code"],
    )  # fmt: skip
    reverse = client.get(
        "/api/v1/geocode/reverse",
        params={"lon": a["lon"], "lat": a["lat"]},
        headers=auth_headers["viewer"],
    ).json()
    assert reverse["grid_code"] == a["grid_code"]
    assert reverse["address_code"] == a["code"]
    assert reverse["village_name"].startswith("池沟村")


def test_bad_requests_are_refused_with_422(client, auth_headers):
    headers = auth_headers["viewer"]
    both = client.post("/api/v1/geocode", json={"address": "x", "lon": 103.4}, headers=headers)
    assert both.status_code == 422
    swapped = client.post("/api/v1/geocode", json={"lon": 34.7, "lat": 103.4}, headers=headers)
    assert swapped.status_code == 422
    assert "swapped" in swapped.json()["detail"]
    bad_crs = client.get(
        "/api/v1/geocode/reverse", params={"lon": 103.4, "lat": 34.7, "crs": "bd09"},
        headers=headers,
    )  # fmt: skip
    assert bad_crs.status_code == 422


def test_geocoding_needs_a_login(client):
    assert client.post("/api/v1/geocode", json={"address": "临潭县"}).status_code == 401
