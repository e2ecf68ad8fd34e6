"""Issue 14, items 8, 12 and 13: decisions recorded once under concurrent requests, errors
that say what went wrong (4xx for bad times, 503 while the database is away), the
documentation served from the app, security headers, CORS and bounded fields."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from api.middleware import SecurityHeaders
from api.settings import ApiSettings
from geo.database.engine import make_engine


def _query(url: str, statement: str, **params):
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return conn.execute(text(statement), params).mappings().all()
    finally:
        engine.dispose()


def _at_once(count: int, send) -> list[httpx.Response]:
    """``send(i)`` from ``count`` threads released together at a barrier."""
    barrier = threading.Barrier(count)

    def run(i: int) -> httpx.Response:
        barrier.wait()
        return send(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture
def served(fresh_demo_url, start_server, role_users):
    users = role_users(fresh_demo_url)
    return fresh_demo_url, start_server(fresh_demo_url), users


def test_concurrent_reviews_of_one_hotspot_record_one_decision(served):
    url, base, users = served
    target = _query(url, "SELECT id FROM hotspot WHERE status = 'pending' ORDER BY id LIMIT 1")
    hotspot_id = target[0]["id"]
    headers = users["county_centre"].headers
    outcomes = ["confirmed", "dismissed"] * 3
    answers = _at_once(
        6,
        lambda i: httpx.post(f"{base}/api/v1/hotspots/{hotspot_id}/review",
                             json={"status": outcomes[i]}, headers=headers, timeout=120),
    )  # fmt: skip
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409, 409, 409]
    winner = next(a for a in answers if a.status_code == 200).json()
    stored = _query(url, "SELECT status FROM hotspot WHERE id = :id", id=hotspot_id)
    assert stored[0]["status"] == winner["status"]
    assert all("已评审" in a.json()["detail"] for a in answers if a.status_code == 409)


def test_concurrent_overlapping_shifts_for_one_person_store_one(served):
    url, base, users = served
    centres = _query(
        url,
        "SELECT admin_code FROM facility WHERE kind = 'township_centre' ORDER BY code LIMIT 4",
    )
    staff = _query(url, "SELECT code FROM staff ORDER BY code LIMIT 1")[0]["code"]
    headers = users["county_centre"].headers
    answers = _at_once(
        8,
        lambda i: httpx.post(
            f"{base}/api/v1/roster/shifts",
            json={"centre": centres[i % len(centres)]["admin_code"], "staff": staff,
                  "from": "2031-03-01T08:00+08:00", "to": "2031-03-01T20:00+08:00"},
            headers=headers, timeout=120,
        ),
    )  # fmt: skip
    assert sorted(a.status_code for a in answers) == [201] + [409] * 7, [a.text for a in answers]
    assert all(
        "同一人不能同时值两个班" in a.json()["detail"] for a in answers if a.status_code == 409
    )
    stored = _query(
        url,
        "SELECT count(*) AS n FROM duty_shift d JOIN staff s ON s.id = d.staff_id "
        "WHERE s.code = :c AND d.starts_at >= '2031-01-01'",
        c=staff,
    )
    assert stored[0]["n"] == 1


def test_times_without_a_zone_are_a_422(http):
    stats = http.get("/api/v1/stats", params={"from": "2026-01-01T00:00"})
    assert stats.status_code == 422 and "时区" in stats.json()["detail"]
    mixed = http.get(
        "/api/v1/roster/shifts",
        params={"centre": "623021", "from": "2026-06-01T08:00+08:00", "to": "2026-06-02T08:00"},
    )
    assert mixed.status_code == 422 and "'to'" in mixed.json()["detail"]


def test_public_health_tells_no_versions_and_the_centre_gets_them(live_server, http):
    public = httpx.get(f"{live_server}/api/v1/health", timeout=30)
    assert public.status_code == 200 and public.json() == {"status": "ok"}
    assert http.get("/api/v1/health").json()["database"]["postgis"].startswith("3.")


def test_database_unreachable_answers_503_with_retry_after(start_server, role_users, demo_url):
    users = role_users(demo_url)
    with httpx.Client(timeout=60) as client:
        sock_port = _closed_port()
        base = start_server(f"postgresql+psycopg://wangge@127.0.0.1:{sock_port}/nowhere")
        health = client.get(f"{base}/api/v1/health")
        assert health.status_code == 503 and health.headers["retry-after"]
        grids = client.get(f"{base}/api/v1/grids", headers=users["viewer"].headers)
        assert grids.status_code == 503, grids.text
        assert grids.headers["retry-after"] and "数据库" in grids.json()["detail"]


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_docs_are_served_from_the_app_without_a_cdn(live_server):
    for page, asset in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        html = httpx.get(live_server + page, timeout=30)
        assert html.status_code == 200
        assert "cdn" not in html.text.lower() and "<script>" not in html.text
        assert asset in html.text
        assert "script-src" not in html.headers["content-security-policy"]
        assert "default-src 'self'" in html.headers["content-security-policy"]
    for path in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css",
                 "redoc/redoc.standalone.js", "swagger-init.js", "redoc-init.js"):  # fmt: skip
        assert httpx.get(f"{live_server}/docs-assets/{path}", timeout=30).status_code == 200


def test_security_headers_self_only_and_hsts_in_production():
    def hello(request):
        return PlainTextResponse("ok")

    for production in (False, True):
        app = Starlette(routes=[Route("/api/v1/x", hello)])
        app.add_middleware(SecurityHeaders, production=production)
        headers = TestClient(app).get("/api/v1/x").headers
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert ("strict-transport-security" in headers) is production


def test_cors_origins_are_applied(demo_url, start_server):
    settings = ApiSettings(cors_origins=["https://wall.example.gov.cn"])
    base = start_server(demo_url, settings=settings)
    preflight = {"Origin": "https://wall.example.gov.cn", "Access-Control-Request-Method": "GET"}
    allowed = httpx.options(f"{base}/api/v1/grids", headers=preflight, timeout=30)
    assert allowed.headers["access-control-allow-origin"] == "https://wall.example.gov.cn"
    other = {**preflight, "Origin": "https://evil.example"}
    refused = httpx.options(f"{base}/api/v1/grids", headers=other, timeout=30)
    assert "access-control-allow-origin" not in refused.headers


def test_intake_fields_are_bounded(http):
    huge = {"external_id": "LONG-1", "reported_at": "2026-11-20 09:30", "category": "婚姻家庭",
            "address": "城关镇", "description": "很" * 3_000_000}  # fmt: skip
    assert http.post("/api/v1/disputes", json=huge).status_code in (413, 422)
    long_text = {**huge, "description": "长" * 5_000}
    refused = http.post("/api/v1/disputes", json=long_text)
    assert refused.status_code == 422 and "description" in refused.text
    long_name = {**huge, "description": "x", "parties": [{"name": "名" * 200_000}]}
    assert http.post("/api/v1/disputes", json=long_name).status_code in (413, 422)
    medium_name = {**huge, "description": "x", "parties": [{"name": "名" * 5_000}]}
    assert http.post("/api/v1/disputes", json=medium_name).status_code == 422


def test_cors_origins_read_from_the_environment_comma_separated_or_as_json(monkeypatch):
    monkeypatch.setenv(
        "WANGGE_CORS_ORIGINS", "https://wall.example.gov.cn, https://desk.example.gov.cn"
    )
    assert ApiSettings().cors_origins == (
        "https://wall.example.gov.cn",
        "https://desk.example.gov.cn",
    )
    monkeypatch.setenv("WANGGE_CORS_ORIGINS", '["https://wall.example.gov.cn"]')
    assert ApiSettings().cors_origins == ("https://wall.example.gov.cn",)
