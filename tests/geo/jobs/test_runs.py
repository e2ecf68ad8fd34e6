"""The data steps of the scheduled jobs: the run record, the advisory lock, placing events."""

from __future__ import annotations

from sqlalchemy import text

from geo.database.engine import make_engine, transaction
from geo.jobs import runs

LINTAN = "623021"


def test_a_run_is_recorded_from_start_to_finish(engine):
    with transaction(engine) as session:
        run_id = runs.start_run(session=session, job="sweep", county="990121")
        started = runs.recent_runs(session=session, job="sweep", county="990121")[0]
        runs.finish_run(
            session=session, run_id=run_id, outcome="ok", counts={"escalated": 2}, error=None
        )
        finished = runs.recent_runs(session=session, job="sweep", county="990121")[0]
    assert started["id"] == run_id and started["outcome"] == "running"
    assert started["finished_at"] is None
    assert finished["outcome"] == "ok" and finished["counts"] == {"escalated": 2}
    assert finished["seconds"] >= 0


def test_the_lock_of_a_job_is_held_by_one_worker_and_freed_after(migrated_url):
    first, second = make_engine(migrated_url), make_engine(migrated_url)
    try:
        with runs.job_lock(first, job="nightly", county="990121") as taken:
            assert taken
            with runs.job_lock(second, job="nightly", county="990121") as again:
                assert not again
            with runs.job_lock(second, job="nightly", county="990122") as other_county:
                assert other_county
        with runs.job_lock(second, job="nightly", county="990121") as after:
            assert after
    finally:
        first.dispose()
        second.dispose()


def test_the_nightly_places_cases_whose_grid_is_missing_but_not_unchecked_ones(fresh_demo_url):
    engine = make_engine(fresh_demo_url)
    try:
        with transaction(engine) as session:
            gps, unchecked = session.execute(
                text(
                    "SELECT id FROM dispute WHERE grid_id IS NOT NULL AND geom IS NOT NULL "
                    "ORDER BY id LIMIT 2"
                )
            ).scalars()
            village = session.execute(
                text("SELECT code FROM admin_unit WHERE level = 'village' ORDER BY code LIMIT 1")
            ).scalar_one()
            session.execute(
                text("UPDATE dispute SET grid_id = NULL, geocode_level = NULL WHERE id = :id"),
                {"id": gps},
            )
            session.execute(
                text(
                    "UPDATE dispute SET grid_id = NULL, geocode_level = 'village', "
                    "location_admin_code = :village WHERE id = :id"
                ),
                {"id": unchecked, "village": village},
            )
        with transaction(engine) as session:
            placed = runs.place_unplaced_events(session=session, county=LINTAN)
            grids = dict(
                session.execute(
                    text("SELECT id, grid_id FROM dispute WHERE id IN (:a, :b)"),
                    {"a": gps, "b": unchecked},
                ).all()
            )
    finally:
        engine.dispose()
    assert placed["disputes_placed"] == 1
    assert grids[gps] is not None
    assert grids[unchecked] is None
