"""Dates and times as county offices write them, and the window a real record's time lies in.

Accepted (each with or without a time, the time with or without seconds):
``2026-11-06 14:20``, ``2026/11/6 14:20:05``, ``2026.11.06``, ``2026年11月6日 14:20``,
``2026年11月6日14时20分``, ``20261106``, ISO 8601 with a zone (``2026-11-06T14:20:00+08:00``),
and Excel serial day numbers (``46332``, ``46332.597`` — days since 1899-12-30, as a
spreadsheet stores a date whose cell format was lost).

A time outside :func:`plausible_window` (before :data:`EARLIEST`, or more than
:data:`FUTURE_SLACK` after now) is refused by the callers with the field named: a record
dated 0001-01-01 once broke the county's ranking and model.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

EARLIEST = dt.datetime(1990, 1, 1)
FUTURE_SLACK = dt.timedelta(days=1)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Serial numbers from 1990-01-01 (32874) to 2100-01-01 (73051) are read as Excel dates.
EXCEL_SERIALS = (32874.0, 73051.0)
ACCEPTED = "2026-11-06 14:20、2026/11/6、2026.11.06、2026年11月6日 14:20 或 Excel 日期"

_CHINESE = re.compile(
    r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})?\s*分?(?:\s*[:：]?\s*(\d{1,2})\s*秒?)?)?\s*$"
)
_DOTTED = re.compile(
    r"^\s*(\d{4})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{1,2})"
    r"(?:[\sT]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(?:\.\d+)?)?)?\s*$"
)
_COMPACT = re.compile(
    r"^\s*(\d{4})(\d{2})(\d{2})(?:\s*(\d{2})[:：]?(\d{2})(?:[:：]?(\d{2}))?)?\s*$"
)
_SERIAL = re.compile(r"^\s*\d{5}(?:\.\d+)?\s*$")


def _from_parts(match: re.Match) -> dt.datetime | None:
    year, month, day, hour, minute, second = (int(p) if p else 0 for p in match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def excel_serial(value: float) -> dt.datetime | None:
    """The date an Excel serial day number stands for (None outside 1990–2100)."""
    if not EXCEL_SERIALS[0] <= value < EXCEL_SERIALS[1]:
        return None
    moment = EXCEL_EPOCH + dt.timedelta(days=float(value))
    return moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))


def parse_datetime(value) -> dt.datetime | pd.Timestamp | None:
    """A cell as a date/time (naive when the text names no zone), or None if it is not one."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial(float(value)) if value == value else None
    text = str(value).strip()
    if not text:
        return None
    if _SERIAL.match(text):
        return excel_serial(float(text))
    for pattern in (_CHINESE, _DOTTED, _COMPACT):
        match = pattern.match(text)
        if match:
            return _from_parts(match)
    try:
        parsed = pd.Timestamp(text)
    except (ValueError, OverflowError):
        return None
    return None if pd.isna(parsed) else parsed


def plausible_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(earliest, latest) time a record may carry, judged at ``now`` (both naive UTC when
    ``now`` is aware)."""
    if now.tzinfo is not None:
        now = now.astimezone(dt.UTC).replace(tzinfo=None)
    return EARLIEST, now + FUTURE_SLACK
