"""The duplicate probe over a whole intake batch flags the same pairs as the rule applied to
one record at a time: duplicates of each other inside the batch and of stored cases, resolved
cases left alone (small synthetic county, points scattered around one village)."""

from __future__ import annotations

import datetime as dt
import math
import random
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from geo.disputes.duplicates import flag_duplicates
from tests.geo.disputes.disputes_factories import build_world, walk

CENTRE = (103.395, 34.712)  # inside the 池沟村 grid
START = dt.datetime(2026, 11, 10)  # Beijing time, as the records are written
BEIJING = ZoneInfo("Asia/Shanghai")

# The probe as it was before it went set-based: one LATERAL nearest-case look-up per new
# dispute. Kept here as the reference the batch statement must agree with.
ONE_BY_ONE = text(
    """
    SELECT n.id AS new_id, o.id AS original_id
    FROM dispute n
    CROSS JOIN LATERAL (
        SELECT c.id, ST_Distance(c.geom::geography, n.geom::geography) AS metres
        FROM dispute c
        WHERE c.category = n.category
          AND c.id <> n.id
          AND c.county_code = n.county_code
          AND c.geom IS NOT NULL
          AND ST_DWithin(c.geom, n.geom, 200.0 / (111320.0 * cos(radians(ST_Y(n.geom)))))
          AND ST_DWithin(c.geom::geography, n.geom::geography, 200.0)
          AND (c.reported_at, c.id) < (n.reported_at, n.id)
          AND c.reported_at >= n.reported_at - make_interval(days => 3)
          AND (c.resolved_at IS NULL OR c.resolved_at > n.reported_at)
        ORDER BY metres, c.reported_at, c.id
        LIMIT 1
    ) o
    WHERE n.id = ANY(CAST(:ids AS bigint[])) AND n.geom IS NOT NULL AND n.duplicate_of IS NULL
    """
)


@pytest.fixture
def world(db):
    return build_world(db)


def _records(n: int, seed: int) -> list[dict]:
    """``n`` disputes within about 300 m of one spot over a week, each at its own minute,
    sorted by report time (so many fall within 200 m and 3 days of one another)."""
    rng = random.Random(seed)
    minutes = sorted(rng.sample(range(7 * 24 * 60), n))
    lon0, lat0 = CENTRE
    out = []
    for i, minute in enumerate(minutes):
        east, north = rng.uniform(-300, 300), rng.uniform(-300, 300)
        out.append(
            {
                "external_id": f"DUP-{i:03d}",
                "reported_at": (START + dt.timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M"),
                "category": rng.choice(["neighbour", "neighbour", "debt"]),
                "lon": round(lon0 + east / (111_320 * math.cos(math.radians(lat0))), 7),
                "lat": round(lat0 + north / 110_540, 7),
            }
        )
    return out


def _pairs(session) -> dict[str, str]:
    """Flagged dispute → the one it is flagged as a duplicate of, by external id."""
    rows = session.execute(
        text(
            "SELECT d.external_id, o.external_id AS original FROM dispute d"
            " JOIN dispute o ON o.id = d.duplicate_of"
        )
    ).all()
    return {r.external_id: r.original for r in rows}


def test_a_batch_flags_the_pairs_one_record_at_a_time_would(world):
    records = _records(40, seed=7)
    stored, batch = records[:14], records[14:]

    one_by_one = world.session.begin_nested()
    for record in records:  # in report order: each sees every earlier one
        report = world.ingest([record])
        assert not report.rejected, report.rejected
    expected = _pairs(world.session)
    one_by_one.rollback()

    world.ingest(stored)
    shuffled = batch[:]
    random.Random(1).shuffle(shuffled)  # the file's order is not the report order
    report = world.ingest(shuffled)
    assert not report.rejected and len(report.accepted) == len(batch)
    got = _pairs(world.session)

    stored_ids = {r["external_id"] for r in stored}
    batch_ids = {r["external_id"] for r in batch}
    assert got == expected
    assert any(o in stored_ids for e, o in got.items() if e in batch_ids)  # of stored cases
    assert any(o in batch_ids for e, o in got.items() if e in batch_ids)  # inside the batch
    assert len(batch_ids - set(got)) > 0  # and not everything is a duplicate
    flagged = {report.accepted[e] for e in got if e in batch_ids}
    assert set(report.flagged_duplicates) == flagged
    notes = world.session.execute(
        text("SELECT count(*) FROM dispute_event WHERE action = 'flag' AND dispute_id = ANY(:i)"),
        {"i": list(flagged)},
    ).scalar()
    assert notes == len(flagged)


def test_the_batch_statement_agrees_with_the_former_probe_around_resolved_cases(world):
    records = _records(60, seed=11)
    stored, batch = records[::2], records[1::2]  # interleaved in time
    stored_ids = world.ingest(stored, check_duplicates=False).accepted
    for i, record in enumerate(stored[:12]):  # some resolved soon after, some days later
        at = dt.datetime.fromisoformat(record["reported_at"]).replace(tzinfo=BEIJING)
        at += dt.timedelta(hours=2 if i % 2 else 60)
        walk(world.session, stored_ids[record["external_id"]], ["in_progress", "resolved"],
             actor="clerk", at=at)  # fmt: skip
    ids = list(world.ingest(batch, check_duplicates=False).accepted.values())

    expected = dict(world.session.execute(ONE_BY_ONE, {"ids": ids}).all())
    flagged = flag_duplicates(session=world.session, ids=ids)
    got = dict(
        world.session.execute(
            text("SELECT id, duplicate_of FROM dispute WHERE id = ANY(:i) AND duplicate_of > 0"),
            {"i": ids},
        ).all()
    )
    assert got == expected and sorted(expected) == flagged
    assert len(set(expected.values()) & set(stored_ids.values())) > 0
    assert len(set(expected.values()) & set(ids)) > 0
    assert flag_duplicates(session=world.session, ids=ids) == []  # flagged once only
