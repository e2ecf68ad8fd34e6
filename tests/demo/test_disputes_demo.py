"""The demo county's two years of events, taken in through intake and replayed through the
loop (synthetic data), and the file path with committed chunks and progress."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import text

from geo.database.engine import make_engine, transaction
from geo.disputes.intake import ingest_file
from geo.disputes.stats import dispute_stats
from geo.disputes.workflow import TRANSITIONS


def test_every_demo_event_went_through_intake(demo_db, demo_county):
    disputes = demo_db.execute(text("SELECT count(*) FROM dispute WHERE synthetic")).scalar()
    signals = demo_db.execute(text("SELECT count(*) FROM signal WHERE synthetic")).scalar()
    assert disputes == len(demo_county.disputes) > 0
    assert signals == len(demo_county.signals) > 0
    on_grid, placed = demo_db.execute(
        text(
            "SELECT avg((grid_id IS NOT NULL)::int), "
            "avg((grid_id IS NOT NULL OR location_admin_code IS NOT NULL)::int) FROM dispute"
        )
    ).one()
    # a grid only where the evidence places the case in one; the rest go to their village or
    # township to be checked (位置待核实), none is lost
    assert on_grid > 0.8
    assert placed > 0.97
    sources = demo_db.execute(text("SELECT DISTINCT source FROM dispute")).scalars().all()
    assert sources == ["demo (synthetic)"]


def test_the_demo_shows_about_95_percent_resolved_with_some_open_and_overdue(demo_db):
    figures = dispute_stats(session=demo_db)
    assert 93.0 <= figures["resolution_rate"] <= 98.0, figures
    assert figures["still_open"] > 0 and figures["overdue"] > 0
    assert figures["mean_satisfaction"] is not None
    assert len(figures["children"]) >= 10  # townships


def test_every_status_change_of_the_replay_has_its_event_and_is_legal(demo_db):
    rows = demo_db.execute(
        text(
            "SELECT d.id, d.status, d.version, array_agg(e.from_status ORDER BY e.at, e.id)"
            " FILTER (WHERE e.action = 'transition') AS froms,"
            " array_agg(e.to_status ORDER BY e.at, e.id) FILTER (WHERE e.action = 'transition')"
            " AS tos, count(e.id) AS events"
            " FROM dispute d JOIN dispute_event e ON e.dispute_id = d.id GROUP BY d.id"
        )
    ).all()
    assert rows
    for row in rows:
        assert row.froms[0] is None and row.tos[0] == "received"
        for before, after, came_from in zip(row.tos, row.tos[1:], row.froms[1:], strict=False):
            assert came_from == before
            assert after in TRANSITIONS[before]
        assert row.tos[-1] == row.status
        assert row.version == row.events  # every versioned change wrote one event


def test_a_file_is_taken_in_in_committed_chunks_with_progress_and_re_sent_safely(
    fresh_demo_url, tmp_path
):
    engine = make_engine(fresh_demo_url, pool_size=2)
    try:
        with transaction(engine) as session:
            points = session.execute(
                text(
                    "SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM address"
                    " ORDER BY code LIMIT 20"
                )
            ).all()
        sheet = pd.DataFrame(
            {
                "编号": [f"FILE-{i:02d}" for i in range(20)],
                "受理时间": "2026-11-20 09:00",
                "类别": ["劳资纠纷" if i % 2 else "物业管理" for i in range(20)],
                "等级": "一般",
                "经度": [p.lon for p in points],
                "纬度": [p.lat for p in points],
                "简要情况": "（模拟）",
            }
        )
        sheet.loc[5, "类别"] = "未知"
        sheet.loc[12, "经度"] = None
        path = tmp_path / "sheet.csv"
        sheet.to_csv(path, index=False)
        calls: list[tuple[int, int]] = []
        report = ingest_file(
            engine=engine, path=path, kind="disputes", chunk_rows=7,
            on_progress=lambda done, total: calls.append((done, total)),
        )  # fmt: skip
        assert calls == [(7, 20), (14, 20), (20, 20)]
        assert len(report.accepted) == 18
        assert [(p.row, p.field) for p in report.rejected] == [(7, "category"), (14, "lon")]
        again = ingest_file(engine=engine, path=path, kind="disputes", chunk_rows=7)
        assert (len(again.accepted), len(again.already_present)) == (0, 18)
        with transaction(engine) as session:
            stored = session.execute(
                text("SELECT count(*) FROM dispute WHERE external_id LIKE 'FILE-%'")
            ).scalar()
        assert stored == 18
    finally:
        engine.dispose()
