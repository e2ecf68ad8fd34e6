"""Coordinate systems on import: missing, projected, swapped lon/lat, GCJ-02 given and suspected."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from sqlalchemy import text

from core.crs import wgs84_to_gcj02
from core.errors import ImportRejected
from geo.places import import_file
from tests.geo.places.test_import_factories import (
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_BOXES,
    add_admin_units,
    add_grids,
    counts,
    grid_file_rows,
    write_csv,
    write_geojson_without_crs,
    write_vector,
)

TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)


@pytest.fixture
def lintan(db):
    """Lintan with 城关镇 and two communities (synthetic outlines), no grids."""
    add_admin_units(db)
    return db


@pytest.fixture
def lintan_grids(lintan):
    """The same with 2 × 2 synthetic grids in each community."""
    add_grids(lintan)
    return lintan


def _refused(session, path, kind, **kw) -> list:
    before = counts(session)
    with pytest.raises(ImportRejected) as info:
        import_file(session=session, kind=kind, path=path, **kw)
    assert counts(session) == before, "a refused file must write nothing"
    return [p for p in info.value.problems if p.severity == "error"]


def _utm(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(TO_UTM.transform(xy[:, 0], xy[:, 1])))


def _stored_grid(session, code):
    wkb = session.execute(
        text("SELECT ST_AsBinary(geom) FROM grid WHERE code = :c AND valid_to IS NULL"), {"c": code}
    ).scalar_one()
    return shapely.from_wkb(bytes(wkb))


def test_missing_crs_with_projected_coordinates_is_refused_then_loaded_with_crs(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    rows = [[r["网格编码"], _utm(g).wkt] for r, g in zip(records, geoms, strict=True)]
    path = write_csv(tmp_path / "utm_no_crs.csv", ["网格编码", "空间信息"], rows)
    problems = _refused(lintan, path, "grids")
    assert [p.field for p in problems] == ["CRS"]
    assert "--crs" in problems[0].reason
    report = import_file(session=lintan, kind="grids", path=path, crs="EPSG:32648")
    assert report.inserted == 4
    stored = _stored_grid(lintan, records[0]["网格编码"])
    assert shapely.hausdorff_distance(stored, geoms[0]) < 1e-6  # densified, snapped to the village


def test_shapefile_without_prj_and_projected_coordinates_is_refused(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    records = [{"code": r["网格编码"]} for r in records]
    path = write_vector(tmp_path / "grids.shp", records, [_utm(g) for g in geoms], crs=None)
    assert not path.with_suffix(".prj").exists()
    problems = _refused(lintan, path, "grids")
    assert [(p.row, p.field) for p in problems] == [(None, "CRS")]


def test_missing_crs_with_lonlat_coordinates_is_read_as_wgs84_with_a_warning(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    records = [{"code": r["网格编码"]} for r in records]
    path = write_vector(tmp_path / "grids.shp", records, geoms, crs=None)
    report = import_file(session=lintan, kind="grids", path=path)
    assert report.inserted == 4
    assert any(w.field == "CRS" and "EPSG:4326" in w.reason for w in report.warnings)


def test_projected_gpkg_is_reprojected_to_wgs84(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    path = write_vector(tmp_path / "utm.gpkg", records, [_utm(g) for g in geoms], crs="EPSG:32648")
    report = import_file(session=lintan, kind="grids", path=path)
    assert report.inserted == 4
    # Straight in UTM, the edges bow by millimetres against the lon/lat village box: snapped.
    assert [w.reason for w in report.warnings if "snapped" not in w.reason] == []
    stored = _stored_grid(lintan, records[2]["网格编码"])
    assert shapely.hausdorff_distance(stored, geoms[2]) < 1e-6  # densified, snapped to the village
    srid = lintan.execute(text("SELECT DISTINCT ST_SRID(geom) FROM grid")).scalar_one()
    assert srid == 4326


def test_cgcs2000_gauss_kruger_is_reprojected(lintan, tmp_path):
    transformer = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True)
    records, geoms = grid_file_rows(VILLAGE_A)
    cgcs = [
        shapely.transform(g, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
        for g in geoms
    ]
    path = write_vector(tmp_path / "cgcs.gpkg", records, cgcs, crs="EPSG:4547")
    assert import_file(session=lintan, kind="grids", path=path).inserted == 4


def test_swapped_lon_lat_is_refused_naming_each_row(lintan_grids, tmp_path):
    path = write_csv(
        tmp_path / "swapped.csv",
        ["地址编码", "地址", "经度", "纬度"],
        [
            ["A1", "临潭县城关镇东环路1号（模拟）", "34.705", "103.605"],
            ["A2", "临潭县城关镇东环路2号（模拟）", "34.715", "103.615"],
        ],
    )
    problems = _refused(lintan_grids, path, "addresses")
    assert [(p.row, p.field) for p in problems] == [(2, "经度/纬度"), (3, "经度/纬度")]
    assert all("swapped" in p.reason for p in problems)


def test_swapped_lon_lat_without_any_county_loaded_is_still_caught(db, tmp_path):
    box = shapely.box(34.70, 103.60, 34.72, 103.62)  # lat/lon order
    path = write_csv(
        tmp_path / "swapped.csv", ["code", "name", "wkt"], [["623021", "临潭县", box.wkt]]
    )
    problems = _refused(db, path, "admin-units")
    assert [(p.row, p.field) for p in problems] == [(2, "wkt")]
    assert "swapped" in problems[0].reason


def _gcj_points(n: int, seed: int = 7):
    """WGS84 points spread over the two villages, and the same points in GCJ-02."""
    rng = np.random.default_rng(seed)
    minx, miny, _, _ = VILLAGE_BOXES[VILLAGE_A]
    _, _, maxx, maxy = VILLAGE_BOXES[VILLAGE_B]
    lon = rng.uniform(minx + 0.0002, maxx - 0.0002, n)
    lat = rng.uniform(miny + 0.0002, maxy - 0.0002, n)
    glon, glat = wgs84_to_gcj02(lon, lat)
    return lon, lat, glon, glat


def _address_rows(lon, lat):
    return [
        [f"A{i:03d}", f"临潭县城关镇东环路{i}号（模拟）", f"{x:.7f}", f"{y:.7f}"]
        for i, (x, y) in enumerate(zip(lon, lat, strict=True))
    ]


def test_gcj02_coordinates_are_converted_with_crs_gcj02(lintan_grids, tmp_path):
    lon, lat, glon, glat = _gcj_points(40)
    path = write_csv(
        tmp_path / "amap.csv", ["code", "address", "lng", "lat"], _address_rows(glon, glat)
    )
    report = import_file(session=lintan_grids, kind="addresses", path=path, crs="gcj02")
    assert report.inserted == 40
    stored = lintan_grids.execute(
        text("SELECT code, ST_X(geom) AS x, ST_Y(geom) AS y FROM address ORDER BY code")
    ).all()
    x = np.array([r.x for r in stored])
    y = np.array([r.y for r in stored])
    ex, ey = TO_UTM.transform(x, y)
    tx, ty = TO_UTM.transform(lon, lat)
    assert np.max(np.hypot(ex - tx, ey - ty)) < 0.05  # metres
    assert not any("GCJ" in w.reason for w in report.warnings)


def test_gcj_looking_points_read_as_wgs84_get_a_warning(lintan_grids, tmp_path):
    lon, lat, glon, glat = _gcj_points(200)
    path = write_csv(
        tmp_path / "amap.csv", ["code", "address", "lng", "lat"], _address_rows(glon, glat)
    )
    report = import_file(session=lintan_grids, kind="addresses", path=path)
    warned = [w for w in report.warnings if "GCJ-02" in w.reason]
    assert warned and "--crs gcj02" in warned[0].reason
    honest = write_csv(
        tmp_path / "wgs.csv", ["code", "address", "lng", "lat"], _address_rows(lon, lat)
    )
    lintan_grids.execute(text("DELETE FROM address"))
    report = import_file(session=lintan_grids, kind="addresses", path=honest)
    assert not any("GCJ-02" in w.reason for w in report.warnings)


def test_gcj_shift_measured_against_the_named_village(lintan_grids, tmp_path):
    lon, _, glon, glat = _gcj_points(60, seed=11)
    villages = [VILLAGE_A if x < VILLAGE_BOXES[VILLAGE_A][2] else VILLAGE_B for x in lon]
    rows = [
        [f"B{i:03d}", f"临潭县城关镇{i}号（模拟）", v, f"{x:.7f}", f"{y:.7f}"]
        for i, (v, x, y) in enumerate(zip(villages, glon, glat, strict=True))
    ]
    path = write_csv(tmp_path / "named.csv", ["编码", "地址", "村编码", "经度", "纬度"], rows)
    report = import_file(session=lintan_grids, kind="addresses", path=path)
    assert any("GCJ-02" in w.reason for w in report.warnings)


def test_unknown_crs_option_is_refused(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    path = write_vector(tmp_path / "g.gpkg", records, geoms)
    problems = _refused(lintan, path, "grids", crs="EPSG:999999")
    assert [p.field for p in problems] == ["--crs"]


def test_geojson_with_projected_coordinates_needs_crs(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    path = write_geojson_without_crs(tmp_path / "utm.geojson", records, [_utm(g) for g in geoms])
    problems = _refused(lintan, path, "grids")
    assert [p.field for p in problems] == ["CRS"] and "--crs" in problems[0].reason
    report = import_file(session=lintan, kind="grids", path=path, crs="EPSG:32648")
    assert report.inserted == 4
    assert any(w.field == "--crs" for w in report.warnings)


def test_a_wrongly_declared_projected_crs_is_refused(lintan, tmp_path):
    records, geoms = grid_file_rows(VILLAGE_A)
    path = write_vector(tmp_path / "liar.gpkg", records, geoms, crs="EPSG:32648")  # degrees
    problems = _refused(lintan, path, "grids")
    assert [p.field for p in problems] == ["CRS"] and "EPSG:4326" in problems[0].reason
    assert import_file(session=lintan, kind="grids", path=path, crs="EPSG:4326").inserted == 4
