"""``GET /api/v1/jobs`` and ``wangge jobs``: the record of scheduled work, for the county centre."""

from __future__ import annotations

import json

import httpx
from typer.testing import CliRunner

from api.cli import app

LINTAN = "623021"


def test_the_cli_runs_the_sweep_and_the_centre_reads_the_record(
    fresh_demo_url, start_server, role_users, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    result = CliRunner().invoke(app, ["jobs", "run", "sweep", "--county", LINTAN, "--json"])
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["outcome"] == "ok" and outcome["county"] == LINTAN
    assert {"escalated_township", "escalated_county"} <= set(outcome["counts"])

    base = start_server(fresh_demo_url)
    accounts = role_users(fresh_demo_url)
    answer = httpx.get(f"{base}/api/v1/jobs", headers=accounts["county_centre"].headers)
    assert answer.status_code == 200, answer.text
    latest = answer.json()["runs"][0]
    assert latest["job"] == "sweep" and latest["county_code"] == LINTAN
    assert latest["outcome"] == "ok" and latest["seconds"] >= 0

    for role in ("township", "grid_leader", "partner", "viewer"):
        refused = httpx.get(f"{base}/api/v1/jobs", headers=accounts[role].headers)
        assert refused.status_code == 403, role


def test_an_unknown_job_is_a_usage_error(fresh_demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    result = CliRunner().invoke(app, ["jobs", "run", "backup"])
    assert result.exit_code == 2
    assert "未知任务" in result.output
