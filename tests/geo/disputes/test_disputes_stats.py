"""The county's figures against a hand-computed fixture (real PostGIS, small county).

Period: 2026-01-01 to 2026-04-01. Nine cases, all minor neighbour disputes (7-day limit):

    case  village  reported  path (date)                                   in period?
    A     池沟     01-05     in_progress, resolved 01-08 (3 d), rated 5      yes
    B     池沟     01-10     in_progress, resolved 01-20 (10 d, late), rated 2  yes
    C     东山     02-01     in_progress, resolved 02-06 (5 d)                yes
    D     东山     03-01     in_progress 03-02 … (due 03-08)                  yes: open, overdue
    E     池沟     03-28     received (due 04-04)                             yes: open
    F     池沟     02-10     in_progress, unresolved 02-20, archived 02-25    yes: closed unresolved
    G     池沟     03-20     in_progress, resolved 04-05 (after the period)   yes: open, overdue
    H     池沟     2025-12-20 resolved 01-03                                  no (received before)
    I     池沟     04-02     received                                         no (received after)

By hand: screened 7; resolved 3 (A, B, C) → 42.9 %; still open 3 (D, E, G); overdue 2 (D, G);
resolved late 1 (B); closed unresolved 1 (F); median days to resolve median(3, 10, 5) = 5.0;
rated 2, mean satisfaction 3.5, satisfied (4–5) 50.0 %.
冶力关镇 (池沟): screened 5 (A B E F G), resolved 2 → 40.0 %; 新城镇 (东山): 2, 1 → 50.0 %.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from core.errors import InvalidRequest
from geo.disputes.stats import dispute_stats
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    COUNTY,
    DONGSHAN,
    GRID,
    XINCHENG,
    YELIGUAN,
    address_point,
    build_world,
    noon,
    walk,
)

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
CASES = {  # name: (village, reported, [(status, date, extra)])
    "A": (CHIGOU, "2026-01-05", [("in_progress", "01-05", {}), ("resolved", "01-08", {}),
                                 ("rated", "01-09", {"satisfaction": 5}),
                                 ("archived", "01-10", {})]),
    "B": (CHIGOU, "2026-01-10", [("in_progress", "01-11", {}), ("resolved", "01-20", {}),
                                 ("rated", "01-21", {"satisfaction": 2})]),
    "C": (DONGSHAN, "2026-02-01", [("in_progress", "02-02", {}), ("resolved", "02-06", {})]),
    "D": (DONGSHAN, "2026-03-01", [("in_progress", "03-02", {})]),
    "E": (CHIGOU, "2026-03-28", []),
    "F": (CHIGOU, "2026-02-10", [("in_progress", "02-11", {}),
                                 ("unresolved", "02-20", {"note": "referred to court"}),
                                 ("archived", "02-25", {})]),
    "G": (CHIGOU, "2026-03-20", [("in_progress", "03-21", {}), ("resolved", "04-05", {})]),
    "H": (CHIGOU, "2025-12-20", [("in_progress", "12-21", {}), ("resolved", "2026-01-03", {})]),
    "I": (CHIGOU, "2026-04-02", []),
}  # fmt: skip


@pytest.fixture
def county(db):
    world = build_world(db)
    for number, (name, (village, reported, path)) in enumerate(CASES.items()):
        # Each case at its own address so that none is flagged as a duplicate.
        lon, lat = address_point(village, 1 + number // 3, 1 + number % 3)
        dispute_id = world.one(
            external_id=f"ST-{name}", reported_at=f"{reported} 12:00+00:00", lon=lon, lat=lat
        )
        steps = [(status, {"at": noon(reported, day), **extra}) for status, day, extra in path]
        walk(db, dispute_id, steps, actor="fixture")
    return db


def test_county_figures_match_the_hand_computed_fixture(county):
    figures = dispute_stats(session=county, level="county", code=COUNTY, start=START, end=END)
    expected = {
        "screened": 7, "resolved": 3, "resolution_rate": 42.9, "still_open": 3, "overdue": 2,
        "resolved_late": 1, "closed_unresolved": 1, "median_days_to_resolve": 5.0, "rated": 2,
        "mean_satisfaction": 3.5, "satisfied_share": 50.0,
    }  # fmt: skip
    assert {k: figures[k] for k in expected} == expected
    children = {c["code"]: (c["screened"], c["resolved"], c["resolution_rate"])
                for c in figures["children"]}  # fmt: skip
    assert children == {YELIGUAN: (5, 2, 40.0), XINCHENG: (2, 1, 50.0)}


def test_lower_levels_and_the_default_county(county):
    village = dispute_stats(session=county, level="village", code=CHIGOU, start=START, end=END)
    assert (village["screened"], village["resolved"], village["overdue"]) == (5, 2, 1)
    assert [c["code"] for c in village["children"]] == [GRID[CHIGOU]]
    grid = dispute_stats(session=county, level="grid", code=GRID[DONGSHAN], start=START, end=END)
    assert (grid["screened"], grid["resolved"], grid["still_open"], grid["children"]) == (
        2, 1, 1, [],
    )  # fmt: skip
    township = dispute_stats(session=county, level="township", code=XINCHENG, start=START, end=END)
    assert township["median_days_to_resolve"] == 5.0
    default = dispute_stats(session=county, start=START, end=END)
    assert default["code"] == COUNTY and default["screened"] == 7


def test_a_past_period_reads_as_it_stood_then(county):
    # At the end of January, B had been resolved on 01-20 and A on 01-08: both count.
    january = dispute_stats(session=county, start=START, end=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    assert (january["screened"], january["resolved"], january["still_open"]) == (2, 2, 0)
    # G was resolved after the period: still open then, resolved now.
    later = dispute_stats(session=county, start=START, end=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    assert (later["screened"], later["resolved"]) == (8, 4)  # + I (open), + G resolved
    assert later["resolution_rate"] == 50.0


def test_bad_requests_are_refused(county):
    with pytest.raises(InvalidRequest, match="needs its code"):
        dispute_stats(session=county, level="village")
    with pytest.raises(InvalidRequest, match="12 digits"):
        dispute_stats(session=county, level="village", code=XINCHENG)
    with pytest.raises(InvalidRequest, match="before"):
        dispute_stats(session=county, start=END, end=START)


def test_the_countys_own_figure_305_screened_291_resolved_is_954(db):
    world = build_world(db)
    lon, lat = address_point(CHIGOU, 1, 1)
    records = [
        {"external_id": f"Q-{i:03d}", "reported_at": "2026-03-01 12:00+00:00",
         "category": "other", "lon": lon + 0.00001 * i, "lat": lat}
        for i in range(305)
    ]  # fmt: skip
    ids = list(world.ingest(records, check_duplicates=False).accepted.values())
    for dispute_id in ids[:291]:
        walk(db, dispute_id, ["in_progress", "resolved"], actor="fixture",
             at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC))  # fmt: skip
    count = db.execute(text("SELECT count(*) FROM dispute")).scalar()
    assert count == 305
    figures = dispute_stats(session=db, start=START, end=END)
    assert (figures["screened"], figures["resolved"], figures["resolution_rate"]) == (
        305,
        291,
        95.4,
    )
