"""The working-day calendar (工作日历): loading a holiday file and reading a county's calendar.

A file lists the days that differ from the plain week, one a row: 日期 (``day``), 类型
(``kind``: 法定节假日 / 放假 / 休 / holiday, or 调休上班 / 上班 / 班 / workday), optionally 名称
(``name``) and 日历 (``calendar``: ``national`` or a county code; ``--calendar`` sets it for the
whole file). It is read by the shared reader (:func:`geo.files.read_table`), so a clerk's CSV
or .xlsx with a title row works. Loading is all or nothing: every bad row is listed and nothing
is written; a day already stored in that calendar is replaced. A county's calendar is the
national one with the county's own days laid over it (:func:`work_calendar`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from core.dates import parse_datetime
from core.errors import ImportRejected, RowProblem
from core.limits import WorkCalendar, deadline_for
from geo import files
from geo.database.sqlfiles import sql

NATIONAL = "national"
COLUMNS = {
    "day": ("day", "date", "日期", "日子"),
    "kind": ("kind", "type", "类型", "类别", "性质"),
    "name": ("name", "名称", "节日", "假日名称", "备注"),
    "calendar": ("calendar", "日历"),
}
KIND_WORDS = {
    "holiday": ("holiday", "法定节假日", "节假日", "放假", "休", "休息", "假"),
    "workday": ("workday", "调休上班", "调休", "上班", "班", "补班"),
}

BAD_KIND = "类型应为 法定节假日 或 调休上班 / kind must be holiday or workday"
BAD_CALENDAR = "日历应为 national 或六位县代码 / calendar must be national or a 6-digit county code"


@dataclass(frozen=True)
class CalendarLoad:
    """What a load wrote: days per kind, the calendars touched and the years covered."""

    holidays: int
    workdays: int
    calendars: tuple[str, ...]
    years: tuple[int, ...]


def _kind(text: str | None) -> str | None:
    word = (text or "").strip().lower()
    return next((kind for kind, words in KIND_WORDS.items() if word in words), None)


def _calendar_code(text: str | None, default: str) -> str | None:
    code = (text or default).strip()
    if code == NATIONAL or (len(code) == 6 and code.isdigit()):
        return code
    return None


def read_days(path: str | Path, *, calendar: str = NATIONAL) -> list[dict]:
    """The days of a holiday file, checked; :class:`ImportRejected` lists every bad row."""
    known = [name for names in COLUMNS.values() for name in names]
    sheet = files.read_table(path, known=known)
    normal = {files.normalise_header(h): h for h in sheet.headers}
    found = {
        key: next((normal[n] for n in map(files.normalise_header, names) if n in normal), None)
        for key, names in COLUMNS.items()
    }
    problems: list[RowProblem] = []
    for key in ("day", "kind"):
        if found[key] is None:
            wanted = " / ".join(COLUMNS[key])
            problems.append(RowProblem(None, key, f"缺少列 missing column: {wanted}"))
    if problems:
        raise ImportRejected(str(path), problems)
    frame = sheet.text_frame()
    days: list[dict] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for row, record in frame.iterrows():
        when = parse_datetime(record[found["day"]])
        kind = _kind(record[found["kind"]])
        code = _calendar_code(record[found["calendar"]] if found["calendar"] else None, calendar)
        if when is None:
            problems.append(RowProblem(row, "day", "日期无法识别 / not a date"))
        if kind is None:
            problems.append(RowProblem(row, "kind", BAD_KIND))
        if code is None:
            problems.append(RowProblem(row, "calendar", BAD_CALENDAR))
        if when is None or kind is None or code is None:
            continue
        day = when.date()
        if (code, day) in seen:
            first = seen[(code, day)]
            twice = f"日期重复（第 {first} 行）/ the day is listed twice (row {first})"
            problems.append(RowProblem(row, "day", twice))
            continue
        seen[(code, day)] = row
        name = record[found["name"]] if found["name"] else None
        days.append({"calendar": code, "day": day, "kind": kind, "name": name})
    if problems:
        raise ImportRejected(str(path), problems)
    return days


def store_days(*, session: Session, days: list[dict]) -> CalendarLoad:
    """Write ``days`` (as :func:`read_days` returns them), replacing a day already stored."""
    for day in days:
        session.execute(sql("calendar_day_upsert"), day)
    return CalendarLoad(
        holidays=sum(d["kind"] == "holiday" for d in days),
        workdays=sum(d["kind"] == "workday" for d in days),
        calendars=tuple(sorted({d["calendar"] for d in days})),
        years=tuple(sorted({d["day"].year for d in days})),
    )


def load_holidays(*, session: Session, path: str | Path, calendar: str = NATIONAL) -> CalendarLoad:
    """Read and store a holiday file (all or nothing)."""
    return store_days(session=session, days=read_days(path, calendar=calendar))


def work_calendar(*, session: Session, county: str | None) -> WorkCalendar:
    """The working calendar of ``county``: the national days, the county's own over them."""
    rows = session.execute(sql("calendar_days"), {"county": county}).all()
    return WorkCalendar.from_days((row.day, row.kind) for row in rows)


def years_loaded(*, session: Session, county: str | None = None) -> list[int]:
    """The years for which the calendar of ``county`` (or the national one) holds any day."""
    return sorted({day.year for day in work_calendar(session=session, county=county).holidays})


def deadlines_for(*, session: Session, categories, severities, reported_at, counties) -> pd.Series:
    """The deadline of each new case (:func:`core.limits.deadline_for`) on its county's
    working calendar; the arguments are equally long columns, the result keeps their order."""
    calendars: dict[str | None, WorkCalendar] = {}
    out = []
    for category, severity, reported, county in zip(
        categories, severities, reported_at, counties, strict=True
    ):
        if county not in calendars:
            calendars[county] = work_calendar(session=session, county=county)
        moment = reported.to_pydatetime() if isinstance(reported, pd.Timestamp) else reported
        out.append(
            deadline_for(
                category=category,
                severity=severity,
                reported_at=moment,
                calendar=calendars[county],
            )
        )
    index = reported_at.index if isinstance(reported_at, pd.Series) else None
    return pd.Series(pd.to_datetime(out, utc=True), index=index)
