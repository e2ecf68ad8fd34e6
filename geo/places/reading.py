"""Read a county's file into one shape: records, spreadsheet row numbers, geometries, CRS.

Row numbers are what the user sees: in CSV and Excel the row number the spreadsheet shows
(title rows above the header and blank rows count, see :mod:`geo.files`); in GeoPackage,
Shapefile and GeoJSON the first feature is row 1 (the order of the QGIS attribute table).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyogrio
import shapely
from pyproj import CRS

from core.errors import ImportRejected, RowProblem
from geo import files
from geo.files import Sheet, cell_text, check_size, is_table, read_table
from geo.places.columns import ColumnMap, known_headers, map_columns

VECTOR_SUFFIXES = {".gpkg", ".shp", ".geojson", ".json", ".zip"}
EXCEL_ERRORS = {"#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#SPILL!"}
_EWKT = re.compile(r"^\s*SRID=(\d+);(.*)$", re.IGNORECASE | re.DOTALL)
_SCIENTIFIC = re.compile(r"^[0-9.]+[eE]\+?[0-9]+$")
GEOMETRY_FIELDS = ("lon", "lat", "wkt", "location")
_PAIR = re.compile(r"^\s*(-?[0-9.]+)\s*[,，;；\s]\s*(-?[0-9.]+)\s*$")


@dataclass
class SourceTable:
    """A file read into memory, before any validation of its values."""

    path: Path
    format: str
    rows: list[int]
    values: dict[str, list]
    geometries: list
    crs: CRS | None
    columns: ColumnMap
    geometry_from: str  # "file", "wkt", "lonlat", "location" (one "lon,lat" cell) or "none"
    problems: list[RowProblem] = field(default_factory=list)
    header_row: int | None = None
    header_refused: bool = False
    skipped: dict[int, str] = field(default_factory=dict)  # row → "title", "totals", "footer"

    def __len__(self) -> int:
        return len(self.rows)

    def value(self, field_name: str, index: int):
        """The raw value of ``field_name`` on record ``index`` (None when absent)."""
        column = self.values.get(field_name)
        return None if column is None else column[index]


def read_source(*, path: Path, kind: str, layer: str | None = None) -> SourceTable:
    """Read ``path`` (by its suffix) for import as ``kind``; raise ImportRejected if unreadable.

    Spreadsheets go through :func:`geo.files.read_table` (title, totals and footer rows
    dropped, row numbers kept); ``layer`` names the worksheet or the GIS layer.
    """
    if not path.exists():
        raise ImportRejected(
            str(path), [RowProblem(None, None, f"找不到文件 / file not found: {path}")]
        )
    if is_table(path) or path.suffix.lower() == ".xls":  # the reader explains .xls
        return _from_sheet(read_table(path, known=known_headers(kind), sheet=layer), kind)
    suffix = path.suffix.lower()
    if suffix in VECTOR_SUFFIXES:
        return _read_vector(path, kind, layer)
    raise ImportRejected(
        str(path),
        [RowProblem(None, None, f"不支持的文件类型 '{suffix}' / unknown file type '{suffix}': "
                    "use .gpkg, .shp, .geojson, .csv or .xlsx")],
    )  # fmt: skip


def _read_vector(path: Path, kind: str, layer: str | None) -> SourceTable:
    check_size(path)
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
        if layer is None and len(layers) > 1:
            raise ImportRejected(
                str(path),
                [RowProblem(None, "--layer", f"文件有 {len(layers)} 个图层，请用 --layer 选一个 / "
                            f"the file has {len(layers)} layers ({', '.join(layers)}): "
                            "choose one with --layer")],
            )  # fmt: skip
        if layer is not None and layer not in layers:
            raise ImportRejected(
                str(path),
                [
                    RowProblem(
                        None,
                        "--layer",
                        f"没有图层 '{layer}' / no layer '{layer}' (layers: {', '.join(layers)})",
                    )
                ],
            )
        features = pyogrio.read_info(path, layer=layer)["features"]
        if features > files.MAX_ROWS:
            raise ImportRejected(
                str(path),
                [RowProblem(None, None, f"要素数 {features:,} 超过上限 {files.MAX_ROWS:,}，请分成"
                            f"几个文件 / {features:,} features: more than {files.MAX_ROWS:,}, "
                            "split the file")],
            )  # fmt: skip
        frame = pyogrio.read_dataframe(path, layer=layer, encoding=_shapefile_encoding(path))
    except ImportRejected:
        raise
    except Exception as error:  # GDAL's drivers raise many kinds for a damaged file
        raise ImportRejected(
            str(path),
            [RowProblem(None, None, f"无法读取这个文件（已损坏或格式不对）/ cannot read the file "
                        f"(damaged, or not {path.suffix.lstrip('.')}): {_first_line(error)}")],
        ) from None  # fmt: skip
    headers = [c for c in frame.columns if c != frame.geometry.name]
    columns, problems = map_columns(kind, headers)
    header_refused = bool(problems)
    values = {
        name: [cell_text(v) for v in frame[header].tolist()]
        for name, header in columns.fields.items()
        if name not in GEOMETRY_FIELDS
    }
    crs = CRS.from_user_input(frame.crs) if frame.crs is not None else None
    return SourceTable(
        path=path,
        format=path.suffix.lower().lstrip("."),
        rows=list(range(1, len(frame) + 1)),
        values=values,
        geometries=list(frame.geometry.values),
        crs=crs,
        columns=columns,
        geometry_from="file",
        problems=problems,
        header_refused=header_refused,
    )


def _shapefile_encoding(path: Path) -> str | None:
    """GB18030 for a Shapefile with no .cpg whose attributes are not UTF-8, else GDAL's choice.

    Chinese desktop GIS often writes the .dbf in the local code page and no .cpg, which GDAL
    would read as Latin-1 and turn every Chinese name into mojibake.
    """
    if path.suffix.lower() != ".shp":
        return None
    if any(path.with_suffix(s).exists() for s in (".cpg", ".CPG")):
        return None
    dbf = next(
        (path.with_suffix(s) for s in (".dbf", ".DBF") if path.with_suffix(s).exists()), None
    )
    if dbf is None:
        return None
    raw = dbf.read_bytes()
    header_length = int.from_bytes(raw[8:10], "little") if len(raw) >= 10 else len(raw)
    # Field names (11 bytes at the start of each 32-byte descriptor) and the records.
    names = b"".join(
        raw[start : start + 11].split(b"\0")[0] for start in range(32, header_length - 1, 32)
    )
    try:
        names.decode("utf-8")
        raw[header_length:].decode("utf-8")
    except UnicodeDecodeError:
        return "GB18030"
    return None


def _from_sheet(sheet: Sheet, kind: str) -> SourceTable:
    header_row, headers, rows, records = sheet.header_row, sheet.headers, sheet.rows, sheet.records
    columns, problems = map_columns(kind, headers, header_row)
    header_refused = bool(problems)
    position = {h: i for i, h in enumerate(headers)}
    raw = {
        name: [record[position[header]] for record in records]
        for name, header in columns.fields.items()
    }
    values: dict[str, list] = {}
    for name, cells in raw.items():
        if name in GEOMETRY_FIELDS:
            continue
        column = []
        for row, cell in zip(rows, cells, strict=True):
            column.append(_checked_cell(cell, row, columns.label(name), problems))
        values[name] = column
    geometries: list = [None] * len(rows)
    crs = None
    geometry_from = "none"
    if "wkt" in raw:
        geometry_from = "wkt"
        geometries, crs = _parse_wkt(raw["wkt"], rows, columns.label("wkt"), problems)
    elif "lon" in raw and "lat" in raw:
        geometry_from = "lonlat"
        geometries = _parse_points(raw["lon"], raw["lat"], rows, columns, problems)
    elif "location" in raw:
        geometry_from = "location"
        geometries = _parse_locations(raw["location"], rows, columns.label("location"), problems)
    elif "lon" in raw or "lat" in raw:
        present = "lon" if "lon" in raw else "lat"
        problems.append(
            RowProblem(header_row, columns.label(present), "经度和纬度两列要同时有 / "
                       "a longitude needs a latitude "
                       "column and the other way round (经度 + 纬度, or lon + lat)")
        )  # fmt: skip
    return SourceTable(
        path=sheet.path,
        format=sheet.format,
        rows=rows,
        values=values,
        geometries=geometries,
        crs=crs,
        columns=columns,
        geometry_from=geometry_from,
        problems=problems,
        header_row=header_row,
        header_refused=header_refused,
        skipped=dict(sheet.dropped),
    )


def _checked_cell(cell, row: int, label: str, problems: list[RowProblem]) -> str | None:
    if isinstance(cell, str) and cell.strip() in EXCEL_ERRORS:
        problems.append(
            RowProblem(
                row, label, f"单元格是公式错误 {cell} / the cell holds the spreadsheet error {cell}"
            )
        )
        return None
    if isinstance(cell, dt.datetime | dt.date | dt.time):
        problems.append(
            RowProblem(
                row,
                label,
                f"单元格是日期 ({cell})，请把该列设为文本 / the cell holds "
                f"a date ({cell}); format the column as text",
            )
        )
        return None
    return cell_text(cell)


def _parse_number(cell, row: int, label: str, problems: list[RowProblem]) -> float | None:
    text = _checked_cell(cell, row, label, problems)
    if text is None:
        return None
    try:
        number = float(text.replace("，", ".").replace("°", ""))
    except ValueError:
        problems.append(RowProblem(row, label, f"'{text}' 不是数字 / '{text}' is not a number"))
        return None
    if not math.isfinite(number):
        problems.append(
            RowProblem(row, label, f"'{text}' 不是有效数字 / '{text}' is not a finite number")
        )
        return None
    return number


def _parse_points(lons, lats, rows, columns: ColumnMap, problems) -> list:
    geometries = []
    for row, lon_cell, lat_cell in zip(rows, lons, lats, strict=True):
        lon = _parse_number(lon_cell, row, columns.label("lon"), problems)
        lat = _parse_number(lat_cell, row, columns.label("lat"), problems)
        geometries.append(None if lon is None or lat is None else shapely.Point(lon, lat))
    return geometries


def _parse_locations(cells, rows, label: str, problems) -> list:
    """Points from "lon,lat" cells, as web-map POI exports write them."""
    geometries = []
    for row, cell in zip(rows, cells, strict=True):
        text = _checked_cell(cell, row, label, problems)
        match = _PAIR.match(text) if text is not None else None
        if text is not None and match is None:
            problems.append(
                RowProblem(row, label, f"'{text}' 不是“经度,纬度” / not 'longitude,latitude' "
                           "(e.g. 103.60,34.71)")
            )  # fmt: skip
        geometries.append(
            shapely.Point(float(match.group(1)), float(match.group(2))) if match else None
        )
    return geometries


def _parse_wkt(cells, rows, label: str, problems) -> tuple[list, CRS | None]:
    geometries = []
    srids: set[int] = set()
    for row, cell in zip(rows, cells, strict=True):
        text = _checked_cell(cell, row, label, problems)
        if text is None:
            geometries.append(None)
            continue
        match = _EWKT.match(text)
        if match:
            srids.add(int(match.group(1)))
            text = match.group(2)
        try:
            geometries.append(shapely.from_wkt(text))
        except shapely.errors.GEOSException as error:
            problems.append(
                RowProblem(row, label, f"不是有效的 WKT / not valid WKT ({_first_line(error)})")
            )
            geometries.append(None)
    if len(srids) > 1:
        problems.append(
            RowProblem(
                None,
                label,
                f"各行的 SRID 不同 {sorted(srids)}，一个文件只能有一个坐标系 / "
                f"rows mix SRIDs {sorted(srids)}: one CRS per file",
            )
        )
    crs = CRS.from_epsg(srids.pop()) if len(srids) == 1 else None
    return geometries, crs


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:120]


def looks_scientific(text: str | None) -> bool:
    """True for a code mangled by a spreadsheet into scientific notation (6.23021E+11)."""
    return bool(text and _SCIENTIFIC.match(text))
