"""Read a county's file into one shape: records, spreadsheet row numbers, geometries, CRS.

Row numbers are what the user sees: in CSV and Excel the header is row 1, so the first data
row is row 2 (blank rows still count, as in Excel); in GeoPackage, Shapefile and GeoJSON the
first feature is row 1 (the order of the QGIS attribute table).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio
import shapely
from pyproj import CRS

from core.errors import ImportRejected, RowProblem
from geo.places.columns import ColumnMap, map_columns

VECTOR_SUFFIXES = {".gpkg", ".shp", ".geojson", ".json", ".zip"}
TABLE_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
EXCEL_ERRORS = {"#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#SPILL!"}
_EWKT = re.compile(r"^\s*SRID=(\d+);(.*)$", re.IGNORECASE | re.DOTALL)
HEADER_SEARCH_ROWS = 10
_SCIENTIFIC = re.compile(r"^[0-9.]+[eE]\+?[0-9]+$")


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
    geometry_from: str  # "file", "wkt", "lonlat" or "none"
    problems: list[RowProblem] = field(default_factory=list)
    header_row: int | None = None
    header_refused: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    def value(self, field_name: str, index: int):
        """The raw value of ``field_name`` on record ``index`` (None when absent)."""
        column = self.values.get(field_name)
        return None if column is None else column[index]


def cell_text(value) -> str | None:
    """A cell as text: numbers without a spurious ``.0``, blanks as None."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, np.generic):
        return cell_text(value.item())
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    return text or None


def read_source(*, path: Path, kind: str, layer: str | None = None) -> SourceTable:
    """Read ``path`` (by its suffix) for import as ``kind``; raise ImportRejected if unreadable."""
    if not path.exists():
        raise ImportRejected(str(path), [RowProblem(None, None, "file not found")])
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _from_records(path, "xlsx", kind, *_split_header(kind, _read_excel(path, layer)))
    if suffix in TABLE_SUFFIXES:
        return _from_records(path, "csv", kind, *_split_header(kind, _read_csv(path)))
    if suffix in VECTOR_SUFFIXES:
        return _read_vector(path, kind, layer)
    raise ImportRejected(
        str(path),
        [RowProblem(None, None, f"unknown file type '{suffix}': use .gpkg, .shp, .geojson, "
                    ".csv or .xlsx")],
    )  # fmt: skip


