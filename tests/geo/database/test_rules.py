"""The SQL rule functions (migration 0009_rules) agree with core/cases.py and core/principal.py
over every status, deadline and scope combination, so the two can never drift apart."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from core import cases
from core.principal import CASE_ROLES, Principal
from geo.database import migrate, rules
from geo.database.engine import normalise_url

AT = dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
INSTANTS = (None, AT - DAY, AT, AT + DAY)
STATUSES = (*cases.STATUSES, None)


def _rows(db, sql: str, params: list[dict]) -> list:
    return [db.execute(text(sql), p).scalar_one() for p in params]


def test_the_open_set_is_the_python_tuple(db):
    answers = _rows(db, "SELECT wangge_is_open(:s)", [{"s": s} for s in STATUSES])
    assert answers == [cases.is_open(s) for s in STATUSES]
    assert [s for s, yes in zip(STATUSES, answers, strict=True) if yes] == list(cases.OPEN_STATUSES)


def test_overdue_rules_agree_with_python_for_every_combination(db):
    combos = list(itertools.product(STATUSES, INSTANTS, INSTANTS))
    rows = [
        db.execute(
            text(
                "SELECT wangge_is_open_past_deadline(:s, :d, :at), "
                "wangge_is_resolved_late(:d, :r, :at), wangge_is_overdue(:s, :d, :r, :at)"
            ),
            {"s": status, "d": deadline, "r": resolved_at, "at": AT},
        ).one()
        for status, deadline, resolved_at in combos
    ]
    expected = [
        (
            cases.is_open_past_deadline(status, deadline, AT),
            cases.is_resolved_late(deadline, resolved_at, AT),
            cases.is_overdue(status, deadline, resolved_at, AT),
        )
        for status, deadline, resolved_at in combos
    ]
    assert [tuple(r) for r in rows] == expected
    assert any(r[2] for r in expected) and not all(r[2] for r in expected)


GRIDS = (None, "623021100201001", "623021100202001", "623021200201001", "623022100201001")
COUNTIES = (None, "623021", "623022")
FACILITIES = (None, "F-POLICE-1", "F-COURT-1")
SCOPES = {
    "county_centre": (None, "623021", "623022"),
    "township": ("623021100", "623021200"),
    "grid_leader": ("623021100201001", "623021100202001"),
    "partner": ("F-POLICE-1", "F-COURT-1"),
}


def _principals() -> list[Principal]:
    assert set(SCOPES) == set(CASE_ROLES)
    return [Principal("u", role, code) for role in CASE_ROLES for code in SCOPES[role]]


def test_case_scope_agrees_with_may_see_case_for_every_combination(db):
    checked = seen = 0
    for who in _principals():
        params = who.scope_params()
        for grid, county, facility in itertools.product(GRIDS, COUNTIES, FACILITIES):
            answer = db.execute(
                text("SELECT wangge_in_scope(:g, :c, :f, :scope_area, :scope_facility)"),
                {"g": grid, "c": county, "f": facility, **params},
            ).scalar_one()
            expected = who.may_see_case(grid_code=grid, county_code=county, facility_code=facility)
            assert answer is expected, (who, grid, county, facility)
            checked += 1
            seen += expected
    assert 0 < seen < checked


def test_area_cover_agrees_with_covers_area(db):
    for who in _principals():
        if who.role == "partner":
            continue
        for code in (*GRIDS, "623021100", "623021"):
            answer = db.execute(
                text("SELECT wangge_covers_area(:code, :scope_area)"),
                {"code": code, **who.scope_params()},
            ).scalar_one()
            assert answer is who.covers_area(code), (who, code)


def test_the_functions_are_inlined_by_the_planner(db):
    plan = db.execute(
        text(
            "EXPLAIN (VERBOSE, FORMAT JSON) SELECT count(*) FROM dispute d "
            "WHERE wangge_is_open(d.status) AND wangge_in_scope(NULL, d.county_code, NULL, "
            "CAST(:area AS text), NULL)"
        ),
        {"area": "623021"},
    ).scalar_one()
    assert "wangge_" not in str(plan)


@pytest.fixture
def scratch_url(new_database):
    """A database migrated to every head, for up and down."""
    url = new_database(kind="rules")
    migrate.upgrade(url)
    return url


def test_one_head_and_the_downgrade_drops_the_functions(scratch_url):
    heads = ScriptDirectory.from_config(migrate.alembic_config(scratch_url)).get_heads()
    assert len(heads) == 1 and migrate.current(scratch_url) == heads[0]
    names = [f.name for f in rules.FUNCTIONS]
    query = text("SELECT count(*) FROM pg_proc WHERE proname = ANY(:names)")
    engine = create_engine(normalise_url(scratch_url))
    try:
        with engine.connect() as conn:
            assert conn.execute(query, {"names": names}).scalar() == len(names)
        command.downgrade(migrate.alembic_config(scratch_url), "0008_scale")
        assert migrate.current(scratch_url) == "0002_auth,0006_staff,0008_scale"
        with engine.connect() as conn:
            assert conn.execute(query, {"names": names}).scalar() == 0
        migrate.upgrade(scratch_url)
        with engine.connect() as conn:
            assert conn.execute(query, {"names": names}).scalar() == len(names)
    finally:
        engine.dispose()


def test_an_upgrade_puts_back_the_rules_as_core_states_them(scratch_url):
    """A database whose functions say something else (an older rule) follows core again."""
    engine = create_engine(normalise_url(scratch_url))
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "CREATE OR REPLACE FUNCTION wangge_is_open(status text) RETURNS boolean "
                    "LANGUAGE sql IMMUTABLE AS $$ SELECT status = 'received' $$"
                )
            )
        migrate.upgrade(scratch_url)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT wangge_is_open('unresolved')")).scalar()
        assert found is True
    finally:
        engine.dispose()
