"""Geocoding against a real PostGIS: gazetteer loading, version check, GPS and reverse lookup.

A small synthetic county (real Lintan names, invented squares and points) is written into
the rolled-back ``db`` session of each test.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.crs import wgs84_to_gcj02
from geo.geocode.gps import PointError, locate_point, to_wgs84
from geo.geocode.match import Geocoder
from geo.geocode.store import GeocoderCache, gazetteer_version, load_gazetteer

COUNTY = "623021"
TOWNSHIPS = {"623021101": "新城镇", "623021102": "冶力关镇"}
VILLAGES = {  # code: (township, name, west edge lon)
    "623021101208": ("623021101", "东山村民委员会", 103.30),
    "623021102205": ("623021102", "东山村民委员会", 103.34),
    "623021102207": ("623021102", "池沟村民委员会", 103.38),
}
SOUTH, SIZE = 34.70, 0.03


def _square(west: float) -> str:
    e, n = west + SIZE, SOUTH + SIZE
    return f"MULTIPOLYGON((({west} {SOUTH},{e} {SOUTH},{e} {n},{west} {n},{west} {SOUTH})))"


def _address_point(west: float, group: int, number: int) -> tuple[float, float]:
    return west + 0.004 * number, SOUTH + 0.006 * group


@pytest.fixture
def county(db):
    """Write the small county; return the session."""
    db.execute(
        text(
            "INSERT INTO admin_unit (code, level, name, short_name, county_code) "
            "VALUES (:c, 'county', '临潭县', '临潭县', :c)"
        ),
        {"c": COUNTY},
    )
    for code, name in TOWNSHIPS.items():
        db.execute(
            text(
                "INSERT INTO admin_unit (code, level, name, short_name, parent_code, county_code)"
                " VALUES (:code, 'township', :name, :name, :county, :county)"
            ),
            {"code": code, "name": name, "county": COUNTY},
        )
    for code, (township, name, west) in VILLAGES.items():
        db.execute(
            text(
                "INSERT INTO admin_unit (code, level, name, short_name, parent_code, county_code)"
                " VALUES (:code, 'village', :name, :name, :township, :county)"
            ),
            {"code": code, "name": name, "township": township, "county": COUNTY},
        )
        db.execute(
            text(
                "INSERT INTO grid (code, name, county_code, township_code, village_code, geom)"
                " VALUES (:grid, :name, :county, :township, :code, ST_GeomFromText(:g, 4326))"
            ),
            {"grid": f"{code}001", "name": f"{name}网格", "county": COUNTY,
             "township": township, "code": code, "g": _square(west)},
        )  # fmt: skip
        short = name.replace("村民委员会", "村")
        for group in (1, 2, 3):
            for number in (1, 2, 3):
                lon, lat = _address_point(west, group, number)
                db.execute(
                    text(
                        "INSERT INTO address (code, county_code, township_code, village_code,"
                        " full_text, group_no, grid_id, geom) SELECT :code, :county, :township,"
                        " :village, :full, :group, g.id, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)"
                        " FROM grid g WHERE g.code = :grid"
                    ),
                    {"code": f"{code}-{group}-{number}", "county": COUNTY, "township": township,
                     "village": code, "grid": f"{code}001", "group": group, "lon": lon, "lat": lat,
                     "full": f"临潭县{TOWNSHIPS[township]}{short}{group}组{number}号"},
                )  # fmt: skip
    db.execute(
        text(
            "INSERT INTO facility (code, county_code, kind, name, admin_code, geom) VALUES"
            " ('c1', :county, 'village_centre', '池沟村综治中心', '623021102207',"
            "  ST_SetSRID(ST_MakePoint(103.395, 34.725), 4326)),"
            " ('c2', :county, 'township_centre', '冶力关镇综治中心', '623021102',"
            "  ST_SetSRID(ST_MakePoint(103.355, 34.705), 4326))"
        ),
        {"county": COUNTY},
    )
    return db


def test_gazetteer_loads_from_postgis_and_geocodes_each_level(county):
    geocoder = Geocoder(load_gazetteer(session=county))
    address = geocoder.geocode("临潭县冶力关镇池沟村二组三号")
    assert (address.level, address.address_code) == ("address", "623021102207-2-3")
    assert address.grid_code == "623021102207001"
    group = geocoder.geocode("冶力关镇池沟村二组")
    assert (group.level, group.group, group.grid_code) == ("group", 2, "623021102207001")
    village = geocoder.geocode("池沟村村委会旁边")
    assert village.level == "village"
    assert (village.lon, village.lat) == pytest.approx((103.395, 34.725))
    # the grid covering the village centre is not the case's grid: none, 位置待核实
    assert (village.grid_code, village.status) == (None, "位置待核实")
    township = geocoder.geocode("冶力关镇街上")
    assert township.level == "township"
    assert (township.lon, township.lat) == pytest.approx((103.355, 34.705))
    assert geocoder.geocode("临潭县").level == "county"
    assert geocoder.geocode("某某地方").level == "none"


def test_ambiguous_and_outside_county_from_the_database(county):
    geocoder = Geocoder(load_gazetteer(session=county))
    ambiguous = geocoder.geocode("东山村1组1号")
    assert ambiguous.ambiguous and ambiguous.level == "county"
    assert {c.address_code for c in ambiguous.candidates} == {
        "623021101208-1-1", "623021102205-1-1",
    }  # fmt: skip
    outside = geocoder.geocode("甘肃省卓尼县东山村1组1号")
    assert (outside.level, outside.named_region, outside.grid_code) == ("none", "卓尼县", None)


def test_cache_reloads_only_when_addresses_change(county):
    cache = GeocoderCache()
    first = cache.get(session=county)
    assert cache.get(session=county) is first and cache.loads == 1
    before = gazetteer_version(session=county)
    county.execute(
        text(
            "INSERT INTO address (code, county_code, township_code, village_code, full_text,"
            " group_no, grid_id, geom) SELECT 'new', :county, '623021102', '623021102207',"
            " '临潭县冶力关镇池沟村3组9号', 3, g.id, ST_SetSRID(ST_MakePoint(103.39, 34.72), 4326)"
            " FROM grid g WHERE g.code = '623021102207001'"
        ),
        {"county": COUNTY},
    )
    assert gazetteer_version(session=county) != before
    second = cache.get(session=county)
    assert second is not first and cache.loads == 2
    assert second.geocode("冶力关镇池沟村三组九号").address_code == "new"


def test_gps_point_gives_grid_and_nearest_address(county):
    lon, lat = _address_point(103.38, 2, 3)
    hit = locate_point(session=county, lon=lon + 0.0001, lat=lat, tolerance_m=50)
    assert (hit.level, hit.grid_code, hit.address_code) == (
        "address", "623021102207001", "623021102207-2-3",
    )  # fmt: skip
    assert hit.village_name == "池沟村民委员会" and hit.township_name == "冶力关镇"
    assert 5 < hit.address_distance_m < 15


def test_gcj02_point_is_shifted_back_before_lookup(county):
    lon, lat = _address_point(103.38, 2, 3)
    gcj_lon, gcj_lat = (float(v) for v in wgs84_to_gcj02(lon, lat))
    hit = locate_point(session=county, lon=gcj_lon, lat=gcj_lat, crs="gcj02", tolerance_m=20)
    assert hit.address_code == "623021102207-2-3"
    assert (hit.lon, hit.lat) == pytest.approx((lon, lat), abs=1e-7)
    as_if_wgs = locate_point(session=county, lon=gcj_lon, lat=gcj_lat, tolerance_m=20)
    assert as_if_wgs.address_code != "623021102207-2-3"  # the raw GCJ-02 point is ~ 300 m off


def test_point_without_an_address_nearby_or_outside_every_grid(county):
    inside_far = locate_point(session=county, lon=103.399, lat=34.729, tolerance_m=30)
    assert (inside_far.level, inside_far.grid_code) == ("village", "623021102207001")
    assert inside_far.address_code is None
    outside = locate_point(session=county, lon=103.4102, lat=34.706, tolerance_m=5_000)
    assert (outside.level, outside.grid_code, outside.address_code) == ("none", None, None)


def test_bad_points_are_refused_with_a_reason():
    with pytest.raises(PointError, match="swapped"):
        to_wgs84(34.7, 103.38)
    with pytest.raises(PointError, match="unknown crs"):
        to_wgs84(103.38, 34.7, "bd09")
    with pytest.raises(PointError, match="numbers"):
        to_wgs84("east", 34.7)
