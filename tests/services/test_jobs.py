"""The scheduled jobs on real databases: the nightly work, the sweep, locks, the record, Dask."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest

from demo.province import generate_county, province_counties
from demo.replay import ingest_demo_events
from geo.database import migrate
from geo.database.engine import make_engine, transaction
from geo.jobs import runs
from geo.places.loading import load_county
from services import jobs
from services.worker import run_worker

LINTAN = "623021"


def _small_county(spec):
    """A synthetic county cut down to its first township (about 90 grids), one year of events."""
    divisions = spec.divisions
    town = divisions.loc[divisions["level"] == "township", "code"].iloc[0]
    keep = divisions[
        (divisions["level"] == "county")
        | (divisions["code"] == town)
        | (divisions["parent_code"] == town)
    ]
    return generate_county(
        dataclasses.replace(spec, divisions=keep.reset_index(drop=True)), seed=1, years=1
    )


@pytest.fixture(scope="module")
def province_url(new_database):
    """A database holding two small synthetic counties with their events."""
    url = new_database(kind="province")
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        for spec in province_counties(100, seed=1)[:2]:
            county = _small_county(spec)
            with transaction(engine) as session:
                load_county(session=session, county=county)
            ingest_demo_events(engine, county)
    finally:
        engine.dispose()
    return url


def _runs(url: str, **filters) -> list[dict]:
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return runs.recent_runs(session=session, **filters)
    finally:
        engine.dispose()


def test_nightly_for_two_counties_on_a_two_worker_local_cluster(province_url):
    counties = jobs.counties_in(province_url)
    assert len(counties) == 2

    outcomes = jobs.run_for_counties(province_url, "nightly", counties, workers=2)

    assert [o.county for o in outcomes] == counties
    assert {o.outcome for o in outcomes} == {"ok"}, [o.error for o in outcomes]
    for outcome in outcomes:
        assert outcome.counts["grids_scored"] > 0
        assert outcome.counts["training_rows"] > 0
    recorded = _runs(province_url, job="nightly")
    assert sorted(r["county_code"] for r in recorded[:2]) == counties
    assert all(r["outcome"] == "ok" and r["finished_at"] >= r["started_at"] for r in recorded[:2])


def test_a_job_held_by_another_worker_is_skipped_and_recorded(province_url):
    county = jobs.counties_in(province_url)[0]
    engine = make_engine(province_url)
    try:
        with runs.job_lock(engine, job="sweep", county=county) as taken:
            assert taken
            outcome = jobs.run_job(province_url, "sweep", county)
        after = jobs.run_job(province_url, "sweep", county)
    finally:
        engine.dispose()
    assert outcome.outcome == "skipped"
    assert "another worker" in outcome.error
    assert after.outcome == "ok"
    latest = _runs(province_url, job="sweep", county=county)[:2]
    assert [r["outcome"] for r in latest] == ["ok", "skipped"]


def test_a_failing_county_is_recorded_with_its_reason_and_the_others_go_on(province_url):
    counties = jobs.counties_in(province_url)
    outcomes = jobs.run_for_counties(province_url, "nightly", ["620000", counties[0]], workers=2)
    by_county = {o.county: o for o in outcomes}
    assert by_county["620000"].outcome == "failed"
    assert "没有现行网格" in by_county["620000"].error
    assert by_county[counties[0]].outcome == "ok"
    failed = _runs(province_url, job="nightly", county="620000")[0]
    assert failed["outcome"] == "failed" and "no current grids" in failed["error"]


def test_the_worker_runs_a_job_when_its_time_comes(province_url):
    start = dt.datetime(2026, 12, 3, 6, 59, 30, tzinfo=dt.UTC)  # 14:59:30 in Beijing
    times = (start + dt.timedelta(seconds=45 + i if i else 0) for i in itertools.count())
    done: list = []
    slept: list[float] = []

    run_worker(
        province_url,
        {"sweep": "0 15 * * *"},  # 15:00 Beijing time
        clock=lambda: next(times),
        sleep=slept.append,
        keep_going=lambda: len(slept) < 2,
        on_done=done.append,
    )

    assert sorted(o.county for o in done) == jobs.counties_in(province_url)
    assert {o.job for o in done} == {"sweep"}
    assert all(1.0 <= s <= 60.0 for s in slept)


def test_the_nightly_scores_once_a_week_and_places_events_every_night(province_url):
    county = jobs.counties_in(province_url)[1]
    tuesday = dt.datetime(2026, 11, 17, 18, 30, tzinfo=dt.UTC)  # 02:30 Wednesday in Beijing
    first = jobs.run_job(province_url, "nightly", county, tuesday)
    again = jobs.run_job(province_url, "nightly", county, tuesday + dt.timedelta(days=1))
    next_week = jobs.run_job(province_url, "nightly", county, tuesday + dt.timedelta(days=6))
    assert first.outcome == again.outcome == next_week.outcome == "ok"
    assert first.counts["scored"] and "grids_scored" in first.counts
    assert again.counts["scored"] is False
    assert again.counts["period_start"] == first.counts["period_start"]
    assert "disputes_placed" in again.counts and "review_list" in again.counts
    assert (
        next_week.counts["scored"]
        and next_week.counts["period_start"] > first.counts["period_start"]
    )
