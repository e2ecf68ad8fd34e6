"""What intake says about a refused file or row: Chinese first, the English beside it.

Each reason gives the value as written and what would be accepted; the row (as the spreadsheet
shows it) and the column (as the file names it) travel beside it in the
:class:`core.errors.RowProblem`, and every way out (``wangge ingest``, the API, the upload
preview) puts the three together.
"""

from __future__ import annotations

import difflib

from core import dates

# The Chinese name of each template field, as the template file heads its columns.
FIELD_LABELS = {
    "external_id": "编号", "reported_at": "受理时间", "observed_at": "发现时间",
    "category": "类别", "severity": "等级", "kind": "类型", "weight": "权重", "address": "地址",
    "lon": "经度", "lat": "纬度", "crs": "坐标系", "description": "简要情况", "source": "来源",
    "parties": "当事人",
}  # fmt: skip
CRS_ACCEPTED = "WGS84、CGCS2000、EPSG:4326、EPSG:4490 或 GCJ02（高德、腾讯）"
CRS_ACCEPTED_EN = "WGS84, CGCS2000, EPSG:4326, EPSG:4490 or GCJ02 (Amap, Tencent)"
DATE_EXAMPLES_EN = "e.g. 2026-11-06 14:20, 2026/11/6, 2026.11.06, 2026年11月6日 14:20"


def both(chinese: str, english: str) -> str:
    """One message: the Chinese, then the English beside it."""
    return f"{chinese} / {english}"


def missing_column(field: str, headers: dict[str, str]) -> str:
    """The file has no column for ``field``; ``headers`` maps accepted names to fields."""
    names = [name for name, target in headers.items() if target == field]
    accepted = "、".join(dict.fromkeys([*names, field]))
    return both(
        f"文件缺少“{FIELD_LABELS.get(field, field)}”列（列名可写 {accepted}）",
        f"the file has no {field} column (head it {', '.join(dict.fromkeys([*names, field]))})",
    )


def empty_id() -> str:
    """A row without its case number."""
    return both("编号为空：每行须填写本案的编号", "the external id is empty: give every row its id")


def repeated_id(value: str, first_row: int) -> str:
    """A case number already used by an earlier row of the same file."""
    return both(
        f"编号 '{value}' 与第 {first_row} 行重复：每行的编号须不同",
        f"external id '{value}' repeats row {first_row}: each row needs its own id",
    )


def empty_time(field: str) -> str:
    """A row without its time."""
    return both(
        f"{FIELD_LABELS[field]}为空：请填写，如 2026-11-06 14:20",
        f"{field} is empty: give the date and time, {DATE_EXAMPLES_EN}",
    )


def not_a_time(value) -> str:
    """A time cell that no accepted format reads."""
    return both(
        f"'{value}' 不是日期时间，可写 {dates.ACCEPTED}",
        f"'{value}' is not a date/time: write {DATE_EXAMPLES_EN} or an Excel date",
    )


def too_early(field: str, value, earliest) -> str:
    """A time before the plausible window (core.dates)."""
    return both(
        f"{FIELD_LABELS[field]} '{value}' 早于 {earliest:%Y-%m-%d}，不可能是真实记录，请核对",
        f"{field} '{value}' before {earliest:%Y-%m-%d} is not plausible: check the record",
    )


def in_the_future(field: str, value) -> str:
    """A time more than a day after now."""
    return both(
        f"{FIELD_LABELS[field]} '{value}' 晚于现在一天以上，请核对",
        f"{field} '{value}' is in the future (more than a day after now): check the record",
    )


def closest(value: str, labels: dict[str, str], limit: int = 3) -> list[str]:
    """The known codes closest to ``value`` as "label (code)": by spelling of the label or the
    code, then by characters in common with the label."""
    names = {label: code for code, label in labels.items()} | {code: code for code in labels}
    found = [names[m] for m in difflib.get_close_matches(value, names, n=limit, cutoff=0.3)]
    shared = sorted(
        (code for code, label in labels.items() if set(value) & set(label)),
        key=lambda code: -len(set(value) & set(labels[code])),
    )
    codes = list(dict.fromkeys([*found, *shared]))[:limit]
    return [f"{labels[code]} ({code})" for code in codes]


def unknown_code(field: str, value: str, labels: dict[str, str]) -> str:
    """A coded cell (category, severity, kind) that is neither a code nor a Chinese label."""
    near = closest(value, labels)
    near_zh = f"最接近的：{'、'.join(near)}；" if near else ""
    near_en = f"closest: {', '.join(near)}; " if near else ""
    allowed = "、".join(labels.values())
    allowed_en = ", ".join(f"{code} ({label})" for code, label in labels.items())
    name = FIELD_LABELS.get(field, field)
    return both(
        f"'{value}' 不是已知的{name}；{near_zh}可填：{allowed}",
        f"unknown {field} '{value}'; {near_en}use one of {allowed_en}",
    )


def bad_weight(value: str) -> str:
    """A weight that is not a number of at least 0."""
    return both(f"权重 '{value}' 不是大于或等于 0 的数", f"weight '{value}' is not a number >= 0")


def half_a_point(lon, lat) -> str:
    """Only one of longitude and latitude given."""
    shown = f"经度 '{lon or ''}'，纬度 '{lat or ''}'"
    return both(
        f"经度、纬度只填了一个（{shown}）：两个都填，或都不填而写地址",
        f"give both lon and lat or neither (lon '{lon or ''}', lat '{lat or ''}')",
    )


def no_location(address_column: str, lon_column: str, lat_column: str) -> str:
    """Neither an address nor a point."""
    return both(
        f"没有位置：请填写“{address_column}”，或“{lon_column}”和“{lat_column}”",
        f"no location: give the address ({address_column}) or lon/lat ({lon_column}, {lat_column})",
    )


def swapped(lon, lat) -> str:
    """Longitude and latitude the wrong way round."""
    return both(
        f"经纬度像是填反了（经度 '{lon}'，纬度 '{lat}'）：中国的纬度不会大于 70，请互换两列",
        f"lon/lat look swapped (lon '{lon}', lat '{lat}'; latitude > 70): swap them",
    )


def out_of_range(lon, lat) -> str:
    """A point off the globe."""
    return both(
        f"经纬度超出范围（经度 '{lon}'，纬度 '{lat}'）：经度须在 -180 到 180 之间，纬度 -90 到 90",
        f"lon/lat out of range (lon '{lon}', lat '{lat}'): -180..180, -90..90",
    )


def unknown_crs(value) -> str:
    """A coordinate system intake does not convert from."""
    return both(
        f"坐标系 '{value}' 无法识别，可写 {CRS_ACCEPTED}",
        f"unknown crs '{value}'; use {CRS_ACCEPTED_EN}",
    )


def no_county() -> str:
    """A row that lands on no grid while no county was named."""
    return both(
        "无法判断所属县：位置不在任何网格内；请用 --county 指明县，或改正地址、经纬度",
        "cannot tell the county: the location is on no grid; name it (--county) or correct "
        "the address or lon/lat",
    )


SKIPPED_KINDS = {"title": "标题 title", "totals": "合计 totals", "footer": "落款/注 footer"}


def skipped_rows(rows: dict[int, str]) -> str:
    """The rows the reader left out (title, totals, footer), each with its kind."""
    listed = ", ".join(f"{row} ({SKIPPED_KINDS.get(kind, kind)})" for row, kind in rows.items())
    return f"跳过的行 / rows skipped: {listed}"
