"""The demo county as stored in PostGIS keeps the invariants a county centre relies on."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from geo.places import quality
from geo.places.assign import GridIndex, assign_addresses, grid_at

COUNTY = "623021"


def scalar(db, statement, **params):
    return db.execute(text(statement), params).scalar_one()


def test_official_units_are_all_there(demo_db):
    levels = dict(
        demo_db.execute(text("SELECT level, count(*) FROM admin_unit GROUP BY level")).all()
    )
    assert levels == {"county": 1, "township": 16, "village": 147}
    assert scalar(demo_db, "SELECT name FROM admin_unit WHERE code = '623021'") == "临潭县"


def test_grid_and_group_counts(demo_db):
    assert scalar(demo_db, "SELECT count(*) FROM grid WHERE valid_to IS NULL") == 770
    assert scalar(demo_db, "SELECT count(*) FROM household_group WHERE valid_to IS NULL") == 1995
    assert scalar(demo_db, "SELECT count(*) FROM grid WHERE leader_id IS NULL") == 0


def test_address_house_and_resident_totals_are_near_the_county_figures(demo_db):
    row = demo_db.execute(text("SELECT count(*), sum(houses), sum(residents) FROM address")).one()
    addresses, houses, residents = row
    assert 29_000 <= addresses <= 31_000
    assert 45_000 <= houses <= 55_000
    assert 130_000 <= residents <= 150_000


@pytest.mark.parametrize(("parent", "child"), [("county", "township"), ("township", "village")])
def test_admin_units_tile_their_parent(demo_db, parent, child):
    report = quality.admin_tiling(
        session=demo_db, county=COUNTY, parent_level=parent, child_level=child
    )
    assert len(report) == (1 if parent == "county" else 16)
    # Coordinates are stored to the centimetre, so the real outline and the synthetic parts
    # can differ by millimetre-wide slivers: nothing beyond a millionth of the parent's area.
    for column in ("gap", "overlap", "outside"):
        assert (report[column] / report["parent_area"]).max() < 1e-6, column


def test_grids_tile_every_village(demo_db):
    report = quality.grid_tiling(session=demo_db, county=COUNTY)
    assert len(report) == 147
    for column in ("gap", "overlap", "outside"):
        assert (report[column] / report["village_area"]).max() < 1e-6, column


def test_every_address_is_in_exactly_its_grid_and_inside_its_village(demo_db):
    report = quality.address_placement(session=demo_db, county=COUNTY)
    assert (report["covering_grids"] >= 1).all()
    assert (report["stored_grid"] == report["rule_grid"]).all()
    assert report["inside_village"].all()
    assert report["grid_in_same_village"].all()


def test_reassigning_addresses_from_geometry_changes_nothing(demo_db):
    before = dict(demo_db.execute(text("SELECT id, grid_id FROM address")).all())
    outside = assign_addresses(session=demo_db, county=COUNTY)
    after = dict(demo_db.execute(text("SELECT id, grid_id FROM address")).all())
    assert outside == []
    assert before == after


def test_synthetic_rows_are_labelled(demo_db):
    assert scalar(demo_db, "SELECT bool_and(synthetic) FROM grid")
    assert scalar(demo_db, "SELECT bool_and(synthetic) FROM address")
    assert scalar(
        demo_db, "SELECT bool_and(synthetic_geom) FROM admin_unit WHERE level <> 'county'"
    )
    assert not scalar(demo_db, "SELECT synthetic_geom FROM admin_unit WHERE level = 'county'")


def test_point_on_a_shared_grid_boundary_goes_to_the_first_code(demo_db):
    row = demo_db.execute(
        text(
            "SELECT a.code AS a, b.code AS b, "
            "ST_X(ST_PointOnSurface(ST_Intersection(a.geom, b.geom))) AS lon, "
            "ST_Y(ST_PointOnSurface(ST_Intersection(a.geom, b.geom))) AS lat "
            "FROM grid a JOIN grid b ON a.code < b.code AND ST_Touches(a.geom, b.geom) "
            "WHERE a.valid_to IS NULL AND b.valid_to IS NULL "
            "AND ST_Dimension(ST_Intersection(a.geom, b.geom)) = 1 LIMIT 1"
        )
    ).one()
    hit = grid_at(session=demo_db, lon=row.lon, lat=row.lat)
    covering = (
        demo_db.execute(
            text(
                "SELECT code FROM grid WHERE valid_to IS NULL "
                "AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(:x, :y), 4326)) ORDER BY code"
            ),
            {"x": row.lon, "y": row.lat},
        )
        .scalars()
        .all()
    )
    assert hit is not None and hit.code == covering[0]
    index = GridIndex.load(session=demo_db, county=COUNTY)
    assert index.codes[index.assign([row.lon], [row.lat])[0]] == hit.code


def test_a_point_outside_every_grid_is_reported_not_forced(demo_db):
    assert grid_at(session=demo_db, lon=116.39, lat=39.9) is None
    index = GridIndex.load(session=demo_db, county=COUNTY)
    assert index.assign([116.39], [39.9])[0] == -1


def test_in_memory_and_postgis_assignment_agree_on_every_address(demo_db):
    rows = demo_db.execute(
        text(
            "SELECT ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, g.code FROM address a "
            "JOIN grid g ON g.id = a.grid_id"
        )
    ).all()
    index = GridIndex.load(session=demo_db, county=COUNTY)
    positions = index.assign([r.lon for r in rows], [r.lat for r in rows])
    assert [index.codes[p] for p in positions] == [r.code for r in rows]
