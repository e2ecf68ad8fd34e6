"""Factories for the import tests: a small Lintan set-up in the database and file writers.

The county is the real Lintan boundary with its real code; the township 城关镇 and two of its
communities carry their real codes but SYNTHETIC square polygons (``synthetic_geom`` true),
since no public township or village boundaries exist for Lintan. Each village holds four
synthetic grids in a 2 × 2 tiling. Files are written into ``tmp_path`` by each test.
"""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import geopandas as gpd
import openpyxl
import shapely
from sqlalchemy import text

from geo.database.bulk import copy_rows, ewkb_hex

ROOT = Path(__file__).resolve().parents[3]
# The real Lintan outline and division list, as shipped with the demo (see its SOURCES.md).
BOUNDARY = ROOT / "demo/data/lintan_623021_wgs84.geojson"
DIVISIONS = ROOT / "demo/data/lintan_623021_divisions.csv"

COUNTY = "623021"
TOWNSHIP = "623021100"  # 城关镇
VILLAGE_A = "623021100002"  # 东环路社区
VILLAGE_B = "623021100003"  # 城南社区
# Synthetic outlines, well inside the real county boundary.
TOWNSHIP_BOX = (103.60, 34.70, 103.64, 34.72)
VILLAGE_BOXES = {
    VILLAGE_A: (103.60, 34.70, 103.62, 34.72),
    VILLAGE_B: (103.62, 34.70, 103.64, 34.72),
}


def county_geometry():
    """The real Lintan boundary (MultiPolygon with two exclaves), WGS84."""
    return gpd.read_file(BOUNDARY).geometry.iloc[0]


def grid_boxes(village: str) -> dict[str, tuple[float, float, float, float]]:
    """The four synthetic grids of a village: code → (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = VILLAGE_BOXES[village]
    midx, midy = (minx + maxx) / 2, (miny + maxy) / 2
    boxes = [
        (minx, miny, midx, midy), (midx, miny, maxx, midy),
        (minx, midy, midx, maxy), (midx, midy, maxx, maxy),
    ]  # fmt: skip
    return {f"{village}{i + 1:03d}": box for i, box in enumerate(boxes)}


def multi(box):
    """A box as a MultiPolygon."""
    return shapely.MultiPolygon([shapely.box(*box)])


def add_admin_units(session, *, villages: bool = True) -> None:
    """Lintan (real boundary), 城关镇 and two communities (synthetic squares)."""
    rows = [
        (COUNTY, "county", None, "临潭县", "临潭县", COUNTY, False, county_geometry()),
        (TOWNSHIP, "township", COUNTY, "城关镇", "城关镇", COUNTY, True, multi(TOWNSHIP_BOX)),
    ]
    if villages:
        rows += [
            (VILLAGE_A, "village", TOWNSHIP, "东环路社区居民委员会", "东环路社区", COUNTY, True,
             multi(VILLAGE_BOXES[VILLAGE_A])),
            (VILLAGE_B, "village", TOWNSHIP, "城南社区居民委员会", "城南社区", COUNTY, True,
             multi(VILLAGE_BOXES[VILLAGE_B])),
        ]  # fmt: skip
    geoms = ewkb_hex([r[-1] for r in rows])
    copy_rows(
        session=session,
        table="admin_unit",
        columns=["code", "level", "parent_code", "name", "short_name", "county_code",
                 "synthetic_geom", "geom"],
        rows=[(*r[:-1], g) for r, g in zip(rows, geoms, strict=True)],
    )  # fmt: skip


def add_grids(session, villages=(VILLAGE_A, VILLAGE_B)) -> dict[str, int]:
    """The synthetic 2 × 2 grids of the villages; returns code → id."""
    rows = []
    for village in villages:
        for code, box in grid_boxes(village).items():
            rows.append((code, f"{code}（模拟）", COUNTY, TOWNSHIP, village, True, multi(box)))
    geoms = ewkb_hex([r[-1] for r in rows])
    copy_rows(
        session=session,
        table="grid",
        columns=["code", "name", "county_code", "township_code", "village_code", "synthetic",
                 "geom"],
        rows=[(*r[:-1], g) for r, g in zip(rows, geoms, strict=True)],
    )  # fmt: skip
    return dict(session.execute(text("SELECT code, id FROM grid WHERE valid_to IS NULL")).all())


def counts(session) -> dict[str, int]:
    """Rows per table touched by imports (to prove a refused file wrote nothing)."""
    return {
        table: session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        for table in ("admin_unit", "grid", "address", "facility")
    }


def row_versions(session, table: str) -> dict:
    """``code → (id, xmin, valid_to)``: xmin changes whenever a row is written."""
    valid_to = "valid_to" if table == "grid" else "NULL"
    rows = session.execute(
        text(f"SELECT code, id, xmin::text, {valid_to} FROM {table} ORDER BY code, id")
    ).all()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    """A CSV file as a spreadsheet program would save it."""
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list], sheet: str = "Sheet1") -> Path:
    """An .xlsx workbook with one sheet, header on row 1."""
    book = openpyxl.Workbook()
    worksheet = book.active
    worksheet.title = sheet
    worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    book.save(path)
    return path


def write_vector(path: Path, records: list[dict], geoms: list, crs="EPSG:4326", **kw) -> Path:
    """A GeoPackage, Shapefile or GeoJSON (by suffix) with the given attributes."""
    frame = gpd.GeoDataFrame(records, geometry=list(geoms), crs=crs)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "'crs' was not provided", UserWarning)
        frame.to_file(path, engine="pyogrio", **kw)
    return path


def write_geojson_without_crs(path: Path, records: list[dict], geoms: list) -> Path:
    """A GeoJSON whose coordinates are given as is, with no CRS member."""
    features = [
        {"type": "Feature", "properties": r, "geometry": shapely.geometry.mapping(g)}
        for r, g in zip(records, geoms, strict=True)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def grid_file_rows(village: str = VILLAGE_A) -> tuple[list[dict], list]:
    """Attribute records and geometries of a village's four grids, as a county would send."""
    records, geoms = [], []
    for i, (code, box) in enumerate(grid_boxes(village).items()):
        records.append({"网格编码": code, "网格名称": f"第{i + 1}网格（模拟）", "户数": 30 + i,
                        "人口": 100 + i})  # fmt: skip
        geoms.append(shapely.box(*box))
    return records, geoms
