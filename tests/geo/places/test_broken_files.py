"""Every bad file gets a clear refusal in Chinese and English, never a traceback: empty,
unreadable, binary, of an unknown encoding, truncated, too large, too long, with a cell
over the CSV limit, of the wrong geometry type; 3-D coordinates lose their height."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from sqlalchemy import text

from core.errors import ImportRejected
from geo import files
from geo.places import import_file
from tests.geo.places.test_import_factories import (
    VILLAGE_A,
    add_admin_units,
    counts,
    grid_boxes,
    write_csv,
)

ADDRESS_HEADER = ["地址编码", "标准地址", "经度", "纬度"]
GOOD_ROW = ["623021100002000001", "城关镇东环路社区1号", "103.605", "34.705"]


@pytest.fixture
def lintan(db):
    """Lintan with 城关镇 and two communities."""
    add_admin_units(db)
    return db


def _reasons(session, path, kind="addresses") -> list[str]:
    before = counts(session)
    with pytest.raises(ImportRejected) as info:
        import_file(session=session, kind=kind, path=path)
    assert counts(session) == before
    return [p.reason for p in info.value.problems if p.severity == "error"]


def _xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(ADDRESS_HEADER)
    book.active.append(GOOD_ROW)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BROKEN = {
    "empty.csv": (b"", "文件是空的"),
    "random.csv": (bytes(range(256)) * 8, "不是文本表格"),
    "unknown_encoding.csv": ("地址编码,标准地址\n".encode("gbk") + b"\x81\x20\x81\x20,x\n" * 3,
                             "无法识别文件编码"),
    "truncated.xlsx": (_xlsx_bytes()[:900], "无法打开这个 .xlsx 工作簿"),
    "random.xlsx": (bytes(range(256)) * 8, "无法打开这个 .xlsx 工作簿"),
    "header_only.csv": (",".join(ADDRESS_HEADER).encode(), "没有数据行"),
    "broken.geojson": (b'{"type": "FeatureCollection", "features": [', "无法读取这个文件"),
    "photo.xls": (b"\xd0\xcf\x11\xe0" + bytes(100), "旧版 .xls"),
    "notes.docx": (b"PK\x03\x04", "不支持的文件类型"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_is_refused_in_words(lintan, tmp_path, name):
    content, expected = BROKEN[name]
    path = tmp_path / name
    path.write_bytes(content)
    reasons = _reasons(lintan, path)
    assert len(reasons) == 1 and expected in reasons[0], reasons
    assert re.search(r"/ [a-z]", reasons[0])  # the English beside the Chinese


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(lintan, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "big.csv", ADDRESS_HEADER, [GOOD_ROW] * 50)
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1024)
    [reason] = _reasons(lintan, path)
    assert "文件太大" in reason and "the file is too large" in reason


def test_a_file_over_the_row_limit_is_refused(lintan, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_ROWS", 5)
    path = write_csv(tmp_path / "long.csv", ADDRESS_HEADER, [GOOD_ROW] * 40)
    [reason] = _reasons(lintan, path)
    assert "行数超过上限 5" in reason and "more than 5 rows" in reason


def test_a_cell_over_the_csv_limit_names_its_row(lintan, tmp_path):
    path = tmp_path / "long_cell.csv"
    path.write_text(",".join(ADDRESS_HEADER) + "\n" + ",".join(GOOD_ROW) + "\n"
                    + f'1,"{"长" * 140_000}",103.6,34.7\n', encoding="utf-8")  # fmt: skip
    [reason] = _reasons(lintan, path)
    assert "第 3 行" in reason and "row 3" in reason


def test_utf16_without_a_byte_order_mark_is_read(lintan, tmp_path):
    path = tmp_path / "utf16.csv"
    text_ = "\n".join([",".join(ADDRESS_HEADER), ",".join(GOOD_ROW)]) + "\n"
    path.write_bytes(text_.encode("utf-16-le"))
    assert import_file(session=lintan, kind="addresses", path=path).inserted == 1


def test_mixed_geometry_types_are_refused_row_by_row(lintan, tmp_path):
    minx, miny, maxx, maxy = grid_boxes(VILLAGE_A)[f"{VILLAGE_A}001"]
    ring = [[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]
    features = [
        {"type": "Feature", "properties": {"网格编码": f"{VILLAGE_A}001"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}},
        {"type": "Feature", "properties": {"网格编码": f"{VILLAGE_A}002"},
         "geometry": {"type": "Point", "coordinates": [maxx, miny]}},
    ]  # fmt: skip
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    reasons = _reasons(lintan, path, "grids")
    assert any("expected a polygon, found Point" in r for r in reasons)


def test_three_dimensional_gps_points_lose_their_height(lintan, tmp_path):
    features = [
        {"type": "Feature", "properties": {"code": "GPS-1", "name": "城关派出所", "kind": "派出所"},
         "geometry": {"type": "Point", "coordinates": [103.605, 34.705, 2810.5]}},
    ]  # fmt: skip
    path = tmp_path / "gps.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4979"}},
        "features": features,
    }))  # fmt: skip
    assert import_file(session=lintan, kind="facilities", path=path).inserted == 1
    dims, x = lintan.execute(text("SELECT ST_NDims(geom), ST_X(geom) FROM facility")).one()
    assert dims == 2 and abs(x - 103.605) < 1e-9
