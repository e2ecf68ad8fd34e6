"""The intake file template: column names (English and the Chinese a clerk's sheet uses),
coded values (codes or Chinese labels) and the row checks, done column-wise for speed.

A row is rejected for a reason a person can fix (missing external id, unreadable time,
unknown category, no location at all, coordinates out of range or swapped); every other
row goes on. Rows are numbered as the spreadsheet shows them: a frame read from a file is
indexed by its row numbers (:data:`ROW_INDEX`, title rows counted); records with no such
index (JSON from the API) are numbered as a sheet whose header is row 1, the first record
row 2.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core import dates, vocab
from core.crs import gcj02_to_wgs84
from core.errors import InvalidRequest, RowProblem
from geo.disputes import intake_messages as say
from geo.files import normalise_header

# Reported times without a zone are Beijing time (the clerk's wall clock).
LOCAL_ZONE = "Asia/Shanghai"
FIRST_DATA_ROW = 2
# Name of a frame's index holding each record's spreadsheet row number.
ROW_INDEX = "spreadsheet_row"

COMMON_HEADERS = {
    "编号": "external_id",
    "案件编号": "external_id",
    "id": "external_id",
    "地址": "address",
    "发生地点": "address",
    "location": "address",
    "location_text": "address",
    "经度": "lon",
    "纬度": "lat",
    "longitude": "lon",
    "latitude": "lat",
    "lng": "lon",
    "坐标系": "crs",
    "简要情况": "description",
    "情况描述": "description",
    "来源": "source",
}
DISPUTE_HEADERS = {
    **COMMON_HEADERS,
    "受理时间": "reported_at",
    "登记时间": "reported_at",
    "类别": "category",
    "纠纷类别": "category",
    "等级": "severity",
    "级别": "severity",
    "当事人": "parties",
}
SIGNAL_HEADERS = {
    **COMMON_HEADERS,
    "发现时间": "observed_at",
    "上报时间": "observed_at",
    "发生时间": "observed_at",
    "类型": "kind",
    "类别": "kind",
    "权重": "weight",
}


@dataclass(frozen=True)
class Template:
    """What one kind of intake file must and may hold."""

    kind: str
    time_column: str
    code_columns: dict[str, dict[str, str]]
    defaults: dict[str, str]
    headers: dict[str, str]


DISPUTES = Template(
    kind="disputes",
    time_column="reported_at",
    code_columns={"category": vocab.DISPUTE_CATEGORIES, "severity": vocab.DISPUTE_SEVERITIES},
    defaults={"severity": "minor"},
    headers=DISPUTE_HEADERS,
)
SIGNALS = Template(
    kind="signals",
    time_column="observed_at",
    code_columns={"kind": vocab.SIGNAL_KINDS},
    defaults={},
    headers=SIGNAL_HEADERS,
)
TEMPLATES = {"disputes": DISPUTES, "signals": SIGNALS}

CRS_NAMES = {
    "": "wgs84",
    "wgs84": "wgs84",
    "epsg:4326": "wgs84",
    "4326": "wgs84",
    "cgcs2000": "wgs84",
    "epsg:4490": "wgs84",
    "gcj02": "gcj02",
    "gcj-02": "gcj02",
}


@dataclass
class Checked:
    """Rows that passed, in file order, and the problems of those that did not."""

    rows: pd.DataFrame
    problems: list[RowProblem] = field(default_factory=list)


FIELDS = {
    "disputes": ("external_id", "reported_at", "category", "severity", "address", "lon", "lat",
                 "crs", "description", "source", "parties"),
    "signals": ("external_id", "observed_at", "kind", "weight", "address", "lon", "lat", "crs",
                "description", "source"),
}  # fmt: skip


def known_headers(kind: str | None = None) -> list[str]:
    """Every column name accepted in an intake file of ``kind`` (both kinds when None)."""
    kinds = [kind] if kind is not None else list(TEMPLATES)
    return [
        name for k in kinds for name in (*TEMPLATES[k].headers, *FIELDS[k])
    ]  # fmt: skip


def _header_mapping(frame: pd.DataFrame, template: Template) -> dict:
    lookup = {normalise_header(name): name for name in FIELDS[template.kind]}
    lookup |= {normalise_header(header): name for header, name in template.headers.items()}
    mapping = {}
    for column in frame.columns:
        key = str(column).strip()
        mapping[column] = lookup.get(normalise_header(key), key.lower())
    return mapping


def rename_headers(frame: pd.DataFrame, template: Template) -> pd.DataFrame:
    """English column names for a frame whose headers may be Chinese, mixed case or spaced
    (compared as :func:`geo.files.normalise_header` does)."""
    return frame.rename(columns=_header_mapping(frame, template))


def written_headers(frame: pd.DataFrame, template: Template) -> dict[str, str]:
    """Each English field of ``frame`` (headers not yet renamed) with its column as the file
    writes it, for messages; the first column wins when two name one field."""
    written: dict[str, str] = {}
    for column, english in _header_mapping(frame, template).items():
        written.setdefault(english, str(column).strip())
    return written


def row_numbers(frame: pd.DataFrame) -> np.ndarray:
    """Each record's row number as the spreadsheet shows it (see the module docstring)."""
    if frame.index.name == ROW_INDEX:
        return frame.index.to_numpy(dtype=np.int64)
    return np.arange(len(frame)) + FIRST_DATA_ROW


