"""Rows stored with an implausible time (before the intake check existed) are skipped and
counted by the nightly work, ``wangge hotspots --rescore`` and the escalation ranking."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app
from geo.database.engine import make_engine
from tests.api.accounts import token_for

# Written straight into the tables, as an old intake without the time check would have.
ANCIENT_DISPUTES = """
INSERT INTO dispute (external_id, source, county_code, category, severity, reported_at,
                     location_text, geocode_level, grid_id, status, deadline, synthetic, geom)
SELECT 'OLD-' || id, 'file', county_code, category, severity, CAST(:at AS timestamptz),
       location_text, geocode_level, grid_id, 'received', CAST(:at AS timestamptz),
       synthetic, geom
FROM dispute WHERE grid_id IS NOT NULL AND geom IS NOT NULL ORDER BY id LIMIT 2
"""
ANCIENT_SIGNAL = """
INSERT INTO signal (external_id, source, county_code, kind, observed_at, weight, grid_id,
                    synthetic, geom)
SELECT 'OLD-S-' || id, 'file', county_code, kind, CAST(:at AS timestamptz), weight, grid_id,
       synthetic, geom
FROM signal WHERE grid_id IS NOT NULL AND geom IS NOT NULL ORDER BY id LIMIT 1
"""


@pytest.fixture
def implausible_url(fresh_demo_url):
    """A copy of the demo county holding a dispute dated 0001-01-01 (stored as a BC time in
    UTC), one dated in 2999 and a signal dated 0001-01-01, the first two open."""
    engine = make_engine(fresh_demo_url, pool_size=1)
    with engine.begin() as conn:
        conn.execute(text("SET TIME ZONE 'Asia/Shanghai'"))
        conn.execute(text(ANCIENT_DISPUTES), {"at": "0001-01-01 00:00"})
        conn.execute(
            text(ANCIENT_DISPUTES.replace("'OLD-'", "'FUTURE-'").replace("LIMIT 2", "LIMIT 1")),
            {"at": "2999-01-01 00:00"},
        )
        conn.execute(text(ANCIENT_SIGNAL), {"at": "0001-01-01 00:00"})
        assert (
            conn.execute(
                text("SELECT count(*) FROM dispute WHERE reported_at < '0001-01-02'")
            ).scalar_one()
            == 2
        )
    engine.dispose()
    return fresh_demo_url


def test_rescore_skips_and_reports_them(implausible_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", implausible_url)
    result = CliRunner().invoke(app, ["hotspots", "--rescore", "--json"])
    assert result.exit_code == 0, result.output
    assert "跳过 3 条纠纷、1 条风险信号" in result.output
    assert json.loads(result.stdout.splitlines()[-1])["hotspots"]


def test_the_nightly_job_counts_them(implausible_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", implausible_url)
    result = CliRunner().invoke(app, ["jobs", "run", "nightly", "--json"])
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout.splitlines()[0])
    assert outcome["outcome"] == "ok", outcome["error"]
    assert outcome["counts"]["skipped_implausible"] == {"disputes": 3, "signals": 1}


def test_the_escalation_ranking_skips_them(implausible_url, start_server):
    base = start_server(implausible_url)
    token = token_for(implausible_url, username="centre_implausible", role="county_centre")
    headers = {"Authorization": f"Bearer {token}"}
    answer = httpx.get(f"{base}/api/v1/disputes/escalation", headers=headers, timeout=60)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["skipped_implausible"] == 3
    assert not any(
        str(case["external_id"]).startswith(("OLD-", "FUTURE-")) for case in body["cases"]
    )
