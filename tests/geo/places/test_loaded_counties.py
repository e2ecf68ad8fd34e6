"""The counties loaded, read from the database, and the county rule applied over them."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.errors import InvalidRequest, NotFound
from geo.places.counties import loaded_counties, which_county


def _add_county(session, code: str, name: str) -> None:
    session.execute(
        text(
            "INSERT INTO admin_unit (code, level, name, short_name, county_code)"
            " VALUES (:c, 'county', :n, :n, :c)"
        ),
        {"c": code, "n": name},
    )


def test_none_then_one_then_two_counties_loaded(db):
    assert loaded_counties(session=db) == {}
    with pytest.raises(NotFound):
        which_county(session=db)
    _add_county(db, "623022", "卓尼县")
    assert loaded_counties(session=db) == {"623022": "卓尼县"}
    assert which_county(session=db) == "623022"
    _add_county(db, "623021", "临潭县")
    assert list(loaded_counties(session=db)) == ["623021", "623022"]
    with pytest.raises(InvalidRequest, match="623021、623022"):
        which_county(session=db)
    assert which_county(session=db, requested="623021") == "623021"
    assert which_county(session=db, scope="623022100") == "623022"


def test_the_demo_database_holds_one_county(demo_db):
    assert which_county(session=demo_db) == "623021"
