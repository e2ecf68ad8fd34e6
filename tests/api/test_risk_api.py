"""Risk scores and hotspots over real HTTP: what the review meeting reads and records."""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app


def get(base, path, headers, **params):
    response = httpx.get(base + path, headers=headers, params=params, timeout=60)
    return response


def test_risk_ranks_every_grid_with_factors_for_the_flagged(live_server, auth_headers):
    body = get(live_server, "/api/v1/risk", auth_headers["county_centre"]).json()
    features = body["features"]
    assert len(features) == 770
    ranks = sorted(f["properties"]["rank"] for f in features)
    assert ranks[0] == 1 and ranks[-1] <= 770
    expected = [f["properties"]["expected"] for f in features]
    assert all(e >= 0 for e in expected)
    top = features[0]["properties"]
    assert top["rank"] == 1
    assert top["factors"], "the top-ranked grid must say why"
    assert all(f["text"] for f in top["factors"])
    assert body["period_start"]


def test_risk_top_without_geometry(live_server, auth_headers):
    body = get(live_server, "/api/v1/risk", auth_headers["viewer"], top=5, geometry="false").json()
    assert len(body["features"]) == 5
    assert all(f["geometry"] is None for f in body["features"])


def test_township_user_sees_only_its_grids(live_server, auth_headers, demo_users):
    township = demo_users["township"].scope_code
    body = get(live_server, "/api/v1/risk", auth_headers["township"]).json()
    assert body["features"]
    assert all(f["properties"]["grid_code"].startswith(township) for f in body["features"])


def test_hotspots_of_the_latest_period_carry_method_and_explanation(live_server, auth_headers):
    features = get(live_server, "/api/v1/hotspots", auth_headers["county_centre"]).json()[
        "features"
    ]
    assert features
    methods = {f["properties"]["method"] for f in features}
    assert "model" in methods
    assert len({f["properties"]["period_start"] for f in features}) == 1
    for feature in features:
        props = feature["properties"]
        assert props["explanation"]
        assert props["status"] in ("pending", "confirmed", "dismissed")


def test_hotspots_need_a_login(live_server):
    assert httpx.get(live_server + "/api/v1/hotspots", timeout=30).status_code == 401


@pytest.fixture
def review_server(fresh_demo_url, start_server, role_users):
    users = role_users(fresh_demo_url)
    base = start_server(fresh_demo_url)
    return base, users


def test_review_is_recorded_once_by_a_manager(review_server):
    base, users = review_server
    centre = users["county_centre"].headers
    pending = get(base, "/api/v1/hotspots", centre, status="pending").json()["features"]
    target = pending[0]["properties"]["id"]
    viewer = httpx.post(
        f"{base}/api/v1/hotspots/{target}/review",
        json={"status": "confirmed"},
        headers=users["viewer"].headers,
    )
    assert viewer.status_code == 403
    done = httpx.post(
        f"{base}/api/v1/hotspots/{target}/review",
        json={"status": "confirmed", "note": "走访核实", "action_taken": "网格员每日巡查"},
        headers=centre,
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "confirmed"
    assert done.json()["reviewer"] == users["county_centre"].username
    again = httpx.post(
        f"{base}/api/v1/hotspots/{target}/review", json={"status": "dismissed"}, headers=centre
    )
    assert again.status_code == 409
    confirmed = get(base, "/api/v1/hotspots", centre, status="confirmed").json()["features"]
    assert [f["properties"]["id"] for f in confirmed] == [target]
    assert confirmed[0]["properties"]["action_taken"] == "网格员每日巡查"


def test_review_outside_scope_or_unknown_is_refused(review_server):
    base, users = review_server
    centre = users["county_centre"].headers
    township = users["township"]
    features = get(base, "/api/v1/hotspots", centre).json()["features"]
    outside = [
        f for f in features if not f["properties"]["grid_code"].startswith(township.scope_code)
    ]
    assert outside
    refused = httpx.post(
        f"{base}/api/v1/hotspots/{outside[0]['properties']['id']}/review",
        json={"status": "dismissed"},
        headers=township.headers,
    )
    assert refused.status_code == 404  # outside the scope answers as a missing hotspot does
    missing = httpx.post(
        f"{base}/api/v1/hotspots/999999999/review", json={"status": "dismissed"}, headers=centre
    )
    assert missing.status_code == 404
    bad = httpx.post(
        f"{base}/api/v1/hotspots/{features[0]['properties']['id']}/review",
        json={"status": "maybe"},
        headers=centre,
    )
    assert bad.status_code == 422


def test_cli_hotspots_lists_the_latest_flags_as_json(
    demo_url, monkeypatch, auth_headers, live_server
):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    result = CliRunner().invoke(app, ["hotspots", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["hotspots"]
    served = get(live_server, "/api/v1/hotspots", auth_headers["county_centre"]).json()
    assert sorted(r["id"] for r in listed) == sorted(
        f["properties"]["id"] for f in served["features"]
    )
    assert all(r["explanation"] and r["method"] for r in listed)


def test_cli_hotspots_rescore_refuses_a_county_without_grids(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    result = CliRunner().invoke(app, ["hotspots", "--county", "999999", "--rescore"])
    assert result.exit_code != 0
    assert "没有现行网格" in result.output and "no current grids" in result.output
