"""Seasons that change dispute patterns in a farming county: Spring Festival, ploughing, harvest.

Spring Festival (春节, first day of the first lunar month) moves between 21 January and 20 February;
migrant workers come home in the weeks around it and family, land and debt disputes rise. Ploughing
(春耕, March-April) and harvest (秋收, August-September) bring disputes over land, water and
boundaries.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = ["SPRING_FESTIVAL", "season_flags"]

SPRING_FESTIVAL: dict[int, dt.date] = {
    year: dt.date.fromisoformat(day)
    for year, day in {
        2005: "2005-02-09", 2006: "2006-01-29", 2007: "2007-02-18", 2008: "2008-02-07",
        2009: "2009-01-26", 2010: "2010-02-14", 2011: "2011-02-03", 2012: "2012-01-23",
        2013: "2013-02-10", 2014: "2014-01-31", 2015: "2015-02-19", 2016: "2016-02-08",
        2017: "2017-01-28", 2018: "2018-02-16", 2019: "2019-02-05", 2020: "2020-01-25",
        2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10",
        2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26",
        2029: "2029-02-13", 2030: "2030-02-03",
    }.items()
}  # fmt: skip

# Homecoming runs from about a week before the festival to the Lantern Festival (day 15).
_BEFORE = pd.Timedelta(days=7)
_AFTER = pd.Timedelta(days=15)


def season_flags(period_starts: pd.DatetimeIndex, period_ends: pd.DatetimeIndex) -> pd.DataFrame:
    """One row per period: ``spring_festival`` (overlaps the homecoming window), ``ploughing``
    (midpoint in March-April), ``harvest`` (midpoint in August-September) and ``month`` (1-12).

    Years outside 2005-2030 get ``spring_festival`` = 0, since the date is not in the table.
    """
    starts = pd.DatetimeIndex(period_starts)
    ends = pd.DatetimeIndex(period_ends)
    middle = starts + (ends - starts) / 2
    festival = np.zeros(len(starts), dtype=np.int8)
    for day in SPRING_FESTIVAL.values():
        stamp = pd.Timestamp(day)
        festival |= ((starts <= stamp + _AFTER) & (ends > stamp - _BEFORE)).astype(np.int8)
    month = middle.month.to_numpy()
    return pd.DataFrame(
        {
            "spring_festival": festival,
            "ploughing": np.isin(month, (3, 4)).astype(np.int8),
            "harvest": np.isin(month, (8, 9)).astype(np.int8),
            "month": month.astype(np.int8),
        }
    )
