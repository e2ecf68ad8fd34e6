"""A county's own files as they really arrive, generated from the real Lintan outline and
official codes (see county_files): a GBK Shapefile without .cpg in EPSG:4543 with long
straight edges, the same without .prj, the wrong zone, a moved re-load, an address workbook
with title and totals rows, 一组 and X/Y in surveying order, an Amap and a Baidu export."""

from __future__ import annotations

import re

import numpy as np
import pytest
import shapely
from sqlalchemy import text

from core.crs import wgs84_to_gcj02
from core.errors import ImportRejected
from geo.places import import_file
from tests.geo.places.county_files import (
    TOWNSHIP,
    grids,
    lonlat,
    office_workbook,
    survey_point,
    townships,
    villages,
    write_shapefile,
)
from tests.geo.places.test_import_factories import BOUNDARY, write_csv


@pytest.fixture
def county(db):
    """The real Lintan outline, loaded."""
    import_file(session=db, kind="admin-units", path=BOUNDARY)
    return db


@pytest.fixture(scope="module")
def layers():
    """Townships, the villages of 城关镇 and their grids, in EPSG:4543."""
    towns = townships()
    villages_ = villages(towns[0]["geom"])
    return {
        "townships": towns,
        "villages": villages_,
        "grids": [g for v in villages_ for g in grids(v)],
    }


def _admin_file(tmp_path, name, units, **kw):
    records = [{"区划代码": u["code"], "名称": u["name"], "geom": u["geom"]} for u in units]
    return write_shapefile(tmp_path / name, records, **kw)


def _refused(session, path, kind, **kw) -> list[str]:
    with pytest.raises(ImportRejected) as info:
        import_file(session=session, kind=kind, path=path, **kw)
    return [p.reason for p in info.value.problems if p.severity == "error"]


def row_versions(session) -> dict[str, str]:
    """``code → xmin`` of every admin unit: xmin changes whenever a row is written."""
    rows = session.execute(text("SELECT code, xmin::text FROM admin_unit"))
    return dict(rows.all())


def _names(session, codes) -> dict[str, str]:
    rows = session.execute(
        text("SELECT code, name FROM admin_unit WHERE code = ANY(:c)"), {"c": codes}
    )
    return dict(rows.all())


def test_gbk_shapefiles_in_gauss_krueger_with_long_edges_load_every_layer(county, layers, tmp_path):
    towns, villages_, grids_ = layers["townships"], layers["villages"], layers["grids"]
    assert not (tmp_path / "乡镇.cpg").exists()
    report = import_file(session=county, kind="admin-units", path=_admin_file(
        tmp_path, "乡镇.shp", towns))  # fmt: skip
    assert report.inserted == len(towns) >= 12
    assert _names(county, [t["code"] for t in towns]) == {t["code"]: t["name"] for t in towns}
    report = import_file(session=county, kind="admin-units", path=_admin_file(
        tmp_path, "村.shp", villages_))  # fmt: skip
    assert report.inserted == 4
    path = write_shapefile(
        tmp_path / "网格.shp", [{"网格编码": g["code"], "geom": g["geom"]} for g in grids_]
    )
    report = import_file(session=county, kind="grids", path=path)
    assert report.inserted == len(grids_) >= 15
    longest = max(
        float(np.max(np.hypot(*np.diff(shapely.get_coordinates(g["geom"]), axis=0).T)))
        for g in grids_
    )
    assert longest > 2000  # straight edges of kilometres, two vertices each
    # The stored grids tile each village: no gap or overlap of 1 m² (the import checked it),
    # and what was snapped is rounding only.
    snapped = [w.reason for w in report.warnings if "snapped" in w.reason]
    assert all("thinner than 5 cm" in reason for reason in snapped)


def test_a_shapefile_without_prj_gets_its_crs_worked_out_from_the_county(county, layers, tmp_path):
    path = _admin_file(tmp_path, "乡镇.shp", layers["townships"], prj=False)
    reasons = _refused(county, path, "admin-units")
    assert len(reasons) == 1
    assert "--crs EPSG:4543" in reasons[0] and "文件没有坐标系" in reasons[0]
    assert import_file(session=county, kind="admin-units", path=path, crs="EPSG:4543").inserted


