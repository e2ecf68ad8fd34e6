"""Reading the tabular files a county office sends: one reader for every importer.

Offices send CSV saved by Excel on a Chinese Windows (GBK/GB18030), UTF-8 with or without a
BOM, or .xlsx workbooks shaped for printing: a merged title row (临潭县矛盾纠纷排查化解台账
（2026年11月）), sometimes a second sub-title or 填报单位 line, the header row, the data, a
合计/总计 row, blank rows and a 填报人/审核人 footer. :func:`read_table` takes such a file
apart the same way for every importer:

- the encoding of a CSV is detected (UTF-8 with or without BOM, UTF-16 with BOM, GB18030);
- the header is the row, among the first :data:`HEADER_SEARCH_ROWS` non-blank ones, naming
  the most of the importer's known column names (compared by :func:`normalise_header`);
  rows above it are titles and are dropped;
- blank rows, totals rows (合计, 总计, 小计) and sign-off footers below it are dropped;
- every record keeps its row number as the spreadsheet shows it (1-based, title and blank
  rows counted), so a message can name the row the clerk has to fix.

Cells keep their type (an .xlsx gives numbers and dates; a CSV gives text); :func:`cell_text`
turns one into text. Geometry files (.shp, .gpkg, .geojson) are not tables: each importer
reads them with pyogrio.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import ImportRejected, RowProblem

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
TABLE_SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES
HEADER_SEARCH_ROWS = 20
# Limits of one file, checked before it is parsed: a bigger table is split, or loaded from a
# GeoPackage. 50 MB of CSV is about 300,000 ledger rows.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
TOTALS_LABELS = {"合计", "总计", "小计", "总合计"}
_FOOTER = re.compile(
    r"^(填报人|填表人|制表人|审核人|审批人|负责人|单位负责人|分管领导|联系人|"
    r"填报日期|填表日期|制表日期|审核日期|报送日期)\s*[:：]?"
    r"|^(注|备注|说明)\s*[:：]"
)
_STRIP = re.compile(r"[\s_\-.·]+")
_LABEL_PUNCTUATION = re.compile(r"[\s:：]+")


@dataclass
class Sheet:
    """A table read from a file: its header, its records and each record's row number."""

    path: Path
    format: str  # "csv" or "xlsx"
    header_row: int | None  # None for a file with no non-blank row
    headers: list[str]
    rows: list[int]
    records: list[list]  # one list of cells per record, as long as ``headers``
    encoding: str | None = None
    dropped: dict[int, str] = field(default_factory=dict)  # row → "title", "totals", "footer"

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, header: str) -> list:
        """The cells under ``header`` (the first column so named), one per record."""
        index = self.headers.index(header)
        return [record[index] for record in self.records]

    def text_frame(self, index_name: str = "row") -> pd.DataFrame:
        """The records as text cells (:func:`cell_text`; blanks None), indexed by their row
        numbers; a header used twice is told apart as pandas does (备注, 备注.1, …)."""
        cells = [[cell_text(cell) for cell in record] for record in self.records]
        index = pd.Index(self.rows, name=index_name, dtype="int64")
        return pd.DataFrame(cells, columns=_unique(self.headers), index=index, dtype=object)


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for header in headers:
        count = seen.get(header, 0)
        seen[header] = count + 1
        unique.append(header if count == 0 else f"{header}.{count}")
    return unique


def normalise_header(header) -> str:
    """Header text as matched against accepted names: lower case, no spaces, _ - . or ·,
    full-width brackets made half-width."""
    text = str(header).strip().lower().replace("（", "(").replace("）", ")")
    return _STRIP.sub("", text)


def cell_text(value) -> str | None:
    """A cell as text: numbers without a spurious ``.0``, blanks as None."""
    if type(value) is str:  # every CSV cell and most spreadsheet cells
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, np.generic):
        return cell_text(value.item())
    if isinstance(value, bool | int):
        return str(value)
    text = str(value).strip()
    return text or None


