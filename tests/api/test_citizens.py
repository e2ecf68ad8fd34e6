"""The citizens' door over real HTTP: report without login, follow by the private link, staff
close the case as core/permissions.py allows, the citizen rates it; abuse guards; privacy."""

from __future__ import annotations

import datetime as dt
import io
import re

import httpx
import openpyxl
import pytest
from sqlalchemy import text

from api.settings import ApiSettings
from geo.database.engine import make_engine
from tests.api.conftest import make_role_users
from tests.conftest import LiveServer
from tests.served_workers import point_in_first_grid

CHINA = dt.timezone(dt.timedelta(hours=8))
NUMBERS = {c: n for n, c in enumerate("零一二三四五六七八九十")}
PHONE = "13912345678"
SECRET_WORDS = "王大妈家楼上每晚装修"


def solve(question: str) -> str:
    """The answer to the page's sum (“七加五等于几？”)."""
    a, op, b = re.match(r"(.)(加|减)(.)", question).groups()
    return str(NUMBERS[a] + NUMBERS[b] if op == "加" else NUMBERS[a] - NUMBERS[b])


def case_id(url: str, number: str) -> int:
    """The dispute id of a case number (what staff find in their list)."""
    engine = make_engine(url, pool_size=1)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM dispute WHERE external_id = :n"), {"n": number})
        found = found.scalar_one()
    engine.dispose()
    return found


def close_as_staff(client: httpx.Client, users: dict, dispute: int, version: int) -> int:
    """The county centre routes the case to the township over its grid, which accepts and
    resolves it (who may: core/permissions.py); return the new version."""
    township = users["township"]
    steps = (
        ("county_centre", {"to": "routed", "unit": township.scope_code, "note": "请乡镇办理"}),
        ("township", {"to": "in_progress", "note": "张科长已签收"}),
        ("township", {"to": "resolved", "note": "张科长现场调解"}),
    )
    for role, step in steps:
        moved = client.post(
            f"/api/v1/disputes/{dispute}/transitions", json={**step, "version": version},
            headers=users[role].headers,
        )  # fmt: skip
        assert moved.status_code == 200, moved.text
        version = moved.json()["version"]
    return version


def challenge(client: httpx.Client) -> dict:
    asked = client.get("/api/v1/citizen/challenge").json()
    return {"ticket": asked["ticket"], "answer": solve(asked["question"])}


@pytest.fixture(scope="module")
def citizens_url(new_database, demo_template) -> str:
    return new_database(template=demo_template, kind="citizens")


@pytest.fixture(scope="module")
def server(citizens_url):
    with LiveServer(citizens_url) as running:
        yield running.base_url


@pytest.fixture(scope="module")
def spot(citizens_url):
    return point_in_first_grid(citizens_url)


@pytest.fixture
def public(server):
    with httpx.Client(base_url=server, timeout=120) as client:
        yield client


def report(public, spot, **extra) -> httpx.Response:
    body = {
        "lon": spot.lon, "lat": spot.lat, "category": "neighbour",
        "description": SECRET_WORDS + "，吵得睡不着", "phone": PHONE, **challenge(public),
    }  # fmt: skip
    return public.post("/api/v1/citizen/reports", json=body | extra)


def test_the_page_needs_no_login_and_loads_nothing_from_elsewhere(public):
    page = public.get("/report")
    assert page.status_code == 200
    assert "问题上报" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # no inline script
    assert "/static/wangge/citizen.js" in page.text
    assert public.get("/report/follow").status_code == 200


def test_report_follow_close_and_rate(public, spot, citizens_url):
    filed = report(public, spot)
    assert filed.status_code == 201, filed.text
    number, token = filed.json()["case_number"], filed.json()["token"]
    assert filed.json()["status"] == "received"

    view = public.post("/api/v1/citizen/follow", json={"token": token}).json()
    assert view["case_number"] == number and view["status"] == "received"
    assert view["may_rate"] is False
    assert PHONE not in str(view) and SECRET_WORDS not in str(view)

    users = make_role_users(citizens_url)
    centre = users["county_centre"].headers
    with httpx.Client(base_url=public.base_url, timeout=120) as staff:
        dispute = case_id(citizens_url, number)
        case = staff.get(f"/api/v1/disputes/{dispute}", headers=centre).json()["properties"]
        assert case["status"] == "received" and case["assignee"] is None
        assert [p["phone"] for p in case["parties"]] == [PHONE]
        viewer = staff.get(f"/api/v1/disputes/{dispute}", headers=users["viewer"].headers)
        assert viewer.status_code == 403 or viewer.json()["properties"]["parties"] == []
        close_as_staff(staff, users, dispute, case["version"])

        view = public.post("/api/v1/citizen/follow", json={"token": token}).json()
        assert view["status"] == "resolved" and view["may_rate"] is True
        steps = [s["status"] for s in view["history"]]
        assert steps == ["received", "routed", "in_progress", "resolved"]
        assert "张科长" not in str(view)

        rated = public.post(
            "/api/v1/citizen/rating",
            json={"token": token, "satisfaction": 5, "comment": "很快就解决了"},
        )
        assert rated.status_code == 200, rated.text
        assert rated.json()["rating"]["satisfaction"] == 5
        assert rated.json()["status"] == "rated" and rated.json()["may_rate"] is False
        again = public.post("/api/v1/citizen/rating", json={"token": token, "satisfaction": 1})
        assert again.status_code == 409

        case = staff.get(f"/api/v1/disputes/{dispute}", headers=centre).json()["properties"]
        assert case["status"] == "rated" and case["satisfaction"] == 5
        stats = staff.get("/api/v1/stats", headers=centre).json()
        assert stats["rated_by_citizen"] >= 1
        today = dt.datetime.now(CHINA).date()
        book = staff.get(
            "/api/v1/ledger.xlsx", params={"from": str(today - dt.timedelta(days=1)),
                                           "to": str(today)}, headers=centre,
        )  # fmt: skip
        sheet = openpyxl.load_workbook(io.BytesIO(book.content))["化解台账"]
        row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == number)
        assert row[15] == 5 and "群众自评" in row[16]


