"""Dates and numerals as county offices write them (core.dates, core.numerals) and the
projected CRS candidates and BD-09 conversion of core.crs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from core.crs import bd09_to_gcj02, projected_candidates
from core.dates import parse_datetime, plausible_window
from core.numerals import chinese_number, numbered


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年11月6日 14:20", dt.datetime(2026, 11, 6, 14, 20)),
        ("2026年11月6日14时20分05秒", dt.datetime(2026, 11, 6, 14, 20, 5)),
        ("2026年11月6日", dt.datetime(2026, 11, 6)),
        ("2026/11/6", dt.datetime(2026, 11, 6)),
        ("2026/11/6 14:20:05", dt.datetime(2026, 11, 6, 14, 20, 5)),
        ("2026.11.06", dt.datetime(2026, 11, 6)),
        ("2026-11-06 14:20", dt.datetime(2026, 11, 6, 14, 20)),
        ("20261106", dt.datetime(2026, 11, 6)),
        ("46332", dt.datetime(2026, 11, 6)),
        (46332.5, dt.datetime(2026, 11, 6, 12, 0)),
        (dt.date(2026, 11, 6), dt.datetime(2026, 11, 6)),
    ],
)
def test_dates_as_offices_write_them(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["", "下午", "2026年13月6日", "2026/02/30", "12", None])
def test_what_is_not_a_date(text):
    assert parse_datetime(text) is None


def test_an_iso_time_keeps_its_zone():
    parsed = parse_datetime("2026-11-06T14:20:00+08:00")
    assert parsed.utcoffset() == dt.timedelta(hours=8)


def test_the_plausible_window_runs_from_1990_to_a_day_ahead():
    now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    assert plausible_window(now) == (dt.datetime(1990, 1, 1), dt.datetime(2026, 12, 1, 12))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", 3), ("１２", 12), ("十", 10), ("十二", 12), ("二十一", 21), ("一百零五", 105),
     ("两", 2), ("二〇", 20), ("三千", 3000), ("X", None), ("三X", None), ("", None)],
)  # fmt: skip
def test_chinese_numbers(text, expected):
    assert chinese_number(text) == expected


def test_numbered_units():
    units = ("组", "号", "单元")
    assert [numbered(t, units) for t in ("一组", "十二号", "三单元", "第五组", "7")] == [
        1, 12, 3, 5, 7
    ]  # fmt: skip
    assert numbered("三栋", units) is None
    assert numbered("第X组", units) is None


def test_projected_candidates_read_the_zone_in_the_easting():
    assert [c for c, _ in projected_candidates(34_646_598.9)] == [4522]  # 3° zone 34
    assert [c for c, _ in projected_candidates(18_646_598.9)] == [4496]  # 6° zone 18
    plain = [c for c, _ in projected_candidates(646_598.9)]
    assert 4543 in plain and 4544 in plain and 4507 in plain and 32648 in plain
    assert projected_candidates(3_842_589.4) == []  # a northing: try the other order


def test_bd09_to_gcj02_inverts_the_forward_formula():
    lon, lat = 103.6, 34.7
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * np.pi * 3000 / 180)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * np.pi * 3000 / 180)
    back = bd09_to_gcj02(z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006)
    assert np.allclose(back, (lon, lat), atol=1e-5)
