"""Every scale benchmark in one command, side by side with the tool a user would pick instead.

    uv run python bench/run_all.py [--counties 1,10,100] [--quick]

Runs each bench in its own process with a time limit (a bench that runs out of time is listed
as such, never silently dropped), keeps the full outputs under ``bench/out/run_all/`` and
prints one table: stage, the peer it is compared with, and the figures that bench printed
(its ratios come from one run, both sides measured in that run). Then the scaling curves
from ``scale_province.py``. All data are SYNTHETIC except the NYPD points of the Gi* bench.
Absolute times are indicative only on a shared machine; the ratios are the result.

``--quick`` shrinks every bench (200,000 events instead of 1,000,000, fewer queries, shorter
load runs, 3 counties sampled for the per-county nightly steps) to finish in about ten minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from province_common import scratch_database, server_url

from demo.pipeline import build

BENCH = Path(__file__).parent
OUT = BENCH / "out" / "run_all"


@dataclass(frozen=True)
class Bench:
    """One bench: what it measures, against what, how to run it, which lines to keep."""

    stage: str
    peer: str
    args: list[str]
    quick_args: list[str]
    keep: str  # regular expression for the lines worth a place in the table
    limit_s: float


def benches(counties: list[int]) -> list[Bench]:
    """The benches of the table, with their full and quick arguments."""
    largest_cached = str(min(max(counties), 10))
    return [
        Bench("point → grid, end to end", "geopandas sjoin + to_postgis; PostGIS joins",
              ["scale_assign.py", "--counties", largest_cached, "--events", "1000000"],
              ["scale_assign.py", "--counties", largest_cached, "--events", "200000"],
              r"events/s|^wangge|^geopandas|^PostGIS|^placed", 1500),
        Bench("geocoding", "rapidfuzz.extractOne",
              ["geocode_throughput.py", "--counties", "34", "--queries", "3000", "--no-postgres"],
              ["geocode_throughput.py", "--counties", "10", "--queries", "1000", "--no-postgres"],
              r"ratio|addresses/s|province, ", 900),
        Bench("Gi* hot spots", "esda G_Local",
              ["gistar_vs_esda.py", "--repeat", "3"], ["gistar_vs_esda.py", "--repeat", "1"],
              r"ratio|GiStar|G_Local", 600),
        Bench("risk model train + score", "(province panel, 1 thread)",
              ["backtest_province_scale.py", "--units", "77000", "--threads", "1"],
              ["backtest_province_scale.py", "--units", "7700", "--weeks", "52", "--threads", "1"],
              r"SYNTHETIC|train total|score 1 week|explain", 900),
        Bench("redraw", "spopt max-p, region k-means",
              ["redraw_compare.py", "--maxp-limit", "120"],
              ["redraw_compare.py", "--maxp-limit", "30", "--no-kmeans"],
              r"/ proposal|did not finish|whole county", 1200),
        Bench("GeoJSON, OGC, tiles under load", "tiles cache on vs off (plain ST_AsMVT)",
              ["load_api.py", "--seconds", "8", "--clients", "10", "50"],
              ["load_api.py", "--seconds", "4", "--clients", "50"],
              r"^(grids|OGC|tiles|GeoJSON)|speed-up|p99", 900),
        Bench("map page weight", "geopandas explore()",
              ["maps_weight.py", "--counties", "10", "--runs", "3"],
              ["maps_weight.py", "--counties", "10", "--runs", "1"],
              r"ours/explore|html", 900),
    ]  # fmt: skip


def run(
    script_args: list[str], limit_s: float, log: Path, database_url: str
) -> tuple[str, float, bool]:
    """Run one bench on ``database_url``; return its output, wall seconds, whether it finished."""
    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": database_url}
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.Popen(
            [sys.executable, str(BENCH / script_args[0]), *script_args[1:]],
            stdout=fh, stderr=subprocess.STDOUT, cwd=BENCH.parent, env=env,
        )  # fmt: skip
        try:
            proc.wait(timeout=limit_s)
            finished = proc.returncode == 0
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=60)
            finished = False
    return log.read_text(encoding="utf-8"), time.perf_counter() - started, finished


def run_bench(bench: Bench, quick: bool, url: str) -> tuple:
    """Run one bench and keep the lines worth a place in the table."""
    script_args = bench.quick_args if quick else bench.args
    log = OUT / f"{script_args[0].removesuffix('.py')}.log"
    print(f"running {' '.join(script_args)} …", file=sys.stderr, flush=True)
    text, seconds, finished = run(script_args, bench.limit_s, log, url)
    kept = [line.rstrip() for line in text.splitlines() if re.search(bench.keep, line)]
    if not finished:
        kept.append(f"DID NOT FINISH within {bench.limit_s:.0f} s (see {log})")
    return bench, " ".join(script_args), seconds, kept[:12]


def print_table(rows: list) -> None:
    """Stage, peer, command and the figures each bench printed."""
    print(
        "\n=== wangge scale benchmarks (SYNTHETIC province; times indicative, ratios from one run)"
    )
    for bench, command, seconds, kept in rows:
        print(f"\n{bench.stage}  vs {bench.peer}   [bench/{command}, {seconds:.0f} s]")
        for line in kept or ["(no figures printed; see the log)"]:
            print(f"    {line}")


def main() -> None:
    """Run every bench in turn, then print the table and the scaling curves."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", default="1,10")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=None, help="comma-separated script names")
    args = parser.parse_args()
    counties = [int(c) for c in args.counties.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    selected = benches(counties)
    if args.only:
        wanted = set(args.only.split(","))
        selected = [b for b in selected if b.args[0].removesuffix(".py") in wanted]
    with scratch_database("runall") as (url, engine):
        # Benches that read "the demo county" from the configured database get a scratch copy,
        # never the database people work in.
        print("building the demo county into wangge_bench_runall …", file=sys.stderr, flush=True)
        build(engine, train=False)
        engine.dispose()
        for bench in selected:
            rows.append(run_bench(bench, args.quick, url))

    if args.only and "scale_province" not in args.only.split(","):
        print_table(rows)
        return
    scale_args = ["scale_province.py", "--counties", args.counties,
                  "--nightly-sample", "3" if args.quick else "10"]  # fmt: skip
    print(f"running {' '.join(scale_args)} …", file=sys.stderr, flush=True)
    scale_text, scale_s, scale_done = run(
        scale_args, 3600, OUT / "scale_province.log", server_url()
    )

    print(
        "\n=== wangge scale benchmarks (SYNTHETIC province; times indicative, ratios from one run)"
    )
    for bench, command, seconds, kept in rows:
        print(f"\n{bench.stage}  vs {bench.peer}   [bench/{command}, {seconds:.0f} s]")
        for line in kept or ["(no figures printed; see the log)"]:
            print(f"    {line}")
    print(f"\nscaling curves [bench/{' '.join(scale_args)}, {scale_s:.0f} s]")
    curves = scale_text.split("SYNTHETIC province, first N counties", 1)
    print("    " + ("SYNTHETIC province, first N counties" + curves[1]).replace("\n", "\n    ")
          if len(curves) == 2 else "    (no curves; see the log)")  # fmt: skip
    if not scale_done:
        print(f"    DID NOT FINISH within 3600 s (see {OUT / 'scale_province.log'})")


if __name__ == "__main__":
    main()
