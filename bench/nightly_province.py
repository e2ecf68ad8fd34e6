"""The province's nightly run, end to end, against running the counties one after another.

    uv run python bench/nightly_province.py [--counties 10,100] [--workers 2] [--scheduler URL]

For each size, loads the first N counties of the SYNTHETIC province (cached by
``province_common``) with their events into a scratch database, then runs the nightly job for
every county as ``wangge jobs run nightly --all`` does: fanned out over a Dask ``LocalCluster``
of ``--workers`` processes (or an existing cluster at ``--scheduler``). The peer is what a
county would otherwise schedule: a cron line running the counties one after another; its time
is the sum of the per-county run times measured in the same run (each task runs on one core,
so the sum is what one process would take). Prints wall time, CPU time, per-county p50/p99,
failures, and the ratio; then the wall time of another night of the same week (the model is
scored once a week; events are placed and the review list counted every night).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

from province_common import cached_county, scratch_database, specs_for

from demo.replay import ingest_demo_events
from geo.database.engine import transaction
from geo.places.loading import load_county
from services import jobs

# The synthetic events end on 2026-11-15: score the week after, as the night of the 16th would.
AS_OF = dt.datetime(2026, 11, 16, 18, 30, tzinfo=dt.UTC)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(n_counties: int, *, workers: int, scheduler: str | None) -> None:
    """Load N counties, run the nightly for all of them, print the figures."""
    with scratch_database(f"nightly_{n_counties}") as (url, engine):
        started = time.perf_counter()
        for spec in specs_for(n_counties):
            county, _cpu = cached_county(spec)
            with transaction(engine) as session:
                load_county(session=session, county=county)
            ingest_demo_events(engine, county)
        loaded = time.perf_counter() - started
        counties = jobs.counties_in(url)
        started = time.perf_counter()
        outcomes = jobs.run_for_counties(
            url, "nightly", counties, scheduler=scheduler, workers=workers, now=AS_OF
        )
        wall = time.perf_counter() - started
        started = time.perf_counter()
        other_night = jobs.run_for_counties(
            url, "nightly", counties, scheduler=scheduler, workers=workers,
            now=AS_OF + dt.timedelta(days=1),
        )  # fmt: skip
        other_wall = time.perf_counter() - started
    seconds = [o.seconds for o in outcomes]
    cpu = sum(o.cpu_seconds for o in outcomes)
    failed = [o for o in outcomes if o.outcome != "ok"]
    serial = sum(seconds)
    print(f"\nSYNTHETIC province, {n_counties} counties (loaded with events in {loaded:.0f} s)")
    print(f"  wangge jobs run nightly --all ({workers} workers): wall {wall:.1f} s")
    print(f"  task CPU {cpu:.1f} s; per county p50 {percentile(seconds, 0.5):.1f} s, "
          f"p99 {percentile(seconds, 0.99):.1f} s; failures {len(failed)}")  # fmt: skip
    for outcome in failed:
        print(f"    {outcome.county}: {outcome.outcome} {outcome.error}")
    print(f"  counties one after another (sum of task times): {serial:.1f} s")
    print(f"  ratio serial / fanned out: {serial / wall:.2f}x")
    rescored = sum(bool(o.counts.get("scored")) for o in other_night)
    print(f"  another night of the same week: wall {other_wall:.1f} s ({rescored} counties "
          "scored again; events placed and review lists counted)")  # fmt: skip
    print(f"  task CPU spread over {workers} free cores: {cpu / workers / 60:.1f} min "
          f"(the scoring night's floor on an otherwise idle machine); "
          f"per county {cpu / n_counties:.1f} CPU s")  # fmt: skip


def main() -> None:
    """Measure each province size in turn."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", default="10,100")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--scheduler", default=None)
    args = parser.parse_args()
    for n in (int(part) for part in args.counties.split(",")):
        measure(n, workers=args.workers, scheduler=args.scheduler)


if __name__ == "__main__":
    main()
