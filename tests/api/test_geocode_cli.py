"""``wangge geocode`` on the demo county database (synthetic data): output columns and errors."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app
from core.crs import wgs84_to_gcj02


@pytest.fixture
def demo_env(demo_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    return demo_url


@pytest.fixture(scope="module")
def two_addresses(demo_engine) -> list[dict]:
    with demo_engine.connect() as conn:
        rows = (
            conn.execute(
                text(
                    "SELECT a.code, a.full_text, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat,"
                    " g.code AS grid_code FROM address a JOIN grid g ON g.id = a.grid_id"
                    " ORDER BY a.code LIMIT 2"
                )
            )
            .mappings()
            .all()
        )
    return [dict(r) for r in rows]


def test_text_file_keeps_input_columns_and_adds_the_result(demo_env, two_addresses, tmp_path):
    source = tmp_path / "cases.csv"
    pd.DataFrame(
        {"case": ["A1", "A2", "A3"],
         "where": [two_addresses[0]["full_text"], "甘肃省卓尼县柳林镇", "临潭县"]}
    ).to_csv(source, index=False)  # fmt: skip
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["geocode", str(source), "--column", "where", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str)
    assert list(table.columns)[:8] == [
        "case", "where", "address_code", "grid_code", "level", "score", "lon", "lat",
    ]  # fmt: skip
    assert {"level_zh", "status", "standard_address", "township_name", "village_name",
            "grid_name", "reason", "conflicts", "candidates"} <= set(table.columns)  # fmt: skip
    assert table["case"].tolist() == ["A1", "A2", "A3"]
    assert table["level"].tolist() == ["address", "none", "county"]
    assert table.loc[0, "address_code"] == two_addresses[0]["code"]
    assert table.loc[0, "grid_code"] == two_addresses[0]["grid_code"]
    assert table.loc[0, "standard_address"] == two_addresses[0]["full_text"]
    assert (table.loc[0, "township_name"], table.loc[0, "village_name"]) == ("城关镇", "东环路社区")
    assert table.loc[0, "level_zh"] == "门牌地址" and pd.isna(table.loc[0, "status"])
    assert pd.isna(table.loc[1, "grid_code"])
    # the county alone: no grid, 位置待核实, and the reason says so
    assert pd.isna(table.loc[2, "grid_code"]) and table.loc[2, "status"] == "位置待核实"
    assert "不分配网格" in table.loc[2, "reason"]


def test_gps_file_in_gcj02(demo_env, two_addresses, tmp_path):
    points = [wgs84_to_gcj02(a["lon"], a["lat"]) for a in two_addresses]
    source = tmp_path / "fixes.csv"
    pd.DataFrame(
        {"id": [1, 2], "lon": [float(p[0]) for p in points], "lat": [float(p[1]) for p in points]}
    ).to_csv(source, index=False)
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["geocode", str(source), "--crs", "gcj02", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str)
    assert list(table.columns)[:3] == ["id", "input_lon", "input_lat"]
    assert table["address_code"].tolist() == [a["code"] for a in two_addresses]
    assert table["grid_code"].tolist() == [a["grid_code"] for a in two_addresses]


def test_missing_column_fails_on_stderr_and_writes_nothing(demo_env, tmp_path):
    source = tmp_path / "cases.csv"
    pd.DataFrame({"case": ["A1"], "where": ["临潭县"]}).to_csv(source, index=False)
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["geocode", str(source), "--column", "addr", "-o", str(out)])
    assert result.exit_code != 0
    assert "no column 'addr'" in result.stderr
    assert not out.exists()


def test_a_gbk_sheet_with_a_title_row_and_a_totals_row(demo_env, two_addresses, tmp_path):
    """A clerk's export: GBK bytes, a title line above the header, a 合计 line below."""
    source = tmp_path / "台账.csv"
    lines = [
        "临潭县矛盾纠纷地址核查表（2026年11月）,,",
        "编号,地址,备注",
        f"JF-1,{two_addresses[0]['full_text']},",
        f"JF-2,{two_addresses[1]['full_text']},复核",
        "合计,2,",
    ]
    source.write_bytes("\r\n".join(lines).encode("gbk"))
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["geocode", str(source), "--column", "地址", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table["编号"].tolist() == ["JF-1", "JF-2"]
    assert table["grid_code"].tolist() == [a["grid_code"] for a in two_addresses]