def test_the_wrong_zone_is_refused_and_the_stored_townships_stay(county, layers, tmp_path):
    path = _admin_file(tmp_path, "乡镇.shp", layers["townships"], prj=False)
    fresh = _refused(county, path, "admin-units", crs="EPSG:4544")
    assert any("inside its parent" in r and "在上级县" in r for r in fresh)
    assert any("likely cause" in r and "--crs EPSG:4543" in r for r in fresh)
    import_file(session=county, kind="admin-units", path=path, crs="EPSG:4543")
    before = row_versions(county)
    again = _refused(county, path, "admin-units", crs="EPSG:4544")
    assert any("向东" in r and "east" in r and "km" in r and "--replace" in r for r in again)
    assert row_versions(county) == before


def test_a_reload_that_moves_a_unit_needs_replace_and_says_what_changes(county, layers, tmp_path):
    towns = layers["townships"]
    import_file(session=county, kind="admin-units", path=_admin_file(tmp_path, "a.shp", towns))
    moved = [dict(t) for t in towns]
    moved[1]["geom"] = shapely.affinity.translate(moved[1]["geom"], yoff=-400)
    shifted = tmp_path / "b.shp"
    _admin_file(tmp_path, "b.shp", moved)
    before = row_versions(county)
    reasons = _refused(county, shifted, "admin-units")
    assert [r.split("：")[0] for r in reasons] == [towns[1]["code"]]
    assert re.search(r"中心移动 40\d m 向南", reasons[0])
    assert re.search(r"centre moves 40\d m south", reasons[0])
    assert "确需替换请加 --replace" in reasons[0]
    assert row_versions(county) == before
    report = import_file(session=county, kind="admin-units", path=shifted, replace=True)
    assert report.updated == 1
    assert any("replaced" in w.reason for w in report.warnings)


def test_address_workbook_with_title_totals_chinese_groups_and_surveying_xy(county, tmp_path):
    spots = [(103.601, 34.701), (103.612, 34.713), (103.625, 34.708)]
    rows = []
    for k, ((lon, lat), group) in enumerate(zip(spots, ["一组", "十二组", "三"], strict=True)):
        easting, northing = survey_point(lon, lat)
        rows.append([k + 1, f"62302110000200{k}", f"城关镇东环路社区{group}", group,
                     "十二号", round(northing, 3), round(easting, 3)])  # fmt: skip
    path = office_workbook(
        tmp_path / "标准地址.xlsx",
        "临潭县标准地址登记表（2026年11月）",
        ["序号", "标准地址编码", "标准地址", "组", "门牌号", "X坐标", "Y坐标"],
        rows,
        [["合计", "", "3处"], [], ["填报人：张三", "", "审核人：李四"]],
    )
    reasons = _refused(county, path, "addresses")
    assert len(reasons) == 1 and "--crs EPSG:4543" in reasons[0]
    assert "X 为北坐标" in reasons[0] and "X is the northing" in reasons[0]
    report = import_file(session=county, kind="addresses", path=path, crs="EPSG:4543")
    assert report.inserted == 3
    assert report.skipped_rows == {1: "title", 6: "totals", 8: "footer"}
    assert any("surveying order" in w.reason for w in report.warnings)
    stored = county.execute(
        text("SELECT group_no, number, ST_X(geom), ST_Y(geom) FROM address ORDER BY code")
    ).all()
    assert [r[0] for r in stored] == [1, 12, 3]
    assert [r[1] for r in stored] == ["十二号"] * 3
    assert np.allclose([(r[2], r[3]) for r in stored], spots, atol=1e-6)


AMAP_HEADER = ["id", "name", "type", "typecode", "address", "location", "pname", "cityname",
               "adname"]  # fmt: skip
AMAP_ROWS = [
    ("B0FFG1A2B3", "临潭县公安局城关派出所", "政府机构及社会团体;公检法机构;派出所", "130501",
     103.601, 34.701),
    ("B0FFG1A2B4", "临潭县公安局新城派出所", "政府机构及社会团体;公检法机构;公安警察", "130501",
     103.612, 34.712),
    ("B0FFG1A2B5", "城关镇司法所", "政府机构及社会团体;公检法机构;司法机关", "130500",
     103.603, 34.703),
]  # fmt: skip


