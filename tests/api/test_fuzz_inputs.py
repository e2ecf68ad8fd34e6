"""Hand-written bad input over real HTTP: oversize and chunked bodies, wrong content types,
malformed JSON and GeoJSON, absurd coordinates, SQL-injection strings, NUL bytes, huge
headers. Every one gets a clear 4xx, and the database is untouched."""

from __future__ import annotations

import json

import httpx
import pytest


def test_an_oversize_body_is_413_before_it_is_read(http):
    body = b'{"records": [' + b'{"external_id": "x"},' * 400_000 + b"{}]}"
    assert len(body) > 5_000_000
    response = http.post(
        "/api/v1/disputes", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_an_oversize_chunked_body_is_413(http):
    def chunks():
        yield b'{"records": ['
        for _ in range(6_000):
            yield b'{"external_id": "' + b"y" * 1000 + b'"},'
        yield b"{}]}"

    response = http.post(
        "/api/v1/disputes", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_a_huge_geometry_within_the_limit_is_refused_clearly(http):
    ring = [[103.5 + i * 1e-6, 34.7 + (i % 2) * 1e-6] for i in range(100_000)]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
               "properties": {}}  # fmt: skip
    collection = {"type": "FeatureCollection", "features": [feature]}
    response = http.post("/api/v1/disputes", json=collection)
    assert 400 <= response.status_code < 500, response.text[:300]
    assert http.post("/api/v1/geocode", json=collection).status_code == 422


BAD_GEOJSON = [
    {"type": "FeatureCollection", "features": "not a list"},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["a", "b"]}},
    {"type": "Point", "coordinates": [1e308, -1e308]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},  # bow-tie
    {"records": [{"type": "Feature", "geometry": None}]},
]


@pytest.mark.parametrize("body", BAD_GEOJSON, ids=range(len(BAD_GEOJSON)))
def test_bad_geojson_bodies_are_4xx(http, body):
    for path in ("/api/v1/disputes", "/api/v1/signals", "/api/v1/geocode"):
        response = http.post(path, json=body)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text)


BAD_RECORDS = [
    {"external_id": "bad-1", "reported_at": "2026-01-01", "category": "neighbour",
     "lon": 1e308, "lat": 34.7},
    {"external_id": "bad-2", "reported_at": "2026-01-01", "category": "neighbour",
     "lon": "NaN", "lat": "Infinity"},
    {"external_id": "bad-3", "reported_at": "2026-01-01", "category": "neighbour",
     "lon": 34.7, "lat": 103.6},  # swapped
    {"external_id": "bad-4", "reported_at": "not a date", "category": "x' OR 1=1 --"},
    {"external_id": "'; DROP TABLE dispute; --", "reported_at": "2026-01-01",
     "category": "neighbour"},
]  # fmt: skip


@pytest.mark.parametrize("record", BAD_RECORDS, ids=range(len(BAD_RECORDS)))
def test_bad_records_are_422_naming_the_field(http, record):
    response = http.post("/api/v1/disputes", json=record)
    assert response.status_code == 422, response.text
    assert response.json().get("problems") or response.json().get("detail")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b"hello"),
        ("application/xml", b"<a/>"),
        ("application/json", b"{not json"),
        ("application/json", b"\xff\xfe\x00"),
        ("application/x-www-form-urlencoded", b"a=1&b=2"),
        ("multipart/form-data; boundary=x", b"--x--"),
    ],
)
def test_wrong_content_types_and_broken_json_are_4xx(http, content_type, body):
    for path in ("/api/v1/disputes", "/api/v1/geocode", "/api/v1/redraw"):
        response = http.post(path, content=body, headers={"Content-Type": content_type})
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text)


INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE grid; --",
    "623021' UNION SELECT password_hash FROM app_user --",
    "%' AND pg_sleep(5) --",
    "\\x00",
    "城关镇'; --",
]


@pytest.mark.parametrize("attack", INJECTIONS, ids=range(len(INJECTIONS)))
def test_sql_injection_strings_are_plain_data(http, attack):
    hits = http.get("/api/v1/addresses", params={"q": attack, "limit": 5})
    assert hits.status_code == 200 and hits.json()["numberReturned"] == 0
    assert http.get("/api/v1/grids", params={"township": attack}).status_code == 422
    assert http.get(f"/api/v1/grids/{attack}").status_code in (404, 422)
    assert http.get(f"/ogc/collections/{attack}/items").status_code == 404
    assert http.get(f"/ogc/collections/grids/items/{attack}").status_code == 404
    assert http.get(f"/ogc/collections/disputes/items/{attack}").status_code == 404
    assert http.get("/api/v1/disputes", params={"category": attack}).status_code in (200, 422)
    login = http.post("/api/v1/auth/token", data={"username": attack, "password": attack})
    assert login.status_code == 401
    assert http.get("/api/v1/grids", params={"township": "623021100"}).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/addresses?q=%00", "/api/v1/grids/62302%00",
                                  "/ogc/collections/grids/items/a%00b"])  # fmt: skip
def test_nul_bytes_are_400(http, path):
    assert http.get(path).status_code == 400


def test_an_absurd_login_and_token_are_4xx(http, live_server):
    response = http.post(
        "/api/v1/auth/token", data={"username": "u" * 100_000, "password": "p" * 100_000}
    )
    assert 400 <= response.status_code < 500
    with httpx.Client(base_url=live_server, timeout=60) as anonymous:
        huge = anonymous.get("/api/v1/grids", headers={"Authorization": "Bearer " + "a" * 20_000})
        assert 400 <= huge.status_code < 500
        weird = anonymous.get("/api/v1/grids", headers={"Authorization": "Basic Zm9vOmJhcg=="})
        assert weird.status_code == 401


def test_json_bodies_are_refused_as_query_values(http):
    response = http.get("/ogc/collections/grids/items", params={"bbox": json.dumps([1, 2, 3, 4])})
    assert response.status_code == 422
