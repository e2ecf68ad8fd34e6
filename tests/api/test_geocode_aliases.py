"""``wangge load aliases``: the county's alias table, then the geocoder reads it (demo county)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from api.cli import app
from geo.database.engine import make_engine
from geo.geocode.match import Geocoder
from geo.geocode.store import load_gazetteer


@pytest.fixture
def fresh_env(fresh_demo_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    return fresh_demo_url


def test_an_alias_file_is_loaded_and_used(fresh_env, tmp_path):
    source = tmp_path / "别名表.csv"
    source.write_text(
        "别名,目标代码,经度,纬度,备注\n"
        "临潭县医院,623021100,103.61,34.79,县医院\n"
        "老西街村,623021101202,,,旧村名\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["load", "aliases", str(source)])
    assert result.exit_code == 0, result.output
    assert "2 rows" in result.output
    engine = make_engine(fresh_env)
    try:
        with Session(engine) as session:
            kinds = dict(session.execute(text("SELECT alias, kind FROM geocode_alias")).all())
            geocoder = Geocoder(load_gazetteer(session=session))
    finally:
        engine.dispose()
    assert kinds == {"临潭县医院": "landmark", "老西街村": "alias"}
    hospital = geocoder.geocode("临潭县医院旁边")
    assert (hospital.level, hospital.method, hospital.grid_code) == ("township", "landmark", None)
    assert geocoder.geocode("新城镇老西街村").village_code == "623021101202"


def test_a_bad_alias_file_is_refused_naming_row_and_column(fresh_env, tmp_path):
    source = tmp_path / "aliases.csv"
    source.write_text("alias,code\n县医院,999999999\n,623021100\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["load", "aliases", str(source)])
    assert result.exit_code == 1
    assert "第 2 行目标代码 '999999999' 不是已加载的行政区划或标准地址" in result.output
    assert "第 3 行别名为空" in result.output
    assert "未写入" in result.output
