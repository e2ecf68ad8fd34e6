"""Issue 15 item 6: the intake page (/intake) in Chromium, on the real app over real HTTP: a
clerk chooses a ledger, sees each row's outcome, commits, and the cases are in the API."""

from __future__ import annotations

import httpx
import pytest

from api.deps import TOKEN_COOKIE
from tests.api.accounts import token_for
from tests.api.conftest import demo_scopes
from tests.api.upload_files import (
    DISPUTE_HEADER,
    HOSTILE,
    XLSX,
    dispute_rows,
    ledger_xlsx,
    places,
)

pytestmark = pytest.mark.browser


def test_the_page_needs_a_login_and_a_centre_role(fresh_demo_url, start_server):
    base = start_server(fresh_demo_url)
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as http:
        answer = http.get("/intake")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/login?next=/intake"
        viewer = token_for(fresh_demo_url, username="intake_viewer", role="viewer")
        http.cookies.set(TOKEN_COOKIE, viewer)
        refused = http.get("/intake")
        assert refused.status_code == 403 and "无权上传台账" in refused.text


def test_upload_preview_and_commit_in_the_browser(page, fresh_demo_url, start_server, artifacts):
    base = start_server(fresh_demo_url)
    at = places(fresh_demo_url, demo_scopes(fresh_demo_url)["township"])
    workbook = ledger_xlsx(
        "临潭县矛盾纠纷排查化解台账（2026年11月）", DISPUTE_HEADER, dispute_rows(at, "JF-WEB")
    )
    token = token_for(fresh_demo_url, username="intake_clerk", role="county_centre")
    page.context.add_cookies([{"name": TOKEN_COOKIE, "value": token, "url": base}])

    page.goto(f"{base}/intake")
    assert "上传台账" in page.title()
    page.set_input_files(
        "#file", files=[{"name": "矛盾纠纷台账.xlsx", "mimeType": XLSX, "buffer": workbook}]
    )
    # keyboard only: the kind radio and the preview button
    page.focus("input[name=kind][value=disputes]")
    page.keyboard.press("Space")
    page.focus("#preview-button")
    page.keyboard.press("Enter")
    page.locator("#preview").wait_for(state="visible")

    table = page.locator("#rows tbody tr")
    assert table.count() == 7
    outcomes = page.eval_on_selector_all(
        "#rows tbody tr", "rows => rows.map(r => [Number(r.dataset.row), r.dataset.outcome])"
    )
    assert outcomes == [
        [3, "accepted"], [4, "duplicate"], [5, "needs_location"], [6, "refused"],
        [7, "refused"], [8, "refused"], [9, "already_present"],
    ]  # fmt: skip
    hostile = page.locator("#rows tbody tr[data-row='7'] td.reason")
    assert HOSTILE in hostile.inner_text()
    assert page.locator("#rows img").count() == 0  # rendered as text, never as markup
    assert "发生地点" in page.locator("#rows tbody tr[data-row='6']").inner_text()
    assert at.quiet["grid"] in page.locator("#rows tbody tr[data-row='3']").inner_text()
    assert page.locator(".count-refused .count-value").inner_text() == "3"
    assert "合计行" in page.locator("#skipped").inner_text()
    assert page.evaluate("document.activeElement.id") == "preview-title"
    page.screenshot(path=str(artifacts / "intake-preview.png"), full_page=True)

    page.focus("#commit")
    page.keyboard.press("Enter")
    page.locator("#result").wait_for(state="visible")
    assert "已写入 3 条" in page.locator("#result-summary").inner_text()
    assert page.locator("#result-links a").count() == 2 + 3
    page.screenshot(path=str(artifacts / "intake-committed.png"), full_page=True)

    listed = page.request.get(f"{base}/api/v1/disputes?limit=10000")
    assert listed.ok
    ids = {f["properties"]["external_id"] for f in listed.json()["features"]}
    assert {"JF-WEB-001", "JF-WEB-002", "JF-WEB-003"} <= ids
    assert not {"JF-WEB-004", "JF-WEB-005"} & ids
    first_case = page.locator("#result-links a").nth(2).get_attribute("href")
    assert page.request.get(f"{base}{first_case}").ok
