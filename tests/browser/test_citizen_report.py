"""The citizens' door at phone size (360×740) in Chromium: report a problem with "use my
location", see the nearby suggestion, get the private link; staff route, accept and resolve
the case over the API as core/permissions.py allows; the citizen follows the link and rates
it. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import text

from geo.database.engine import make_engine
from tests.api.conftest import make_role_users
from tests.browser.conftest import LOOPBACK
from tests.conftest import LiveServer
from tests.served_workers import point_in_first_grid

SHOTS = Path(__file__).resolve().parents[1] / "artifacts"  # kept out of git
NUMBERS = {c: n for n, c in enumerate("零一二三四五六七八九十")}
PHONE = "13700001234"


def solve(question: str) -> str:
    a, op, b = re.match(r"(.)(加|减)(.)", question).groups()
    return str(NUMBERS[a] + NUMBERS[b] if op == "加" else NUMBERS[a] - NUMBERS[b])


@pytest.fixture(scope="module")
def site(new_database, demo_template):
    url = new_database(template=demo_template, kind="citizenpage")
    with LiveServer(url) as running:
        yield url, running.base_url


@pytest.fixture(scope="module")
def spot(site):
    return point_in_first_grid(site[0])


@pytest.fixture
def phone(browser, spot):
    """A phone-sized page with its location at ``spot``; loopback only, and no errors."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
        locale="zh-CN", geolocation={"latitude": spot.lat, "longitude": spot.lon},
        permissions=["geolocation"],
    )  # fmt: skip
    page = context.new_page()
    problems: list[str] = []

    def route(r):
        host = urlsplit(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            r.continue_()
        else:
            problems.append(f"outside request: {r.request.url}")
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 else None)  # fmt: skip
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    yield page
    context.close()
    assert not problems, problems


def _earlier_report(base: str, spot) -> None:
    """Someone reported a neighbour quarrel at the same place a little earlier."""
    with httpx.Client(base_url=base, timeout=120) as client:
        asked = client.get("/api/v1/citizen/challenge").json()
        filed = client.post("/api/v1/citizen/reports", json={
            "lon": spot.lon, "lat": spot.lat, "category": "neighbour",
            "description": "隔壁天天半夜唱歌", "ticket": asked["ticket"],
            "answer": solve(asked["question"]),
        })  # fmt: skip
        assert filed.status_code == 201, filed.text


def _close_as_staff(url: str, base: str, number: str) -> None:
    users = make_role_users(url)
    engine = make_engine(url, pool_size=1)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT id, version FROM dispute WHERE external_id = :n"), {"n": number}
        ).one()
    engine.dispose()
    version = row.version
    steps = (
        ("county_centre", {"to": "routed", "unit": users["township"].scope_code}),
        ("township", {"to": "in_progress"}),
        ("township", {"to": "resolved", "note": "已上门调解"}),
    )
    with httpx.Client(base_url=base, timeout=120) as staff:
        for role, step in steps:
            moved = staff.post(
                f"/api/v1/disputes/{row.id}/transitions", json={**step, "version": version},
                headers=users[role].headers,
            )  # fmt: skip
            assert moved.status_code == 200, moved.text
            version = moved.json()["version"]
        stats = staff.get("/api/v1/stats", headers=users["county_centre"].headers).json()
    return stats


def _fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_report_follow_and_rate_on_a_phone(phone, site, spot):
    url, base = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    _earlier_report(base, spot)
    phone.goto(f"{base}/report")
    phone.wait_for_function("() => document.querySelector('.leaflet-overlay-pane path')")
    phone.get_by_role("button", name="使用我的位置").click()
    phone.wait_for_function(
        "() => document.getElementById('picked').textContent.includes('我的位置')"
    )
    phone.locator("label.choice", has_text="邻里纠纷").click()
    similar = phone.locator("#similar")
    similar.wait_for(state="visible")
    assert "距此约 0 米" in similar.inner_text() and "半夜" not in similar.inner_text()
    phone.fill("#description", "楼上每天晚上十一点以后还在装修，吵得孩子睡不着")
    phone.fill("#phone", PHONE)
    phone.wait_for_function("() => /等于几/.test(document.getElementById('question').textContent)")
    phone.fill("#answer", solve(phone.inner_text("#question")))
    _fits_the_screen(phone)
    phone.screenshot(path=str(SHOTS / "report-form.png"), full_page=True)

    phone.get_by_role("button", name="提交").click()
    phone.locator("#done").wait_for(state="visible")
    number = phone.inner_text("#case-number")
    link = phone.get_attribute("#follow-link", "href")
    assert number.startswith("QZ") and "#t=" in link
    _fits_the_screen(phone)
    phone.screenshot(path=str(SHOTS / "report-done.png"), full_page=True)

    stats = _close_as_staff(url, base, number)
    assert stats["rated_by_citizen"] == 0

    phone.goto(link)
    phone.locator("#rate").wait_for(state="visible")
    assert phone.inner_text("#status") == "已化解"
    history = phone.inner_text("#history")
    assert "分流转办" in history and "已上门调解" not in history and PHONE not in history
    phone.locator("label.star", has_text="4 分").click()
    phone.fill("#comment", "处理得挺快，谢谢")
    phone.get_by_role("button", name="提交评价").click()
    phone.locator("#rated").wait_for(state="visible")
    assert "4 分" in phone.inner_text("#rated-score")
    assert phone.inner_text("#status") == "群众评价"
    assert phone.locator("#rate").is_hidden()
    _fits_the_screen(phone)
    phone.screenshot(path=str(SHOTS / "follow-rated.png"), full_page=True)

    users = make_role_users(url)
    stats = httpx.get(f"{base}/api/v1/stats", headers=users["county_centre"].headers,
                      timeout=120).json()  # fmt: skip
    assert stats["rated_by_citizen"] == 1


def test_hostile_text_is_shown_as_text(phone, site, spot):
    _, base = site
    with httpx.Client(base_url=base, timeout=120) as client:
        asked = client.get("/api/v1/citizen/challenge").json()
        hostile = '<img src=x onerror="document.title=1">请处理'
        filed = client.post("/api/v1/citizen/reports", json={
            "lon": spot.lon, "lat": spot.lat, "category": "other", "description": hostile,
            "ticket": asked["ticket"], "answer": solve(asked["question"]),
        }).json()  # fmt: skip
    phone.goto(f"{base}/report/follow#t={filed['token']}")
    phone.locator("#case").wait_for(state="visible")
    assert phone.locator("img[src=x]").count() == 0
    assert phone.title() != "1"