def read_table(path: str | Path, *, known: Iterable[str], sheet: str | None = None) -> Sheet:
    """Read a CSV or .xlsx file whose header names some of ``known`` (the accepted column
    names and aliases); ``sheet`` picks a worksheet (default: the first).

    Raises :class:`ImportRejected` when the file is missing, of an unknown type, or cannot
    be read.
    """
    path = Path(path)
    if not path.exists():
        raise _refused(path, None, f"找不到文件 / file not found: {path}")
    suffix = path.suffix.lower()
    check_size(path)
    if suffix in CSV_SUFFIXES:
        numbered, encoding = _read_csv(path)
        return _split(path, "csv", numbered, known, encoding)
    if suffix in EXCEL_SUFFIXES:
        return _split(path, "xlsx", _read_excel(path, sheet), known, None)
    if suffix == ".xls":
        raise _refused(
            path, None, "旧版 .xls 工作簿无法读取，请在 Excel 中另存为 .xlsx / "
            "the old .xls format is not read: save the workbook as .xlsx"
        )  # fmt: skip
    raise _refused(
        path, None, f"不支持的文件类型 '{suffix}'，请用 .csv 或 .xlsx / "
        f"unknown file type '{suffix}': use .csv or .xlsx"
    )  # fmt: skip


def is_table(path: str | Path) -> bool:
    """True for a file :func:`read_table` reads (by its suffix)."""
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def _refused(path: Path, field_name: str | None, reason: str) -> ImportRejected:
    return ImportRejected(str(path), [RowProblem(None, field_name, reason)])


