"""Safety-creation status on constructed data (real PostGIS, the small county, rolled back).

2026 (as of 2027-01-15, so final):
    新城镇 / 东山: a debt case routed to the judge contact point (lawsuit-bound); a serious
                   case still open past its deadline; a serious case that was resolved.
    冶力关镇 / 池沟: a violence report that speaks of a death (homicide-related); a minor
                   case resolved.
2025: a case in 池沟 declared unresolved and never resolved (lawsuit-bound in 2025 only).

By hand: 新城镇 not 无诉讼, still 零命案; 冶力关镇 无诉讼 in 2026 (not in 2025), not 零命案;
东山 not 平安 (the serious open case), 池沟 not 平安 (the homicide signal); in 2025 both
villages are 平安.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from core.errors import InvalidRequest
from geo.disputes import workflow
from geo.staff import safety as reads
from models.safety import safety_status
from services.safety import status, status_frame, year_window
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    COUNTY,
    DONGSHAN,
    XINCHENG,
    YELIGUAN,
    address_point,
    build_world,
)

AFTER_2026 = dt.datetime(2027, 1, 15, tzinfo=dt.UTC)


def _move(db, dispute_id, steps):
    for version, (to, at, extra) in enumerate(steps, start=1):
        workflow.transition(session=db, dispute_id=dispute_id, to=to, version=version,
                            actor="fixture", at=at, **extra)  # fmt: skip


def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(hour=12, tzinfo=dt.UTC)


@pytest.fixture
def county(db):
    world = build_world(db)

    def case(name, village, spot, reported, **kw):
        lon, lat = address_point(village, *spot)
        return world.one(external_id=name, reported_at=f"{reported} 12:00+00:00", lon=lon,
                         lat=lat, **kw)  # fmt: skip

    court = case("SF-court", DONGSHAN, (1, 1), "2026-03-01", category="debt")
    _move(db, court, [("routed", _day("2026-03-02"), {"facility": "jc-d"})])
    open_serious = case("SF-open", DONGSHAN, (2, 2), "2026-05-01", severity="serious")
    _move(db, open_serious, [("in_progress", _day("2026-05-02"), {})])
    done_serious = case("SF-done", DONGSHAN, (3, 3), "2026-06-01", severity="serious")
    _move(db, done_serious, [("in_progress", _day("2026-06-02"), {}),
                             ("resolved", _day("2026-06-05"), {})])  # fmt: skip
    minor = case("SF-minor", CHIGOU, (1, 2), "2026-04-01")
    _move(db, minor, [("in_progress", _day("2026-04-02"), {}),
                      ("resolved", _day("2026-04-03"), {})])  # fmt: skip
    old = case("SF-2025", CHIGOU, (2, 3), "2025-08-01", category="land_forest")
    _move(db, old, [("in_progress", _day("2025-08-02"), {}),
                    ("unresolved", _day("2025-08-20"), {"note": "调解不成"})])  # fmt: skip
    lon, lat = address_point(CHIGOU, 3, 1)
    report = world.ingest(
        [{"external_id": "SG-1", "observed_at": "2026-07-01 03:00+08:00", "kind": "violence",
          "lon": lon, "lat": lat, "description": "持械斗殴致人死亡"},
         {"external_id": "SG-2", "observed_at": "2026-07-02 03:00+08:00", "kind": "violence",
          "lon": lon, "lat": lat, "description": "邻里冲突升级"}],
        kind="signals",
    )  # fmt: skip
    assert not report.rejected
    return db


def titles(result: dict) -> dict[str, dict[str, bool]]:
    return {u["code"]: {k: t["awarded"] for k, t in u["titles"].items()} for u in result["units"]}


def evidence(result: dict, code: str, title: str) -> list[tuple[str, str]]:
    unit = next(u for u in result["units"] if u["code"] == code)
    return [(e["rule"], e["external_id"]) for e in unit["titles"][title]["evidence"]]


def test_titles_of_2026_and_their_evidence(county):
    result = status(session=county, county=COUNTY, year=2026, now=AFTER_2026)
    assert not result["provisional"]
    assert titles(result) == {
        XINCHENG: {"no_lawsuit": False, "zero_homicide": True},
        YELIGUAN: {"no_lawsuit": True, "zero_homicide": False},
        DONGSHAN: {"safe": False},
        CHIGOU: {"safe": False},
    }
    assert evidence(result, XINCHENG, "no_lawsuit") == [("lawsuit", "SF-court")]
    assert evidence(result, YELIGUAN, "zero_homicide") == [("homicide", "SG-1")]
    assert evidence(result, DONGSHAN, "safe") == [("unresolved_serious", "SF-open")]
    assert evidence(result, CHIGOU, "safe") == [("homicide", "SG-1")]
    unit = next(u for u in result["units"] if u["code"] == XINCHENG)
    item = unit["titles"]["no_lawsuit"]["evidence"][0]
    assert item["kind"] == "dispute" and "court" in item["reason"]


def test_2025_reads_only_that_years_cases(county):
    result = status(session=county, county=COUNTY, year=2025, now=AFTER_2026)
    assert titles(result) == {
        XINCHENG: {"no_lawsuit": True, "zero_homicide": True},
        YELIGUAN: {"no_lawsuit": False, "zero_homicide": True},
        DONGSHAN: {"safe": True},
        CHIGOU: {"safe": True},  # the 2025 case is minor: lawsuit-bound, not serious
    }
    assert evidence(result, YELIGUAN, "no_lawsuit") == [("lawsuit", "SF-2025")]


def test_the_year_under_way_is_provisional_and_reads_as_of_now(county):
    # On 2026-05-05 the serious case (due 05-16) was not yet overdue and no signal existed.
    early = status(session=county, county=COUNTY, year=2026,
                   now=dt.datetime(2026, 5, 5, tzinfo=dt.UTC))  # fmt: skip
    assert early["provisional"]
    assert titles(early)[DONGSHAN] == {"safe": True}
    assert titles(early)[YELIGUAN] == {"no_lawsuit": True, "zero_homicide": True}
    with pytest.raises(InvalidRequest):
        status(session=county, county=COUNTY, year=2027, now=AFTER_2026 - dt.timedelta(days=30))


def test_a_re_routed_case_that_was_resolved_is_not_lawsuit_bound(county):
    case_id = county.execute(
        text("SELECT id FROM dispute WHERE external_id = 'SF-2025'")
    ).scalar_one()
    # back from unresolved to routed, then in progress and resolved within 2025
    steps = [("routed", "2025-08-25"), ("in_progress", "2025-08-26"), ("resolved", "2025-09-01")]
    for version, (to, day) in enumerate(steps, start=3):
        extra = {"facility": "mc-c"} if to == "routed" else {}
        workflow.transition(session=county, dispute_id=case_id, to=to, version=version,
                            actor="fixture", at=_day(day), **extra)  # fmt: skip
    result = status(session=county, county=COUNTY, year=2025, now=AFTER_2026)
    assert titles(result)[YELIGUAN]["no_lawsuit"] is True


def test_scope_and_map_frame(county):
    scoped = status(session=county, county=COUNTY, year=2026, now=AFTER_2026,
                    scope_area=XINCHENG)  # fmt: skip
    assert {u["code"] for u in scoped["units"]} == {XINCHENG, DONGSHAN}
    frame = status_frame(session=county, county=COUNTY, year=2026)
    assert frame.empty  # the small county's units have no boundaries


def test_the_reads_take_the_rules_words_as_patterns(county):
    start, end, cutoff = year_window(2026, AFTER_2026)
    found = reads.evidence(session=county, county=COUNTY, start=start, end=end, cutoff=cutoff,
                           lawsuit_pattern="(诉讼)", homicide_pattern="(不会出现的词)")  # fmt: skip
    assert set(found["rule"]) == {"lawsuit", "unresolved_serious"}  # no homicide words matched
    units = reads.units(session=county, county=COUNTY)
    assert set(units["code"]) == {XINCHENG, YELIGUAN, DONGSHAN, CHIGOU}
    assert reads.unit_geometries(session=county, county=COUNTY) == {}


def test_the_rule_on_its_own():
    units = pd.DataFrame(
        [("T1", "township", "C", "甲乡"), ("V1", "village", "T1", "一村"),
         ("V2", "village", "T1", "二村")],
        columns=["code", "level", "parent_code", "name"],
    )  # fmt: skip
    found = pd.DataFrame(
        [{"rule": "unresolved_serious", "kind": "dispute", "id": 1, "external_id": "X",
          "at": None, "grid_code": "V1001", "township_code": "T1", "village_code": "V1",
          "reason": "r"},
         {"rule": "homicide", "kind": "signal", "id": 2, "external_id": "Y", "at": None,
          "grid_code": None, "township_code": None, "village_code": None, "reason": "r"}]
    )  # fmt: skip
    result = safety_status(units, found, year=2026, provisional=False)
    awarded = {u["code"]: u["qualifies"] for u in result["units"]}
    assert awarded == {"T1": True, "V1": False, "V2": True}
    assert [e["external_id"] for e in result["unplaced"]] == ["Y"]
    empty = safety_status(units, pd.DataFrame(), year=2026, provisional=True)
    assert all(u["qualifies"] for u in empty["units"]) and empty["provisional"]


def test_a_case_routed_to_its_village_without_a_grid_counts_against_it(county):
    routed = county.execute(
        text("SELECT id FROM dispute WHERE external_id = 'SF-minor'")
    ).scalar_one()
    county.execute(
        text(
            "UPDATE dispute SET grid_id = NULL, location_admin_code = :village, "
            "description = '打架致人死亡' WHERE id = :id"
        ),
        {"village": CHIGOU, "id": routed},
    )
    result = status(session=county, county=COUNTY, year=2026, now=AFTER_2026)
    assert ("homicide", "SF-minor") in evidence(result, YELIGUAN, "zero_homicide")
    assert ("homicide", "SF-minor") in evidence(result, CHIGOU, "safe")
    assert result["unplaced"] == []
