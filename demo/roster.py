"""The demo county's duty roster: two twelve-hour shifts a day at every centre.

Day shift 08:00–20:00 and night shift 20:00–08:00 the next day (China time), each with a
leader (带班领导) and an officer (值班员), from the first demo event to 90 days after the last
one (so the demo has someone on duty for a while after it is built). Pools: a township
centre draws on the county cadres placed in its township, the county centre on the
prefecture cadres; leaders are the first tenth of the pool, officers the rest, both in
rotation, so nobody holds two shifts at once. Shifts that ended by the last event carry a
handover note. Every row is synthetic.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geo.database.engine import transaction
from geo.staff.roster import ShiftRow, duty_pools, write_shifts

CHINA = ZoneInfo("Asia/Shanghai")
SHIFT_STARTS = (8, 20)  # local hours
SHIFT_HOURS = 12
DAYS_AFTER_EVENTS = 90
HANDOVER_NOTES = (
    "本班平稳，无突发情况（模拟）",
    "接报纠纷1件，已转村级综治中心处置（模拟）",
    "网格员上报隐患1处，已通知乡镇安监站（模拟）",
    "来电咨询2次，已解答（模拟）",
    "督办超期案件1件，已提醒承办人（模拟）",
    "夜间巡查正常，设备运行正常（模拟）",
)


def _report_times(county) -> pd.Series:
    frame = county.disputes
    if frame is None or frame.empty:
        return pd.Series([], dtype="datetime64[ns, UTC]")
    times = pd.to_datetime(frame["reported_at"])
    if times.dt.tz is None:
        times = times.dt.tz_localize(CHINA)
    return times.dt.tz_convert("UTC")


def demo_period(county) -> tuple[dt.date, dt.date]:
    """(first day, last day) the demo roster covers."""
    times = _report_times(county)
    if times.empty:
        today = dt.date(2026, 11, 15)
        return today - dt.timedelta(days=30), today + dt.timedelta(days=DAYS_AFTER_EVENTS)
    first = times.min().tz_convert(CHINA).date()
    last = times.max().tz_convert(CHINA).date()
    return first, last + dt.timedelta(days=DAYS_AFTER_EVENTS)


def shift_rows(
    *,
    pools: dict[int, list[int]],
    first: dt.date,
    last: dt.date,
    notes_until: dt.datetime,
    county_code: str,
) -> list[ShiftRow]:
    """The demo shifts at every centre of ``pools`` (centre id → staff ids) over the days."""
    rows = []
    days = (last - first).days + 1
    for centre_id, pool in pools.items():
        if len(pool) < 2:
            continue
        n_leaders = max(1, len(pool) // 10)
        leaders, officers = pool[:n_leaders], pool[n_leaders:]
        slot = 0
        for d in range(days):
            day = first + dt.timedelta(days=d)
            for hour in SHIFT_STARTS:
                start = dt.datetime(day.year, day.month, day.day, hour, tzinfo=CHINA)
                end = start + dt.timedelta(hours=SHIFT_HOURS)
                leader = leaders[slot % len(leaders)]
                officer = officers[slot % len(officers)]
                note = None
                if end <= notes_until:
                    note = HANDOVER_NOTES[(slot * 7 + centre_id) % len(HANDOVER_NOTES)]
                by = None if note is None else "带班领导（模拟）"
                rows.append(
                    ShiftRow(county_code, centre_id, leader, "leader", start, end, note, by, True)
                )
                rows.append(
                    ShiftRow(
                        county_code, centre_id, officer, "officer", start, end, None, None, True
                    )
                )
                slot += 1
    return rows


def load_demo_roster(engine: Engine, county) -> dict[str, int]:
    """Demo step "duty roster": write the synthetic roster for the demo period."""
    first, last = demo_period(county)
    times = _report_times(county)
    latest = times.max() if len(times) else pd.Timestamp(last, tz=CHINA)
    notes_until = latest.floor("us").to_pydatetime()
    with transaction(engine) as session:
        written = write_demo_roster(
            session=session, county_code=county.county_code, first=first, last=last,
            notes_until=notes_until,
        )  # fmt: skip
    return {"duty_shifts": written}


def write_demo_roster(
    *,
    session: Session,
    county_code: str,
    first: dt.date,
    last: dt.date,
    notes_until: dt.datetime,
) -> int:
    """Write the demo roster of ``county_code`` over ``[first, last]``; return rows written."""
    pools = duty_pools(session=session, county=county_code)
    rows = shift_rows(
        pools=pools, first=first, last=last, notes_until=notes_until, county_code=county_code
    )
    return write_shifts(session=session, rows=rows)