def check_size(path: Path) -> None:
    """Refuse an empty file or one over :data:`MAX_FILE_BYTES` before reading it."""
    size = path.stat().st_size
    if size == 0:
        raise _refused(path, None, "文件是空的（0 字节）/ the file is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        given, limit = f"{size / 2**20:.1f} MB", f"{MAX_FILE_BYTES / 2**20:g} MB"
        raise _refused(
            path, None, f"文件太大：{given}，上限 {limit}，请分成几个文件 / the file is too large "
            f"({given}; the limit is {limit}): split it into several files"
        )  # fmt: skip


def _too_many_rows(path: Path) -> ImportRejected:
    return _refused(
        path, None, f"行数超过上限 {MAX_ROWS:,}，请分成几个文件 / more than {MAX_ROWS:,} rows: "
        "split the file"
    )  # fmt: skip


def looks_binary(raw: bytes) -> bool:
    """True for bytes that are no text file in any encoding read here (NUL bytes without a
    UTF-16 pattern, or mostly control characters): an image, a zip, a damaged file."""
    sample = raw[:4096]
    if not sample or sample.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(sample):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls > len(sample) * 0.05


def _utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when every other byte of the sample is NUL (ASCII in UTF-16)."""
    if len(sample) < 4:
        return None
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode(raw: bytes) -> tuple[str, str]:
    """Text and encoding of a CSV's bytes: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030.

    Excel on a Chinese Windows saves "CSV" in the local code page (GBK, a subset of
    GB18030) and "Unicode text" as UTF-16 with a BOM.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    bare16 = _utf16_without_bom(raw[:4096])
    if bare16:
        return raw.decode(bare16, errors="replace"), bare16
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace"), "gb18030"


def _delimiter(text: str, suffix: str) -> str:
    """The delimiter giving the widest typical row among the first lines (a title row
    above the header has no delimiter, or only trailing ones)."""
    if suffix == ".tsv":
        return "\t"
    sample = text.splitlines()[:HEADER_SEARCH_ROWS]
    best, best_width = ",", 1
    for delimiter in (",", "\t", ";", "|"):
        try:
            widths = [len(r) for r in csv.reader(sample, delimiter=delimiter) if r]
        except csv.Error:  # an over-long cell: the full read reports it with its row
            widths = []
        width = max(set(widths), key=widths.count) if widths else 1
        if width > best_width:
            best, best_width = delimiter, width
    return best


def _read_csv(path: Path) -> tuple[list[tuple[int, list]], str]:
    raw = path.read_bytes()
    if looks_binary(raw):
        raise _refused(
            path, None, "这不是文本表格（文件含二进制内容，可能已损坏或不是 CSV）/ not a text "
            "table: the file holds binary data (damaged, or not a CSV); save it from Excel as CSV"
        )  # fmt: skip
    text, encoding = decode(raw)
    if "\ufffd" in text[:20000] and encoding == "gb18030":
        raise _refused(
            path, None, "无法识别文件编码（不是 UTF-8、UTF-16 或 GBK/GB18030）/ unknown text "
            "encoding (not UTF-8, UTF-16 or GBK/GB18030): save the file as CSV UTF-8 in Excel"
        )  # fmt: skip
    delimiter = _delimiter(text, path.suffix.lower())
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered = []
    try:
        for number, record in enumerate(records, start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many_rows(path)
            numbered.append((number, record))
    except csv.Error as error:
        line = len(numbered) + 1
        if "field larger" in str(error):
            reason = (
                f"第 {line} 行有一个单元格超过 {csv.field_size_limit():,} 个字符 / a cell on row "
                f"{line} is longer than {csv.field_size_limit():,} characters"
            )
        else:
            reason = f"CSV 格式错误（第 {line} 行）/ malformed CSV at row {line}: {error}"
        raise _refused(path, None, reason) from None
    return numbered, encoding


def _read_excel(path: Path, sheet: str | None) -> list[tuple[int, list]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _refused(
            path,
            None,
            "无法打开这个 .xlsx 工作簿（已损坏，或不是 Excel 文件） / not a readable "
            f".xlsx workbook (damaged, or not an Excel file): {type(error).__name__}",
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise _refused(
                path, "--layer", f"没有工作表 '{sheet}' / no sheet '{sheet}' "
                f"(sheets: {', '.join(book.sheetnames)})"
            )  # fmt: skip
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        worksheet.reset_dimensions()  # some programs write a wrong sheet size
        numbered = []
        for number, record in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many_rows(path)
            numbered.append((number, list(record)))
    except ImportRejected:
        raise
    except Exception as error:  # a truncated or damaged sheet part fails only when read
        raise _refused(
            path, None, f"工作簿已损坏，无法读完 / the workbook is damaged and cannot be read "
            f"to the end: {type(error).__name__}"
        ) from None  # fmt: skip
    finally:
        book.close()
    return numbered


def _blank(record: list) -> bool:
    return all(cell_text(cell) is None for cell in record)


def _label(cell) -> str:
    return _LABEL_PUNCTUATION.sub("", cell_text(cell) or "")


def is_totals(record: list) -> bool:
    """True for a 合计/总计/小计 row (a cell holding only that word, spaces or colon aside)."""
    return any(_label(cell) in TOTALS_LABELS for cell in record)


def is_footer(record: list) -> bool:
    """True for a sign-off line (填报人：…  审核人：…) or a note (注：…) below the data."""
    first = next((cell_text(c) for c in record if cell_text(c) is not None), None)
    return first is not None and bool(_FOOTER.match(first))


def row_kind(record: list) -> str | None:
    """``"blank"``, ``"totals"`` or ``"footer"`` for a row below the header that holds no
    record; None for a data row. Called once per row: it stops at the first filled cell and
    looks for 合计/总计/小计 only in rows whose text holds 计."""
    first = next((text for text in map(cell_text, record) if text is not None), None)
    if first is None:
        return "blank"
    if "计" in "".join(cell for cell in record if type(cell) is str) and is_totals(record):
        return "totals"
    if _FOOTER.match(first):
        return "footer"
    return None


def find_header(numbered: list[tuple[int, list]], known: Iterable[str]) -> int | None:
    """Index in ``numbered`` of the header: the first of the top non-blank rows naming the
    most known columns, or the first non-blank row when none names any."""
    names = {normalise_header(name) for name in known}
    best, best_count = None, 0
    seen = 0
    for index, (_, record) in enumerate(numbered):
        if _blank(record):
            continue
        if best is None:
            best = index
        count = len({normalise_header(cell_text(c)) for c in record if cell_text(c)} & names)
        if count > best_count:
            best, best_count = index, count
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return best


def _split(
    path: Path,
    fmt: str,
    numbered: list[tuple[int, list]],
    known: Iterable[str],
    encoding: str | None,
) -> Sheet:
    header_index = find_header(numbered, known)
    if header_index is None:
        return Sheet(path, fmt, None, [], [], [], encoding)
    header_row, header_record = numbered[header_index]
    dropped = {n: "title" for n, r in numbered[:header_index] if not _blank(r)}
    width = max(
        [len(header_record)] + [len(r) for _, r in numbered[header_index + 1 :] if not _blank(r)]
    )
    headers = [cell_text(c) or f"column {i + 1}" for i, c in enumerate(header_record)]
    headers += [f"column {i + 1}" for i in range(len(headers), width)]
    rows, records = [], []
    for number, record in numbered[header_index + 1 :]:
        kind = row_kind(record)
        if kind is None:
            rows.append(number)
            records.append(record + [None] * (width - len(record)))
        elif kind != "blank":
            dropped[number] = kind
    return Sheet(path, fmt, header_row, headers, rows, records, encoding, dropped)