def _code_lookup(labels: dict[str, str]) -> dict[str, str]:
    lookup = {code: code for code in labels}
    for code, label in labels.items():
        lookup[label] = code
        if label.endswith("纠纷") and len(label) > 2:
            lookup[label[: -len("纠纷")]] = code
    return lookup


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().replace("", pd.NA)


def _moment(value) -> pd.Timestamp:
    parsed = dates.parse_datetime(value)
    if parsed is None:
        return pd.NaT
    stamp = pd.Timestamp(parsed)
    if stamp.tzinfo is None:
        return stamp.tz_localize(LOCAL_ZONE, ambiguous="NaT", nonexistent="NaT")
    return stamp.tz_convert(LOCAL_ZONE)


def _times(series: pd.Series) -> pd.Series:
    """Each cell as a zoned time (Beijing time unless it names a zone); NaT where the cell
    is empty or not a date (the formats of :mod:`core.dates`)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        parsed = series.dt.floor("us")  # PostgreSQL keeps microseconds
        if parsed.dt.tz is None:
            return parsed.dt.tz_localize(LOCAL_ZONE, ambiguous="NaT", nonexistent="NaT")
        return parsed
    cells = series.astype(object).where(series.notna(), None).tolist()
    stamps = [_moment(cell) for cell in cells]
    parsed = pd.to_datetime(pd.Series(stamps, index=series.index, dtype=object), utc=True)
    return parsed.dt.tz_convert(LOCAL_ZONE).dt.floor("us")


def _shown(frame: pd.DataFrame, column: str) -> list:
    """The cells of ``column`` as written (None where blank or absent), for messages."""
    if column not in frame:
        return [None] * len(frame)
    return frame[column].astype(object).where(frame[column].notna(), None).tolist()


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[column], errors="coerce")


def _parties(value) -> list[dict]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, list):
        return [p if isinstance(p, dict) else {"name": str(p)} for p in value]
    text = str(value).strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            return _parties(json.loads(text))
        except json.JSONDecodeError:
            pass
    return [{"name": name.strip()} for name in text.replace("；", ";").split(";") if name.strip()]


def check(
    frame: pd.DataFrame,
    template: Template,
    *,
    crs: str | None = None,
    now: dt.datetime,
    written: dict[str, str] | None = None,
) -> Checked:
    """Validate and normalise an intake frame (headers already renamed); ``written`` gives
    the columns as the file names them (:func:`written_headers`) for the messages."""
    written = written or {}

    def as_written(name: str) -> str:
        return written.get(name, say.FIELD_LABELS.get(name, name))

    problems: list[RowProblem] = []
    numbers = row_numbers(frame)
    rows = frame.reset_index(drop=True)
    rownum = pd.Series(numbers, index=rows.index)
    bad = pd.Series(False, index=rows.index)

    def reject(mask: pd.Series, column: str, reason) -> None:
        nonlocal bad
        fresh = mask & ~bad
        for index in np.flatnonzero(fresh.to_numpy()):
            text = reason(index) if callable(reason) else reason
            problems.append(RowProblem(int(rownum.iloc[index]), column, text))
        bad = bad | fresh

    if "external_id" not in rows:
        raise InvalidRequest(say.missing_column("external_id", template.headers))
    external = _text(rows["external_id"])
    reject(external.isna(), "external_id", say.empty_id())
    first_row = {}
    repeated = pd.Series(False, index=rows.index)
    for index, value in enumerate(external.tolist()):
        if value is pd.NA or bad.iloc[index]:
            continue
        if value in first_row:
            repeated.iloc[index] = True
        else:
            first_row[value] = int(numbers[index])
    reject(
        repeated,
        "external_id",
        lambda i: say.repeated_id(external.iloc[i], first_row[external.iloc[i]]),
    )

    time_column = template.time_column
    if time_column not in rows:
        raise InvalidRequest(say.missing_column(time_column, template.headers))
    given_time = rows[time_column]
    times = _times(given_time)
    shown = given_time.astype(object).where(given_time.notna(), None).tolist()
    empty = pd.Series([cell is None or not str(cell).strip() for cell in shown], index=rows.index)
    reject(empty, time_column, say.empty_time(time_column))
    reject(times.isna(), time_column, lambda i: say.not_a_time(shown[i]))
    earliest, latest = dates.plausible_window(now)
    earliest_at = pd.Timestamp(earliest).tz_localize(LOCAL_ZONE)
    latest_at = pd.Timestamp(latest).tz_localize("UTC")
    reject(
        times < earliest_at, time_column, lambda i: say.too_early(time_column, shown[i], earliest)
    )
    reject(times > latest_at, time_column, lambda i: say.in_the_future(time_column, shown[i]))

    coded = {}
    for column, labels in template.code_columns.items():
        lookup = _code_lookup(labels)
        if column not in rows:
            if column in template.defaults:
                coded[column] = pd.Series(template.defaults[column], index=rows.index)
                continue
            raise InvalidRequest(say.missing_column(column, template.headers))
        given = _text(rows[column])
        if column in template.defaults:
            given = given.fillna(template.defaults[column])
        values = given.map(lookup)
        reject(
            values.isna(),
            column,
            lambda i, g=given, c=column, k=labels: say.unknown_code(c, g.iloc[i], k),
        )
        coded[column] = values

    if template is SIGNALS and "weight" in rows:
        given_weight = _text(rows["weight"])
        weight = pd.to_numeric(given_weight, errors="coerce")
        reject(
            given_weight.notna() & ~(weight >= 0),
            "weight",
            lambda i: say.bad_weight(given_weight.iloc[i]),
        )

    lon, lat = _numbers(rows, "lon"), _numbers(rows, "lat")
    address = _text(rows["address"]) if "address" in rows else pd.Series(pd.NA, index=rows.index)
    has_point = lon.notna() & lat.notna()
    given_lon, given_lat = _shown(rows, "lon"), _shown(rows, "lat")
    reject(
        (lon.notna() ^ lat.notna()),
        "lon" if "lon" in rows else "lat",
        lambda i: say.half_a_point(given_lon[i], given_lat[i]),
    )
    reject(
        ~has_point & address.isna(),
        "address",
        say.no_location(as_written("address"), as_written("lon"), as_written("lat")),
    )
    swapped = has_point & lon.between(-90, 90) & lat.between(70, 140)
    reject(swapped, "lon", lambda i: say.swapped(given_lon[i], given_lat[i]))
    out_of_range = has_point & ~(lon.between(-180, 180) & lat.between(-90, 90))
    reject(out_of_range, "lon", lambda i: say.out_of_range(given_lon[i], given_lat[i]))

    crs_column = _text(rows["crs"]).str.lower() if "crs" in rows else None
    datum = (
        crs_column.fillna(crs or "").map(CRS_NAMES)
        if crs_column is not None
        else pd.Series(CRS_NAMES.get((crs or "").lower()), index=rows.index)
    )
    if datum.isna().all() and crs:
        raise InvalidRequest(say.unknown_crs(crs))
    given_crs = _shown(rows, "crs")
    reject(has_point & datum.isna(), "crs", lambda i: say.unknown_crs(given_crs[i] or crs))

    good = ~bad
    out = pd.DataFrame(
        {
            "row": rownum[good],
            "external_id": external[good].astype(object),
            time_column: times[good],
            "address": address[good].astype(object),
            "lon": lon[good].astype(float),
            "lat": lat[good].astype(float),
            "description": _text(rows["description"])[good].astype(object)
            if "description" in rows
            else None,
            "source": _text(rows["source"])[good].astype(object) if "source" in rows else None,
        }
    )
    for column, values in coded.items():
        out[column] = values[good].astype(object)
    if template is SIGNALS:
        weight = _numbers(rows, "weight")[good]
        out["weight"] = weight.where(weight >= 0).fillna(1.0)
    if template is DISPUTES:
        parties = rows["parties"] if "parties" in rows else pd.Series(None, index=rows.index)
        out["parties"] = [_parties(p) for p in parties[good]]
    gcj = (datum[good] == "gcj02") & out["lon"].notna()
    if gcj.any():
        wgs_lon, wgs_lat = gcj02_to_wgs84(out.loc[gcj, "lon"], out.loc[gcj, "lat"])
        out.loc[gcj, "lon"], out.loc[gcj, "lat"] = wgs_lon, wgs_lat
    problems.sort(key=lambda p: p.row or 0)
    return Checked(out.reset_index(drop=True), problems)