def test_staff_may_not_pass_off_a_rating_as_the_citizens(public, spot, citizens_url):
    number = report(public, spot).json()["case_number"]
    dispute = case_id(citizens_url, number)
    users = make_role_users(citizens_url)
    version = close_as_staff(public, users, dispute, 1)
    forged = public.post(
        f"/api/v1/disputes/{dispute}/transitions",
        json={"to": "rated", "version": version, "satisfaction": 5, "rating_source": "citizen"},
        headers=users["county_centre"].headers,
    )
    assert forged.status_code == 422
    assert "群众" in forged.json()["detail"]


def test_a_bad_token_finds_nothing(public):
    missing = public.post("/api/v1/citizen/follow", json={"token": "A" * 32})
    assert missing.status_code == 404
    assert public.post("/api/v1/citizen/follow", json={"token": "x"}).status_code == 422


def test_the_challenge_must_be_solved_once(public, spot):
    wrong = report(public, spot, answer="99")
    assert wrong.status_code == 422 and "小问题" in wrong.json()["detail"]
    solved = challenge(public)
    assert report(public, spot, **solved).status_code == 201
    assert report(public, spot, **solved).status_code == 422  # the ticket is spent


def test_the_hidden_field_filled_in_by_a_robot_is_refused(public, spot):
    assert report(public, spot, website="http://spam.example").status_code == 422


def test_a_point_outside_the_county_is_refused_in_chinese(public):
    body = {"lon": 116.4, "lat": 39.9, "category": "other", "description": "很远的地方的问题",
            **challenge(public)}  # fmt: skip
    refused = public.post("/api/v1/citizen/reports", json=body)
    assert refused.status_code == 422 and "网格" in refused.json()["detail"]


def test_a_large_body_is_refused(public):
    huge = {"description": "长" * 20_000}
    assert public.post("/api/v1/citizen/reports", json=huge).status_code == 413


def test_reports_are_limited_per_client(citizens_url, spot, start_server, monkeypatch):
    monkeypatch.setenv("WANGGE_CITIZEN_REPORTS_PER_HOUR", "2")
    # counts are shared by every server on the database, so this test's client needs an
    # address of its own (sent through a trusted proxy), apart from the module's reports
    base = start_server(citizens_url, settings=ApiSettings(trusted_proxies="127.0.0.1"))
    own = {"X-Forwarded-For": "198.51.100.21"}
    with httpx.Client(base_url=base, timeout=120, headers=own) as client:
        assert report(client, spot).status_code == 201
        assert report(client, spot).status_code == 201
        third = report(client, spot)
    assert third.status_code == 429
    assert int(third.headers["retry-after"]) > 0


def test_nearby_suggestions_carry_no_personal_data(public, spot):
    report(public, spot)
    nearby = public.get(
        "/api/v1/citizen/nearby",
        params={"lon": spot.lon, "lat": spot.lat, "category": "neighbour"},
    )
    assert nearby.status_code == 200
    items = nearby.json()["items"]
    assert items and items[0]["metres"] == 0
    assert PHONE not in nearby.text and SECRET_WORDS not in nearby.text


def test_the_public_map_is_off_by_default_and_anonymised_when_on(
    public, citizens_url, start_server, monkeypatch
):
    assert public.get("/api/v1/citizen/resolved").status_code == 404
    monkeypatch.setenv("WANGGE_CITIZEN_PUBLIC_MAP", "1")
    base = start_server(citizens_url)
    dots = httpx.get(f"{base}/api/v1/citizen/resolved", timeout=120)
    assert dots.status_code == 200
    features = dots.json()["features"]
    assert features
    assert all(set(f["properties"]) == {"category_label", "cases"} for f in features)
    engine = make_engine(citizens_url, pool_size=1)
    with engine.connect() as conn:
        grid_points = {
            (round(x, 5), round(y, 5))
            for x, y in conn.execute(
                text(
                    "SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom))"
                    " FROM grid WHERE valid_to IS NULL"
                )
            )
        }
    assert {tuple(f["geometry"]["coordinates"]) for f in features} <= grid_points
