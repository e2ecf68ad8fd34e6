"""``wangge map``: the standalone pages are built through services/map_layers.py, on the
demo county (no browser: the files are checked as text)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.cli import app


@pytest.fixture
def run(demo_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", demo_url)

    def invoke(*args: str):
        return CliRunner().invoke(app, ["map", *args])

    return invoke


def test_the_command_room_snapshot_carries_the_dispatch_lines(run, tmp_path):
    output = tmp_path / "room.html"
    result = run("command-room", "-o", str(output), "--assets", "/static")
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert "综治中心 网格态势" in html and '"dispatch"' in html


def test_the_review_map_and_the_report(run, tmp_path):
    review, report = tmp_path / "review.html", tmp_path / "report.html"
    result = run("hotspots", "-o", str(review), "--assets", "/static")
    assert result.exit_code == 0, result.output
    assert "leaflet" in review.read_text(encoding="utf-8").lower()
    result = run("report", "-o", str(report))
    assert result.exit_code == 0, result.output
    assert "临潭县" in report.read_text(encoding="utf-8")


def test_an_unknown_redraw_plan_is_an_error(run, tmp_path):
    result = run("redraw", "987654", "-o", str(tmp_path / "plan.html"))
    assert result.exit_code == 1
    assert not (tmp_path / "plan.html").exists()
