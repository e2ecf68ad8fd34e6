"""``wangge load holidays``: the shipped national calendar loads (and reloads unchanged); a
bad file is refused with every row named, nothing written (exit 1); a missing file is 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app
from geo.database import migrate
from geo.database.engine import make_engine

NATIONAL = Path(__file__).parents[2] / "demo" / "data" / "holidays_national_2025_2026.csv"


@pytest.fixture
def private_url(new_database, monkeypatch) -> str:
    url = new_database(kind="holidays")
    migrate.upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _days(url) -> list[tuple]:
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT calendar, kind, count(*) FROM calendar_day "
                                           "GROUP BY 1, 2 ORDER BY 1, 2"))  # fmt: skip
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()


def test_the_national_calendar_loads_and_reloads_unchanged(private_url):
    for _ in range(2):
        done = CliRunner().invoke(app, ["load", "holidays", str(NATIONAL)])
        assert done.exit_code == 0, done.output
        assert "61 holidays and 11 worked weekend days into national for 2025, 2026" in (
            done.output.replace("\n", " ")
        )
    assert _days(private_url) == [("national", "holiday", 61), ("national", "workday", 11)]


def test_a_county_file_goes_to_its_calendar_and_bad_rows_are_refused(private_url, tmp_path):
    local = tmp_path / "local.csv"
    local.write_text("日期,类型,名称\n2026-07-06,放假,地方节日\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["load", "holidays", str(local), "--calendar", "623021"])
    assert done.exit_code == 0, done.output
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类型\n2026-07-40,放假\n2026-07-07,半天\n", encoding="utf-8")
    refused = CliRunner().invoke(app, ["load", "holidays", str(bad)])
    assert refused.exit_code == 1
    assert "row 2" in refused.output and "row 3" in refused.output
    assert "nothing was written" in refused.output
    assert _days(private_url) == [("623021", "holiday", 1)]
    missing = CliRunner().invoke(app, ["load", "holidays", str(tmp_path / "none.csv")])
    assert missing.exit_code == 2
