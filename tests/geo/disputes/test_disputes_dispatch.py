"""Dispatch, duplicates and the party-details door on a real PostGIS (small synthetic county)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from core import vocab
from core.errors import InvalidRequest
from geo.disputes import dispatch, workflow
from geo.disputes.duplicates import review_duplicate
from geo.disputes.parties import party_details
from tests.geo.disputes.disputes_factories import (
    CHIGOU,
    COUNTY,
    DONGSHAN,
    GRID,
    XINCHENG,
    YELIGUAN,
    address_point,
    build_world,
    walk,
)

EXPECTED_PARTNERS = {  # category → facility codes of the partners, in rank order (池沟村 case)
    "marriage_family": ["mc-c", "jo-y", "la-x"],
    "neighbour": ["mc-c", "jo-y"],
    "land_forest": ["jo-y", "cs-y", "mc-c", "la-x"],
    "debt": ["cs-y", "la-x", "mc-c"],
    "labour_wages": ["jo-y", "la-x", "mc-c"],
    "property_management": ["mc-c", "la-x"],
    "medical": ["jo-y", "la-x", "cs-y"],
    "traffic": ["ps-y", "mc-c", "cs-y"],
    "other": ["mc-c", "jo-y"],
}


@pytest.fixture
def world(db):
    return build_world(db)


def _case(world, external_id, category="neighbour", village=CHIGOU, group=1, number=1, **extra):
    lon, lat = address_point(village, group, number)
    return world.one(external_id=external_id, category=category, lon=lon, lat=lat, **extra)


@pytest.mark.parametrize("category", list(vocab.DISPUTE_CATEGORIES))
def test_routing_for_each_category_follows_the_rule_table(world, category):
    dispute_id = _case(world, f"R-{category}", category=category, description="协商未果")
    plan = dispatch.recommend(session=world.session, dispute_id=dispute_id)
    partner_codes = [r["code"] for r in plan["recommendations"] if r["role"] in plan["partners"]]
    assert partner_codes == EXPECTED_PARTNERS[category]
    assert plan["partners"] == list(dispatch.PARTNERS_BY_CATEGORY[category])
    ranks = [r["rank"] for r in plan["recommendations"]]
    assert ranks == list(range(1, len(ranks) + 1))
    assert all(r["reason"] for r in plan["recommendations"])


def test_a_minor_case_is_led_by_the_grid_leader_with_the_household_leader_next(world):
    dispute_id = _case(world, "R-1", group=1, number=2)  # inside household group HG-1
    plan = dispatch.recommend(session=world.session, dispute_id=dispute_id)
    first, second, third = plan["recommendations"][:3]
    assert (first["role"], first["code"]) == ("grid_leader", f"GL-{CHIGOU}")
    assert (second["role"], second["code"]) == ("household_leader", "HL-1")
    assert (third["role"], third["code"]) == ("village_centre", "vc-c")
    assert "leads 一般 cases" in first["reason"]
    township = next(r for r in plan["recommendations"] if r["role"] == "township_centre")
    assert township["code"] == "tc-y" and township["jurisdiction"] == "township"
    assert township["distance_m"] > 0


def test_outside_its_household_group_a_case_has_no_household_leader(world):
    dispute_id = _case(world, "R-2", group=3, number=1)  # north of HG-1
    roles = [
        r["role"]
        for r in dispatch.recommend(session=world.session, dispute_id=dispute_id)["recommendations"]
    ]
    assert "household_leader" not in roles


def test_severity_moves_the_lead_up_the_chain(world):
    leads = {}
    for severity in vocab.DISPUTE_SEVERITIES:
        dispute_id = _case(world, f"S-{severity}", severity=severity)
        plan = dispatch.recommend(session=world.session, dispute_id=dispute_id)
        leads[severity] = plan["recommendations"][0]["role"]
    assert leads == {
        "minor": "grid_leader",
        "serious": "village_centre",
        "major": "township_centre",
        "critical": "county_centre",
    }


def test_violence_in_the_description_calls_the_police_first_among_partners(world):
    dispute_id = _case(world, "V-1", category="neighbour", description="双方发生打斗，一人受伤")
    plan = dispatch.recommend(session=world.session, dispute_id=dispute_id)
    assert plan["partners"][0] == "police_station"
    police = next(r for r in plan["recommendations"] if r["role"] == "police_station")
    assert police["code"] == "ps-y" and "public security" in police["reason"]


def test_without_a_unit_in_its_jurisdiction_the_nearest_one_is_picked(world):
    # 东山村 (新城镇) has no police station: the 冶力关 one is the nearest.
    dispute_id = _case(world, "N-1", category="traffic", village=DONGSHAN)
    plan = dispatch.recommend(session=world.session, dispute_id=dispute_id)
    police = next(r for r in plan["recommendations"] if r["role"] == "police_station")
    assert police["jurisdiction"] == "nearest" and police["code"] == "ps-y"
    court = next(r for r in plan["recommendations"] if r["role"] == "court")
    assert court["code"] == "jc-d" and court["jurisdiction"] == "village"  # judge contact point
    assert plan["township"] == XINCHENG


def test_workloads_count_open_cases_assigned(world):
    busy = [_case(world, f"B-{i}", number=i + 1) for i in range(3)]  # 370 m apart
    for dispute_id in busy[:2]:
        workflow.transition(
            session=world.session,
            dispute_id=dispute_id,
            to="routed",
            version=1,
            actor="centre",
            assignee=f"GL-{CHIGOU}",
            facility="mc-c",
        )
    workflow.transition(
        session=world.session,
        dispute_id=busy[2],
        to="routed",
        version=1,
        actor="centre",
        facility="mc-c",
    )
    walk(world.session, busy[2], ["in_progress", "resolved"], actor="centre", first_version=2)
    plan = dispatch.recommend(session=world.session, dispute_id=_case(world, "B-new"))
    by_role = {r["role"]: r for r in plan["recommendations"]}
    assert by_role["grid_leader"]["open_workload"] == 2
    assert by_role["mediation_committee"]["open_workload"] == 2  # the resolved one is not open
    assert by_role["household_leader"]["open_workload"] == 0


def test_a_nearby_report_of_the_same_kind_is_flagged_never_merged(world):
    first = _case(world, "D-1", reported_at="2026-11-10 09:00")
    report = world.ingest(
        [
            # 40 m away, next day, same category: flagged
            {
                "external_id": "D-2",
                "reported_at": "2026-11-11 09:00",
                "category": "neighbour",
                "lon": address_point(CHIGOU, 1, 1)[0] + 0.0004,
                "lat": address_point(CHIGOU, 1, 1)[1],
            },
            # same place, other category: not flagged
            {
                "external_id": "D-3",
                "reported_at": "2026-11-11 09:00",
                "category": "debt",
                "lon": address_point(CHIGOU, 1, 1)[0],
                "lat": address_point(CHIGOU, 1, 1)[1],
            },
            # same category, 5 days later: not flagged
            {
                "external_id": "D-4",
                "reported_at": "2026-11-15 10:00",
                "category": "neighbour",
                "lon": address_point(CHIGOU, 1, 1)[0],
                "lat": address_point(CHIGOU, 1, 1)[1],
            },
            # same category and day, 1.3 km away: not flagged
            {
                "external_id": "D-5",
                "reported_at": "2026-11-10 12:00",
                "category": "neighbour",
                "lon": address_point(CHIGOU, 3, 3)[0] + 0.01,
                "lat": address_point(CHIGOU, 3, 3)[1],
            },
        ]
    )
    assert report.flagged_duplicates == [report.accepted["D-2"]]
    rows = dict(world.session.execute(text("SELECT external_id, duplicate_of FROM dispute")).all())
    assert rows == {"D-1": None, "D-2": first, "D-3": None, "D-4": None, "D-5": None}
    flag = world.session.execute(
        text("SELECT action, note FROM dispute_event WHERE dispute_id = :i AND action = 'flag'"),
        {"i": report.accepted["D-2"]},
    ).one()
    assert f"duplicate of dispute {first}" in flag.note and "confirm" in flag.note
    assert world.session.execute(text("SELECT count(*) FROM dispute")).scalar() == 5


def test_a_resolved_case_does_not_attract_flags_and_a_flag_can_be_cleared(world):
    first = _case(world, "C-1", reported_at="2026-11-10 09:00")
    walk(world.session, first, ["in_progress", "resolved"], actor="x",
         at=dt.datetime(2026, 11, 10, 18, tzinfo=dt.UTC))  # fmt: skip
    later = _case(world, "C-2", reported_at="2026-11-11 09:00")
    assert (
        world.session.execute(
            text("SELECT duplicate_of FROM dispute WHERE id = :i"), {"i": later}
        ).scalar()
        is None
    )
    other = _case(world, "C-3", category="debt", reported_at="2026-11-11 09:00")
    again = _case(world, "C-4", category="debt", reported_at="2026-11-11 10:00")
    version = world.session.execute(
        text("SELECT version FROM dispute WHERE id = :i"), {"i": again}
    ).scalar()
    assert (
        world.session.execute(
            text("SELECT duplicate_of FROM dispute WHERE id = :i"), {"i": again}
        ).scalar()
        == other
    )
    review_duplicate(
        session=world.session,
        dispute_id=again,
        version=version,
        confirm=False,
        actor="clerk",
        note="different creditors",
    )
    assert (
        world.session.execute(
            text("SELECT duplicate_of FROM dispute WHERE id = :i"), {"i": again}
        ).scalar()
        is None
    )
    with pytest.raises(InvalidRequest):
        review_duplicate(
            session=world.session,
            dispute_id=again,
            version=version + 1,
            confirm=True,
            actor="clerk",
        )


def test_party_details_come_only_through_the_role_door(world):
    dispute_id = world.ingest(
        [
            {
                "external_id": "PD-1",
                "reported_at": "2026-11-10",
                "category": "debt",
                "lon": address_point(CHIGOU, 1, 1)[0],
                "lat": address_point(CHIGOU, 1, 1)[1],
                "parties": [{"name": "王五（模拟）", "phone": "13900000000", "id_number": "X"}],
            }
        ]
    ).accepted["PD-1"]

    def names(role, scope=None):
        return [
            p["name"]
            for p in party_details(
                session=world.session, dispute_id=dispute_id, role=role, scope=scope
            )
        ]

    assert names("county_centre") == ["王五（模拟）"]
    assert names("county_centre", "623021") == ["王五（模拟）"]
    assert names("township", YELIGUAN) == ["王五（模拟）"]
    assert names("township", XINCHENG) == []
    assert names("grid_leader", GRID[CHIGOU]) == ["王五（模拟）"]
    assert names("grid_leader", GRID[DONGSHAN]) == []
    assert names("viewer") == [] and names("viewer", "623021") == []
    assert names("partner", "cs-y") == []  # not assigned
    workflow.transition(
        session=world.session,
        dispute_id=dispute_id,
        to="routed",
        version=1,
        actor="centre",
        facility="cs-y",
    )
    assert names("partner", "cs-y") == ["王五（模拟）"]
    assert names("partner", "ps-y") == []
    with pytest.raises(InvalidRequest):
        names("mayor")


HEAD_FIELDS = ("rank", "role", "kind", "code", "name", "distance_m")
OPEN = ("received", "routed", "in_progress", "unresolved")


def _heads_one_by_one(session, dispute_ids) -> dict[int, list[dict]]:
    heads = {}
    for dispute_id in dispute_ids:
        ranked = dispatch.recommend(session=session, dispute_id=dispute_id, with_forces=False)
        head = [{k: r[k] for k in HEAD_FIELDS} for r in ranked["recommendations"][:3]]
        if head:
            heads[dispute_id] = head
    return heads


def _open_ids(session, county) -> list[int]:
    rows = session.execute(
        text("SELECT id FROM dispute WHERE county_code = :c AND status = ANY(:s) ORDER BY id"),
        {"c": county, "s": list(OPEN)},
    )
    return [row.id for row in rows]


def test_the_head_of_every_open_ranking_in_one_query_equals_recommend(world):
    session = world.session
    # a second committee in 池沟: for a case without a point the workload breaks the tie
    session.execute(
        text(
            "INSERT INTO facility (code, county_code, kind, name, admin_code, geom)"
            " VALUES ('mc-c2', '623021', 'mediation_committee', '池沟村第二调委会', :v,"
            " ST_SetSRID(ST_MakePoint(103.397, 34.727), 4326))"
        ),
        {"v": CHIGOU},
    )
    ids = []
    for i, (category, severity) in enumerate(
        (c, s) for c in vocab.DISPUTE_CATEGORIES for s in vocab.DISPUTE_SEVERITIES
    ):
        village = (CHIGOU, DONGSHAN)[i % 2]
        description = ("双方发生打斗" if i % 3 == 0 else "协商未果") if i % 5 else None
        ids.append(
            _case(world, f"H-{i}", category=category, village=village, group=1 + i % 3,
                  number=1 + i % 3, severity=severity, description=description)
        )  # fmt: skip
    busy = _case(world, "H-busy", severity="major")
    version = session.execute(
        text("SELECT version FROM dispute WHERE id = :i"), {"i": busy}
    ).scalar_one()
    workflow.transition(session=session, dispute_id=busy, to="routed", version=version,
                        actor="centre", facility="mc-c")  # fmt: skip
    # led by the township centre, then the committee: mc-c and mc-c2 tie but for workload
    unlocated = _case(world, "H-nowhere", category="property_management", severity="major")
    ungridded = ids[7]
    session.execute(text("UPDATE dispute SET geom = NULL WHERE id = :i"), {"i": unlocated})
    session.execute(
        text("UPDATE dispute SET geom = NULL, grid_id = NULL WHERE id = :i"), {"i": ungridded}
    )
    open_ids = _open_ids(session, COUNTY)
    assert len(open_ids) == len(ids) + 2
    together = dispatch.top_suggestions(session=session, dispute_ids=open_ids)
    assert together == _heads_one_by_one(session, open_ids)
    assert [s["code"] for s in together[unlocated]] == ["tc-y", "mc-c2", f"GL-{CHIGOU}"]
    assert together[ungridded] and all(s["distance_m"] is None for s in together[ungridded])
    assert dispatch.top_suggestions(session=session, dispute_ids=[]) == {}


def test_the_head_of_every_ranking_of_the_demo_county_equals_recommend(demo_db):
    open_ids = _open_ids(demo_db, "623021")
    assert open_ids
    together = dispatch.top_suggestions(session=demo_db, dispute_ids=open_ids)
    assert together == _heads_one_by_one(demo_db, open_ids)
    # the demo has few open cases: the ranking of the closed ones follows the same rules
    every_id = list(demo_db.execute(text("SELECT id FROM dispute ORDER BY id")).scalars())
    assert len(every_id) > 500
    together = dispatch.top_suggestions(session=demo_db, dispute_ids=every_id)
    assert len(together) == len(every_id)
    assert together == _heads_one_by_one(demo_db, every_id)
