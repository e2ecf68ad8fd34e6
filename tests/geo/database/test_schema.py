"""The schema refuses what it must: unknown codes, invalid or foreign geometries, broken links."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DataError, IntegrityError, InternalError

from geo.database.schema import Base

SQUARE = "MULTIPOLYGON(((103.5 34.7,103.51 34.7,103.51 34.71,103.5 34.71,103.5 34.7)))"
BOWTIE = "MULTIPOLYGON(((103.5 34.7,103.51 34.71,103.51 34.7,103.5 34.71,103.5 34.7)))"


def _county(db, code="623021", geom=SQUARE, srid=4326):
    db.execute(
        text(
            "INSERT INTO admin_unit (code, level, name, short_name, county_code, geom) "
            "VALUES (:code, 'county', '临潭县', '临潭县', :code, ST_GeomFromText(:g, :srid))"
        ),
        {"code": code, "g": geom, "srid": srid},
    )


def _violates(db, statement, params=None):
    with pytest.raises((IntegrityError, InternalError, DataError)) as info, db.begin_nested():
        db.execute(text(statement), params or {})
    return str(info.value)


def test_every_table_of_the_design_exists(engine):
    tables = set(inspect(engine).get_table_names())
    expected = {
        "admin_unit", "grid", "household_group", "staff", "staff_contact", "staff_grid",
        "address", "facility", "dispute", "dispute_party", "dispute_event", "signal",
        "risk_score", "hotspot", "grid_plan",
    }  # fmt: skip
    assert expected <= tables
    assert set(Base.metadata.tables) <= tables


def test_every_geometry_column_is_called_geom_and_has_a_gist_index(db):
    columns = db.execute(
        text("SELECT f_table_name, f_geometry_column, srid FROM geometry_columns")
    ).all()
    assert columns, "no geometry columns registered"
    for table, column, srid in columns:
        assert column == "geom", table
        assert srid == 4326, table
        indexed = db.execute(
            text(
                "SELECT count(*) FROM pg_indexes WHERE tablename = :t "
                "AND indexdef ILIKE '%USING gist (geom)%'"
            ),
            {"t": table},
        ).scalar()
        assert indexed == 1, f"{table}.geom has no GiST index"


def test_invalid_geometry_is_refused(db):
    message = _violates(
        db,
        "INSERT INTO admin_unit (code, level, name, short_name, county_code, geom) "
        "VALUES ('623021', 'county', 'x', 'x', '623021', ST_GeomFromText(:g, 4326))",
        {"g": BOWTIE},
    )
    assert "geom_valid" in message


def test_geometry_in_another_srid_is_refused(db):
    message = _violates(
        db,
        "INSERT INTO admin_unit (code, level, name, short_name, county_code, geom) "
        "VALUES ('623021', 'county', 'x', 'x', '623021', "
        "ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))', 32648))",
    )
    assert "4326" in message or "srid" in message.lower()


def test_code_length_must_match_level(db):
    message = _violates(
        db,
        "INSERT INTO admin_unit (code, level, name, short_name, county_code) "
        "VALUES ('62302110', 'township', 'x', 'x', '623021')",
    )
    assert "code_length_matches_level" in message


@pytest.mark.parametrize(
    ("column", "value"),
    [("category", "gossip"), ("severity", "huge"), ("status", "lost")],
)
def test_dispute_vocabularies_are_enforced(db, column, value):
    values = {"category": "debt", "severity": "minor", "status": "received"}
    values[column] = value
    message = _violates(
        db,
        "INSERT INTO dispute (external_id, county_code, category, severity, status, reported_at) "
        "VALUES ('x-1', '623021', :category, :severity, :status, now())",
        values,
    )
    assert f"{column}_known" in message


def test_signal_kind_and_facility_kind_are_enforced(db):
    assert "kind_known" in _violates(
        db,
        "INSERT INTO signal (external_id, county_code, kind, observed_at) "
        "VALUES ('s-1', '623021', 'rumour', now())",
    )
    assert "kind_known" in _violates(
        db,
        "INSERT INTO facility (code, county_code, kind, name, geom) "
        "VALUES ('f', '623021', 'castle', 'x', ST_SetSRID(ST_MakePoint(103.5, 34.7), 4326))",
    )


def test_external_id_is_unique(db):
    statement = (
        "INSERT INTO dispute (external_id, county_code, category, reported_at) "
        "VALUES ('dup-1', '623021', 'debt', now())"
    )
    db.execute(text(statement))
    assert "external_id" in _violates(db, statement)


def test_grid_must_reference_a_known_village(db):
    message = _violates(
        db,
        "INSERT INTO grid (code, name, county_code, township_code, village_code, geom) "
        "VALUES ('623021100201001', 'g', '623021', '623021100', '623021100201', "
        "ST_GeomFromText(:g, 4326))",
        {"g": SQUARE},
    )
    assert "foreign key" in message.lower()


def test_only_one_current_grid_per_code_but_history_is_kept(db):
    _county(db)
    db.execute(
        text(
            "INSERT INTO admin_unit (code, level, parent_code, name, short_name, county_code) "
            "VALUES ('623021100', 'township', '623021', '城关镇', '城关镇', '623021'), "
            "('623021100201', 'village', '623021100', '西街村民委员会', '西街村', '623021')"
        )
    )
    insert = (
        "INSERT INTO grid (code, name, county_code, township_code, village_code, geom, "
        "valid_from, valid_to) VALUES ('623021100201001', 'g', '623021', '623021100', "
        "'623021100201', ST_GeomFromText(:g, 4326), :f, :t)"
    )
    db.execute(text(insert), {"g": SQUARE, "f": "2020-01-01", "t": "2024-01-01"})
    db.execute(text(insert), {"g": SQUARE, "f": "2024-01-01", "t": None})
    assert "grid_code_current" in _violates(db, insert, {"g": SQUARE, "f": "2024-02-01", "t": None})
    assert "valid_interval" in _violates(
        db, insert, {"g": SQUARE, "f": "2024-02-01", "t": "2023-01-01"}
    )


def test_dispute_events_cascade_and_check_status(db):
    ident = db.execute(
        text(
            "INSERT INTO dispute (external_id, county_code, category, reported_at) "
            "VALUES ('e-1', '623021', 'debt', now()) RETURNING id"
        )
    ).scalar_one()
    db.execute(
        text(
            "INSERT INTO dispute_event (dispute_id, actor, from_status, to_status) "
            "VALUES (:d, 'clerk', 'received', 'routed')"
        ),
        {"d": ident},
    )
    assert "to_known" in _violates(
        db,
        "INSERT INTO dispute_event (dispute_id, actor, to_status) VALUES (:d, 'x', 'gone')",
        {"d": ident},
    )
    db.execute(text("DELETE FROM dispute WHERE id = :d"), {"d": ident})
    left = db.execute(
        text("SELECT count(*) FROM dispute_event WHERE dispute_id = :d"), {"d": ident}
    )
    assert left.scalar() == 0
