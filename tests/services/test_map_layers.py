"""Map layers as a service: the disputes layer's dispatch line and what it costs in queries
(real PostGIS, the small county of the dispute tests, rolled back)."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event

from core.principal import Principal
from geo.disputes import dispatch, workflow
from maps.features import dispatch_text
from services import map_layers
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    COUNTY,
    DONGSHAN,
    address_point,
    build_world,
)

CENTRE = Principal(username="centre", role="county_centre")
CATEGORIES = ("neighbour", "debt", "land_forest", "traffic", "marriage_family")
SEVERITIES = ("minor", "serious", "major", "critical")


@pytest.fixture
def world(db):
    return build_world(db)


def _add_cases(world, count: int, start: int = 0) -> list[int]:
    ids = []
    for i in range(start, start + count):
        lon, lat = address_point((CHIGOU, DONGSHAN)[i % 2], 1 + i % 3, 1 + (i // 3) % 3)
        ids.append(
            world.one(external_id=f"M-{i}", category=CATEGORIES[i % len(CATEGORIES)],
                      severity=SEVERITIES[i % len(SEVERITIES)], lon=lon, lat=lat,
                      reported_at=f"2026-11-{1 + i % 18:02d} 09:00")
        )  # fmt: skip
    return ids


@contextlib.contextmanager
def counted_statements(session):
    """Count the statements sent to the database inside the block."""
    statements: list[str] = []
    connection = session.connection()

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


def _disputes_layer(session) -> dict:
    return map_layers.layer_payload(
        "disputes", session=session, user=CENTRE, county=COUNTY, gcj02=False
    )


def test_the_disputes_layer_costs_the_same_queries_for_few_cases_or_many(world):
    _add_cases(world, 2)
    with counted_statements(world.session) as few:
        small = _disputes_layer(world.session)
    _add_cases(world, 25, start=2)
    with counted_statements(world.session) as many:
        large = _disputes_layer(world.session)
    assert len(small["features"]) == 2 and len(large["features"]) == 27
    assert len(few) == len(many) == 2  # the open cases, then the dispatch of all of them


def test_each_case_shows_the_head_of_its_own_ranking(world):
    ids = _add_cases(world, 12)
    workflow.transition(session=world.session, dispute_id=ids[0], to="routed", version=1,
                        actor="centre", facility="mc-c")  # fmt: skip
    shown = {
        f["properties"]["case"]: f["properties"]["dispatch"]
        for f in _disputes_layer(world.session)["features"]
    }
    assert shown.pop("M-0") == "已转 池沟村调委会 routed"
    for i, dispute_id in enumerate(ids[1:], start=1):
        ranked = dispatch.recommend(session=world.session, dispute_id=dispute_id)
        assert shown[f"M-{i}"] == dispatch_text(ranked["recommendations"][:3])


def test_the_dispatch_line():
    head = [
        {"rank": 1, "role": "grid_leader", "name": None, "distance_m": None},
        {"rank": 2, "role": "household_leader", "name": "十户长（模拟）", "distance_m": None},
        {"rank": 3, "role": "village_centre", "name": "池沟村综治中心", "distance_m": 1234},
    ]
    assert dispatch_text(head) == ("1. grid_leader；2. 十户长（模拟）；3. 池沟村综治中心 (1.2 km)")
    assert dispatch_text([]) == "暂无建议 / no recommendation"


def test_map_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("WANGGE_MAP_BASEMAP", "amap")
    monkeypatch.setenv("WANGGE_MAP_REFRESH_SECONDS", "15")
    settings = map_layers.map_settings()
    assert settings.refresh_seconds == 15 and settings.to_basemap().shift_to_gcj02


def test_the_wall_answers_at_the_first_instant_of_a_day(demo_db):
    import datetime as dt
    from zoneinfo import ZoneInfo

    midnight = dt.datetime(2026, 11, 23, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
    centre = Principal(username="centre", role="county_centre")
    wall = map_layers.wall_payload(session=demo_db, user=centre, county="623021", now=midnight)
    windows = {w["key"]: w for w in wall["windows"]}
    assert windows["today"]["screened"] == 0 and windows["week"]["screened"] == 0
    assert windows["month"]["from"].startswith("2026-11-01")
