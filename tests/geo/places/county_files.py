"""A county's files as its offices deliver them, generated from the real Lintan outline and
the official township and village codes (demo/data, see its SOURCES.md).

The layers are cut in CGCS2000 3-degree Gauss-Krüger CM 102E (EPSG:4543), the CRS a
Lintan surveyor uses: townships are the outline cut by a 4 × 4 lattice of straight lines
(edges up to 16 km with two vertices), villages cut a township 2 × 2, grids cut a village
into two grids on the left and three on the right, so the shared middle edge has different
vertices on each side. Reprojecting only the vertices of such edges would open slivers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pyogrio
import shapely
from pyproj import Transformer

from tests.geo.places.test_import_factories import BOUNDARY, DIVISIONS

SURVEY_EPSG = 4543
TOWNSHIP = "623021100"  # 城关镇: the township the villages are cut from
TO_SURVEY = Transformer.from_crs("EPSG:4326", f"EPSG:{SURVEY_EPSG}", always_xy=True)
TO_LONLAT = Transformer.from_crs(f"EPSG:{SURVEY_EPSG}", "EPSG:4326", always_xy=True)


def divisions() -> list[dict]:
    """The official division list: code, name, level, parent_code."""
    with DIVISIONS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def county_in_survey_crs():
    """The Lintan outline in EPSG:4543 (densified, so its lon/lat edges keep their shape)."""
    outline = gpd.read_file(BOUNDARY).geometry.iloc[0]
    outline = shapely.segmentize(outline, 0.001)
    return shapely.transform(outline, lambda xy: np.column_stack(TO_SURVEY.transform(*xy.T)))


def _cut(geom, columns: int, rows: int) -> list:
    minx, miny, maxx, maxy = geom.bounds
    xs, ys = np.linspace(minx, maxx, columns + 1), np.linspace(miny, maxy, rows + 1)
    pieces = []
    for i in range(columns):
        for j in range(rows):
            piece = shapely.intersection(geom, shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]))
            pieces.append(piece)
    return pieces


def _polygonal(geom):
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 1.0]
    return shapely.MultiPolygon(parts) if parts else None


def townships() -> list[dict]:
    """Township records with EPSG:4543 geometries: code, name and geom (largest piece first
    goes to 城关镇, so its villages have room)."""
    pieces = [p for p in (_polygonal(g) for g in _cut(county_in_survey_crs(), 4, 4)) if p]
    pieces.sort(key=lambda p: -p.area)
    codes = [d for d in divisions() if d["level"] == "township"]
    return [
        {"code": d["code"], "name": d["name"], "geom": piece}
        for d, piece in zip(codes, pieces, strict=False)
    ]


def villages(township_geom) -> list[dict]:
    """Four villages of 城关镇, the township cut 2 × 2 (EPSG:4543)."""
    pieces = [p for p in (_polygonal(g) for g in _cut(township_geom, 2, 2)) if p]
    codes = [d for d in divisions() if d["level"] == "village" and d["parent_code"] == TOWNSHIP]
    return [
        {"code": d["code"], "name": d["name"], "geom": piece}
        for d, piece in zip(codes, pieces, strict=False)
    ]


def grids(village: dict) -> list[dict]:
    """Five grids of a village: two on the left half, three on the right (EPSG:4543)."""
    minx, miny, maxx, maxy = village["geom"].bounds
    midx = (minx + maxx) / 2
    boxes = [
        (minx, miny, midx, (miny + maxy) / 2),
        (minx, (miny + maxy) / 2, midx, maxy),
    ]
    ys = np.linspace(miny, maxy, 4)
    boxes += [(midx, ys[k], maxx, ys[k + 1]) for k in range(3)]
    out = []
    for k, box in enumerate(boxes):
        piece = _polygonal(shapely.intersection(village["geom"], shapely.box(*box)))
        if piece is not None:
            out.append({"code": f"{village['code']}{k + 1:03d}", "geom": piece})
    return out


def write_shapefile(path: Path, records: list[dict], *, prj: bool = True, cpg: bool = False):
    """A Shapefile as Chinese desktop GIS writes it: GBK attributes, no .cpg, maybe no .prj."""
    frame = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k != "geom"} for r in records],
        geometry=[r["geom"] for r in records],
        crs=f"EPSG:{SURVEY_EPSG}",
    )
    pyogrio.write_dataframe(frame, path, encoding="GBK")
    if not cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    if not prj:
        path.with_suffix(".prj").unlink()
    return path


def lonlat(geom):
    """A geometry of EPSG:4543 in longitude/latitude (vertex by vertex)."""
    return shapely.transform(geom, lambda xy: np.column_stack(TO_LONLAT.transform(*xy.T)))


def survey_point(lon: float, lat: float) -> tuple[float, float]:
    """(easting, northing) of a lon/lat point in EPSG:4543."""
    x, y = TO_SURVEY.transform(lon, lat)
    return float(x), float(y)


def office_workbook(path: Path, title: str, header: list, rows: list, footer: list) -> Path:
    """An .xlsx as an office prints it: a merged title row, the header, the rows, a 合计 row
    and a sign-off footer."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for row in footer:
        sheet.append(row)
    book.save(path)
    return path