def _read_vector(path: Path, kind: str, layer: str | None) -> SourceTable:
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
        if layer is None and len(layers) > 1:
            raise ImportRejected(
                str(path),
                [RowProblem(None, "--layer", f"the file has {len(layers)} layers "
                            f"({', '.join(layers)}): choose one with --layer")],
            )  # fmt: skip
        if layer is not None and layer not in layers:
            raise ImportRejected(
                str(path),
                [RowProblem(None, "--layer", f"no layer '{layer}' (layers: {', '.join(layers)})")],
            )
        frame = pyogrio.read_dataframe(path, layer=layer, encoding=_shapefile_encoding(path))
    except pyogrio.errors.DataSourceError as error:
        raise ImportRejected(str(path), [RowProblem(None, None, f"cannot read: {error}")]) from None
    headers = [c for c in frame.columns if c != frame.geometry.name]
    columns, problems = map_columns(kind, headers)
    header_refused = bool(problems)
    values = {
        name: [cell_text(v) for v in frame[header].tolist()]
        for name, header in columns.fields.items()
        if name not in ("lon", "lat", "wkt")
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
    try:
        raw[header_length:].decode("utf-8")
    except UnicodeDecodeError:
        return "GB18030"
    return None


def _read_csv(path: Path) -> list[tuple[int, list]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on a Chinese Windows saves "CSV" in the local code page.
        text = raw.decode("gb18030")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [
        (number, record)
        for number, record in enumerate(records, start=1)
        if any(cell.strip() for cell in record)
    ]


def _read_excel(path: Path, sheet: str | None) -> list[tuple[int, list]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected(
            str(path), [RowProblem(None, None, f"not a readable .xlsx workbook: {error}")]
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ImportRejected(
                str(path),
                [RowProblem(None, "--layer", f"no sheet '{sheet}' "
                            f"(sheets: {', '.join(book.sheetnames)})")],
            )  # fmt: skip
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        numbered = [
            (number, list(record))
            for number, record in enumerate(worksheet.iter_rows(values_only=True), start=1)
            if any(cell is not None and str(cell).strip() for cell in record)
        ]
    finally:
        book.close()
    return numbered


def _split_header(kind: str, numbered: list[tuple[int, list]]):
    """Headers, row numbers and records: the header is the first row that names known columns.

    Office spreadsheets often open with a title row (临潭县标准地址表) or two; the header is
    taken as the first of the top rows that maps the most columns. Row numbers stay the
    file's own, so they match what the spreadsheet shows.
    """
    if not numbered:
        return None, [], [], []
    best, best_count = 0, 0
    for index, (_, record) in enumerate(numbered[:HEADER_SEARCH_ROWS]):
        headers = [cell_text(c) or "" for c in record]
        count = len(map_columns(kind, headers)[0].fields)
        if count > best_count:
            best, best_count = index, count
    header_record = numbered[best][1]
    headers = [cell_text(c) or f"column {i + 1}" for i, c in enumerate(header_record)]
    rows, data = [], []
    for number, record in numbered[best + 1 :]:
        rows.append(number)
        data.append(record + [None] * (len(headers) - len(record)))
    return numbered[best][0], headers, rows, data


def _from_records(
    path: Path,
    fmt: str,
    kind: str,
    header_row: int | None,
    headers: list[str],
    rows: list[int],
    records: list[list],
) -> SourceTable:
    columns, problems = map_columns(kind, headers, header_row)
    header_refused = bool(problems)
    position = {h: i for i, h in enumerate(headers)}
    raw = {
        name: [record[position[header]] for record in records]
        for name, header in columns.fields.items()
    }
    values: dict[str, list] = {}
    for name, cells in raw.items():
        if name in ("lon", "lat", "wkt"):
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
    elif "lon" in raw or "lat" in raw:
        present = "lon" if "lon" in raw else "lat"
        problems.append(
            RowProblem(header_row, columns.label(present), "a longitude needs a latitude "
                       "column and the other way round (经度 + 纬度, or lon + lat)")
        )  # fmt: skip
    return SourceTable(
        path=path,
        format=fmt,
        rows=rows,
        values=values,
        geometries=geometries,
        crs=crs,
        columns=columns,
        geometry_from=geometry_from,
        problems=problems,
        header_row=header_row,
        header_refused=header_refused,
    )


def _checked_cell(cell, row: int, label: str, problems: list[RowProblem]) -> str | None:
    if isinstance(cell, str) and cell.strip() in EXCEL_ERRORS:
        problems.append(RowProblem(row, label, f"the cell holds the spreadsheet error {cell}"))
        return None
    if isinstance(cell, dt.datetime | dt.date | dt.time):
        problems.append(
            RowProblem(row, label, f"the cell holds a date ({cell}); format the column as text")
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
        problems.append(RowProblem(row, label, f"'{text}' is not a number"))
        return None
    if not math.isfinite(number):
        problems.append(RowProblem(row, label, f"'{text}' is not a finite number"))
        return None
    return number


def _parse_points(lons, lats, rows, columns: ColumnMap, problems) -> list:
    geometries = []
    for row, lon_cell, lat_cell in zip(rows, lons, lats, strict=True):
        lon = _parse_number(lon_cell, row, columns.label("lon"), problems)
        lat = _parse_number(lat_cell, row, columns.label("lat"), problems)
        geometries.append(None if lon is None or lat is None else shapely.Point(lon, lat))
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
            problems.append(RowProblem(row, label, f"not valid WKT ({_first_line(error)})"))
            geometries.append(None)
    if len(srids) > 1:
        problems.append(
            RowProblem(None, label, f"rows mix SRIDs {sorted(srids)}: one CRS per file")
        )
    crs = CRS.from_epsg(srids.pop()) if len(srids) == 1 else None
    return geometries, crs


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:120]


def looks_scientific(text: str | None) -> bool:
    """True for a code mangled by a spreadsheet into scientific notation (6.23021E+11)."""
    return bool(text and _SCIENTIFIC.match(text))