def _amap_csv(path, rows):
    lines = []
    for code, name, kind, typecode, lon, lat in rows:
        glon, glat = wgs84_to_gcj02(lon, lat)
        lines.append([code, name, kind, typecode, "临潭县", f"{float(glon):.6f},{float(glat):.6f}",
                      "甘肃省", "甘南藏族自治州", "临潭县"])  # fmt: skip
    return write_csv(path, AMAP_HEADER, lines, encoding="utf-8-sig")


def test_an_amap_poi_export_loads_as_facilities(county, tmp_path):
    report = import_file(
        session=county, kind="facilities", path=_amap_csv(tmp_path / "高德.csv", AMAP_ROWS)
    )
    assert report.inserted == 3
    assert any("GCJ-02" in w.reason for w in report.warnings)
    stored = county.execute(
        text("SELECT code, kind, ST_X(geom), ST_Y(geom) FROM facility ORDER BY code")
    ).all()
    assert [(r[0], r[1]) for r in stored] == [
        ("B0FFG1A2B3", "police_station"),
        ("B0FFG1A2B4", "police_station"),
        ("B0FFG1A2B5", "judicial_office"),
    ]
    assert np.allclose([(r[2], r[3]) for r in stored], [r[4:] for r in AMAP_ROWS], atol=1e-6)


def test_an_unknown_poi_type_is_refused_with_the_closest_kinds(county, tmp_path):
    rows = [*AMAP_ROWS, ("B0FFG1A2B6", "东环路调解室", "政府机构及社会团体;公检法机构;人民调解室",
                         "130506", 103.604, 34.704)]  # fmt: skip
    reasons = _refused(county, _amap_csv(tmp_path / "高德.csv", rows), "facilities")
    assert len(reasons) == 1
    assert "未知的设施类型" in reasons[0] and "mediation_committee" in reasons[0]


def _bd09(lon, lat):
    """WGS84 → BD-09 by the published forward formulas (through GCJ-02)."""
    x, y = (float(v) for v in wgs84_to_gcj02(lon, lat))
    z = np.hypot(x, y) + 0.00002 * np.sin(y * np.pi * 3000 / 180)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * np.pi * 3000 / 180)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def test_a_baidu_export_is_converted_from_bd09(county, tmp_path):
    bd_lon, bd_lat = _bd09(103.601, 34.701)
    row = ["a1b2c3", "城关派出所", "政府机构;公检法机构;派出所", bd_lon, bd_lat]
    path = write_csv(tmp_path / "百度.csv", ["uid", "name", "tag", "lng", "lat"], [row])
    assert import_file(session=county, kind="facilities", path=path, crs="bd09").inserted == 1
    point = county.execute(text("SELECT ST_X(geom), ST_Y(geom) FROM facility")).one()
    assert np.allclose(tuple(point), (103.601, 34.701), atol=2e-5)  # BD-09's inverse: ~1 m


def test_villages_outside_their_township_are_refused_whole(county, layers, tmp_path):
    towns = layers["townships"]
    import_file(session=county, kind="admin-units", path=_admin_file(tmp_path, "t.shp", towns))
    elsewhere = dict(layers["villages"][0], geom=towns[5]["geom"])  # another township's area
    reasons = _refused(
        county, _admin_file(tmp_path, "v.shp", [elsewhere, *layers["villages"][1:]]),
        "admin-units",
    )  # fmt: skip
    assert any(elsewhere["code"] in r and f"parent township {TOWNSHIP}" in r for r in reasons)
    assert _names(county, [elsewhere["code"]]) == {}


def test_lonlat_helper_matches_the_stored_township(county, layers, tmp_path):
    towns = layers["townships"][:1]
    import_file(session=county, kind="admin-units", path=_admin_file(tmp_path, "t.shp", towns))
    wkb = county.execute(
        text("SELECT ST_AsBinary(geom) FROM admin_unit WHERE code = :c"), {"c": towns[0]["code"]}
    ).scalar_one()
    stored = shapely.from_wkb(bytes(wkb))
    # Densified before reprojection: the straight 4543 edges keep their shape (read vertex by
    # vertex they would be metres off along a 16 km edge).
    densified = lonlat(shapely.segmentize(towns[0]["geom"], 5))
    assert shapely.hausdorff_distance(stored, densified) < 1e-7
    assert shapely.hausdorff_distance(stored, lonlat(towns[0]["geom"])) > 1e-6
