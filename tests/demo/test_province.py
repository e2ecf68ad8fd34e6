"""The SYNTHETIC province: small counties with their own codes load together and stay apart."""

from __future__ import annotations

import pytest
import shapely
from sqlalchemy import text

from demo.province import CountySize, county_code, generate_county, province_counties
from geo.places.loading import load_county

SMALL = CountySize(townships=2, villages=8, communities=1)


@pytest.fixture(scope="module")
def small_province():
    """Three small synthetic counties and their generated frames."""
    specs = province_counties(3, seed=5, size=SMALL, county_km2=80.0)
    return specs, [generate_county(spec, seed=5) for spec in specs]


def test_codes_follow_the_synthetic_scheme():
    assert county_code(0) == "990121"
    assert county_code(9) == "990130"
    assert county_code(10) == "990221"


def test_counties_tile_the_province_without_overlap(small_province):
    specs, _ = small_province
    assert len({s.code for s in specs}) == 3
    assert len({s.name for s in specs}) == 3
    union = shapely.union_all([s.boundary for s in specs])
    assert union.area == pytest.approx(sum(s.boundary.area for s in specs), rel=1e-6)
    for spec in specs:
        table = spec.divisions
        assert (table["code"].str[:6] == spec.code).all()
        assert table["code"].is_unique
        assert (table["level"] == "township").sum() == SMALL.townships
        assert (table["level"] == "village").sum() == SMALL.villages


def test_every_row_is_marked_synthetic(small_province):
    _, counties = small_province
    for county in counties:
        assert county.admin_units["synthetic"].all()
        for frame in (county.grids, county.addresses, county.disputes, county.signals):
            assert frame["synthetic"].all()


def test_counties_load_together_and_keep_their_invariants(db, small_province):
    specs, counties = small_province
    for county in counties:
        load_county(session=db, county=county)
    for spec, county in zip(specs, counties, strict=True):
        params = {"c": spec.code}
        grids = db.execute(
            text("SELECT count(*) FROM grid WHERE county_code = :c AND code LIKE :c || '%'"),
            params,
        ).scalar_one()
        assert grids == len(county.grids)
        addresses = db.execute(
            text("SELECT count(*) FROM address WHERE county_code = :c"), params
        ).scalar_one()
        assert addresses == len(county.addresses)
        # Every address sits on a grid of its own county, and every grid inside its county.
        strays = db.execute(
            text(
                "SELECT count(*) FROM address a LEFT JOIN grid g ON g.id = a.grid_id "
                "WHERE a.county_code = :c AND (g.id IS NULL OR g.county_code <> :c)"
            ),
            params,
        ).scalar_one()
        assert strays == 0
        outside = db.execute(
            text(
                "SELECT count(*) FROM grid g JOIN admin_unit u ON u.code = :c "
                "WHERE g.county_code = :c AND NOT ST_Within(ST_PointOnSurface(g.geom), u.geom)"
            ),
            params,
        ).scalar_one()
        assert outside == 0
    counties_stored = db.execute(
        text("SELECT count(*) FROM admin_unit WHERE level = 'county' AND code LIKE '99%'")
    ).scalar_one()
    assert counties_stored == 3
