"""Open disputes ranked by escalation risk over real HTTP (demo county, synthetic data)."""

from __future__ import annotations

import httpx
from sqlalchemy import text

PATH = "/api/v1/disputes/escalation"
OPEN = "('received', 'routed', 'in_progress', 'unresolved')"


def get(base, headers, **params):
    return httpx.get(base + PATH, headers=headers, params=params, timeout=60)


def test_every_open_case_is_ranked_highest_score_first_with_reasons(
    live_server, auth_headers, demo_engine
):
    response = get(live_server, auth_headers["county_centre"], limit=10_000)
    assert response.status_code == 200, response.text
    body = response.json()
    with demo_engine.connect() as conn:
        open_ids = set(
            conn.execute(
                text(
                    f"SELECT id FROM dispute WHERE county_code = '623021' AND status IN {OPEN} "
                    "AND duplicate_of IS NULL AND reported_at <= now()"
                )
            ).scalars()
        )
    cases = body["cases"]
    assert open_ids, "the demo county has open disputes"
    assert {c["id"] for c in cases} == open_ids
    assert body["open_cases"] == len(open_ids) and "escalat" in body["meaning"]
    scores = [c["score"] for c in cases]
    assert scores == sorted(scores, reverse=True)
    assert [c["rank"] for c in cases] == list(range(1, len(cases) + 1))
    assert all(0 < s < 100 for s in scores)
    assert all(isinstance(c["reasons"], list) for c in cases)
    assert cases[0]["reasons"], "the highest-ranked case must say why"
    assert all(c["synthetic"] for c in cases)
    assert "parties" not in cases[0] and "name" not in cases[0]


def test_limit_and_as_of_change_what_is_measured(live_server, auth_headers):
    headers = auth_headers["county_centre"]
    now = get(live_server, headers, limit=10_000).json()
    top = get(live_server, headers, limit=1).json()
    assert top["returned"] == 1 and top["cases"][0]["id"] == now["cases"][0]["id"]
    later = get(live_server, headers, as_of="2030-01-01T00:00:00Z", limit=10_000).json()
    before = {c["id"]: c for c in now["cases"]}
    for case in later["cases"]:
        if case["id"] in before and case["deadline"]:
            assert case["overdue"] and case["days_open"] > before[case["id"]]["days_open"]


def test_scoped_roles_see_only_their_cases_and_viewers_none(live_server, auth_headers, demo_users):
    township = demo_users["township"].scope_code
    body = get(live_server, auth_headers["township"], limit=10_000).json()
    assert all((c["grid_code"] or "").startswith(township) for c in body["cases"])
    grid = demo_users["grid_leader"].scope_code
    body = get(live_server, auth_headers["grid_leader"], limit=10_000).json()
    assert all(c["grid_code"] == grid for c in body["cases"])
    assert get(live_server, auth_headers["partner"]).status_code == 200
    assert get(live_server, auth_headers["viewer"]).status_code == 403
    too_early = get(live_server, auth_headers["county_centre"], as_of="1900-01-01T00:00:00Z")
    assert too_early.status_code == 422, too_early.text
    assert get(live_server, {}).status_code == 401
    assert get(live_server, auth_headers["township"], county="999999").status_code == 403
