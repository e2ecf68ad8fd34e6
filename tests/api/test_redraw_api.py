"""The redraw endpoints and command over real HTTP / a real database (SYNTHETIC demo county)."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.deps import TOKEN_COOKIE
from geo.database.engine import make_engine


def _smallest_village(url: str) -> str:
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT village_code FROM grid WHERE valid_to IS NULL "
                    "GROUP BY village_code ORDER BY sum(households), village_code LIMIT 1"
                )
            ).scalar_one()
    finally:
        engine.dispose()


def test_redraw_command_prints_one_json_object(fresh_demo_url, monkeypatch):
    from api.cli import app as cli

    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    village = _smallest_village(fresh_demo_url)
    done = CliRunner().invoke(cli, ["redraw", "--village", village, "--json"])
    assert done.exit_code == 0, done.output
    body = json.loads(done.stdout)
    for key in (
        "plan",
        "grids",
        "households_min",
        "households_max",
        "max_deviation",
        "contiguous",
        "within_village",
        "households_moved",
        "polsby_popper_mean",
    ):
        assert key in body, key
    assert body["contiguous"] and body["within_village"]
    applied = CliRunner().invoke(cli, ["redraw", "--apply", str(body["plan"]), "--json"])
    assert applied.exit_code == 0, applied.output
    assert json.loads(applied.stdout)["grids_opened"] == body["grids"]


def _plan_params(url: str, plan: int) -> dict:
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT params FROM grid_plan WHERE id = :id"), {"id": plan}
            ).scalar_one()
    finally:
        engine.dispose()


def test_keep_households_reaches_the_proposal_from_the_command(fresh_demo_url, monkeypatch):
    from api.cli import app as cli

    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    village = _smallest_village(fresh_demo_url)
    done = CliRunner().invoke(cli, ["redraw", "--village", village, "--keep-households", "--json"])
    assert done.exit_code == 0, done.output
    assert _plan_params(fresh_demo_url, json.loads(done.stdout)["plan"])["keep_households"] is True


def test_redraw_command_refuses_an_unknown_village(fresh_demo_url, monkeypatch):
    from api.cli import app as cli

    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    done = CliRunner().invoke(cli, ["redraw", "--village", "623021999999", "--json"])
    assert done.exit_code != 0
    assert "623021999999" in done.output and done.stdout.strip() == ""


def test_propose_review_apply_over_http(fresh_demo_url, start_server, role_users):
    users = role_users(fresh_demo_url)
    base = start_server(fresh_demo_url)
    village = _smallest_village(fresh_demo_url)
    centre = users["county_centre"].headers
    with httpx.Client(base_url=base, timeout=120) as http:
        made = http.post("/api/v1/redraw", json={"village": village, "target": 60}, headers=centre)
        assert made.status_code == 200, made.text
        plan = made.json()["plan"]
        assert _plan_params(fresh_demo_url, plan)["keep_households"] is False
        kept = http.post(
            "/api/v1/redraw",
            json={"village": village, "target": 60, "keep_households": True},
            headers=centre,
        )
        assert kept.status_code == 200, kept.text
        assert _plan_params(fresh_demo_url, kept.json()["plan"])["keep_households"] is True
        shown = http.get(f"/api/v1/redraw/{plan}", headers=centre, params={"groups": True})
        assert shown.status_code == 200
        body = shown.json()
        assert body["type"] == "FeatureCollection" and body["status"] == "proposed"
        kinds = {f["properties"]["kind"] for f in body["features"]}
        assert kinds == {"grid", "household_group"}
        assert body["metrics"]["total"]["contiguous"]

        assert (
            http.post(f"/api/v1/redraw/{plan}/apply", headers=users["viewer"].headers).status_code
            == 403
        )
        applied = http.post(f"/api/v1/redraw/{plan}/apply", headers=centre)
        assert applied.status_code == 200, applied.text
        again = http.post(f"/api/v1/redraw/{plan}/apply", headers=centre)
        assert again.status_code == 409
        assert http.get(f"/api/v1/redraw/{plan}", headers=centre).json()["status"] == "applied"


def test_stale_plan_is_409_over_http(fresh_demo_url, start_server, role_users):
    users = role_users(fresh_demo_url)
    base = start_server(fresh_demo_url)
    village = _smallest_village(fresh_demo_url)
    centre = users["county_centre"].headers
    with httpx.Client(base_url=base, timeout=120) as http:
        first = http.post("/api/v1/redraw", json={"village": village}, headers=centre).json()
        second = http.post("/api/v1/redraw", json={"village": village}, headers=centre).json()
        assert http.post(f"/api/v1/redraw/{first['plan']}/apply", headers=centre).status_code == 200
        stale = http.post(f"/api/v1/redraw/{second['plan']}/apply", headers=centre)
        assert stale.status_code == 409
        assert "changed since" in stale.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"village": "1"},
        {"village": "623021100201", "township": "623021100"},
        {"village": "623021100201", "target": -5},
    ],
)
def test_bad_redraw_requests_are_422(live_server, auth_headers, body):
    with httpx.Client(base_url=live_server, timeout=60) as http:
        got = http.post("/api/v1/redraw", json=body, headers=auth_headers["county_centre"])
        assert got.status_code == 422


def test_township_user_cannot_redraw_another_township(live_server, auth_headers, demo_users):
    other = "623021199" if demo_users["township"].scope_code != "623021199" else "623021100"
    with httpx.Client(base_url=live_server, timeout=60) as http:
        got = http.post(
            "/api/v1/redraw", json={"township": other}, headers=auth_headers["township"]
        )
        assert got.status_code == 403


def test_plan_outside_the_callers_area_answers_as_a_missing_plan(
    fresh_demo_url, start_server, role_users
):
    from tests.api.conftest import demo_scopes

    village = _smallest_village(fresh_demo_url)
    other = "623021100" if not village.startswith("623021100") else "623021101"
    users = role_users(fresh_demo_url, scopes={**demo_scopes(fresh_demo_url), "township": other})
    base = start_server(fresh_demo_url)
    with httpx.Client(base_url=base, timeout=120) as http:
        made = http.post(
            "/api/v1/redraw", json={"village": village}, headers=users["county_centre"].headers
        )
        assert made.status_code == 200, made.text
        plan = made.json()["plan"]
        assert "调整" in made.json()["summary"] and "网格" in made.json()["summary"]
        outside = http.get(f"/api/v1/redraw/{plan}", headers=users["township"].headers)
        missing = http.get("/api/v1/redraw/987654", headers=users["township"].headers)
        assert outside.status_code == missing.status_code == 404
        assert outside.json()["detail"].replace(str(plan), "N") == missing.json()["detail"].replace(
            "987654", "N"
        )
        assert "方案" in outside.json()["detail"]
        shown = http.get(f"/api/v1/redraw/{plan}", headers=users["county_centre"].headers)
        names = [f["properties"]["name"] for f in shown.json()["features"]]
        assert all(names) and all("网格" in n for n in names)


def test_desk_edits_are_saved_as_versions_over_http(fresh_demo_url, start_server, role_users):
    from tests.api.conftest import demo_scopes

    village = _smallest_village(fresh_demo_url)
    other = "623021100" if not village.startswith("623021100") else "623021101"
    users = role_users(fresh_demo_url, scopes={**demo_scopes(fresh_demo_url), "township": other})
    base = start_server(fresh_demo_url)
    centre = users["county_centre"].headers
    with httpx.Client(base_url=base, timeout=120) as http:
        plan = http.post("/api/v1/redraw", json={"village": village}, headers=centre).json()["plan"]
        shown = http.get(f"/api/v1/redraw/{plan}", headers=centre).json()
        codes = [f["id"] for f in shown["features"]]
        url = f"/api/v1/redraw/{plan}/versions"
        outside = http.post(url, json={"assignment": {}}, headers=users["township"].headers)
        assert outside.status_code == 404
        viewer = http.post(url, json={"assignment": {}}, headers=users["viewer"].headers)
        assert viewer.status_code == 403
        nothing = http.post(url, json={"assignment": {}}, headers=centre)
        assert nothing.status_code == 422 and "没有需要保存" in nothing.json()["detail"]
        leaving = http.post(url, json={"assignment": {"623021999999001": [1]}}, headers=centre)
        assert leaving.status_code == 422
        # every address of the plan into its first grid empties the others
        engine = make_engine(fresh_demo_url, pool_size=1)
        try:
            with engine.connect() as conn:
                ids = (
                    conn.execute(
                        text("SELECT id FROM address WHERE village_code = :v"), {"v": village}
                    )
                    .scalars()
                    .all()
                )
        finally:
            engine.dispose()
        if len(codes) > 1:
            emptied = http.post(url, json={"assignment": {codes[0]: ids}}, headers=centre)
            assert emptied.status_code == 422 and "为空" in emptied.json()["detail"]
        cookie = {TOKEN_COOKIE: users["viewer"].token}
        page = http.get(f"/maps/redraw/{plan}/desk", cookies=cookie)
        assert page.status_code == 403 and "无权调整方案" in page.text
        cookie = {TOKEN_COOKIE: users["county_centre"].token}
        page = http.get(f"/maps/redraw/{plan}/desk", cookies=cookie)
        assert page.status_code == 200 and "wg-desk-data" in page.text
        missing = http.get("/maps/redraw/987654/desk", cookies=cookie)
        assert missing.status_code == 404
