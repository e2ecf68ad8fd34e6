"""Scaling from one county to a province (SYNTHETIC data): every stage at 1, 10 (, 100) counties.

    uv run python bench/scale_province.py [--counties 1,10] [--nightly-sample 10]

For each province size N (the first N counties of one synthetic 100-county province, see
``demo/province.py``), in a scratch database ``wangge_bench_scale_<N>``:

  generate    CPU seconds of the demo generator summed over the counties (cached between runs)
  load        base layers of every county by COPY (geo.places.loading.load_county),
              one transaction each
  ingest      the counties' two years of disputes and signals through intake (geocoding, grid,
              COPY, events): what a nightly import does
  assign SQL  every address of the province re-put on its grid in one PostGIS statement
  assign mem  GridIndex.load of all current grids + assign of every address in memory
  score       train + score + flag hotspots (services.risk, per county, one OpenMP thread)
              (ingest and score also print this process's CPU seconds: on a loaded machine
              wall time mostly measures waiting for a core)
  geojson     GET-equivalent of /api/v1/grids?township=… for one township (median of repeats)
  tile        /tiles/grids/z/x/y of the first county's centre at z12 and z10 (median)

Per-county stages (ingest, score) run on at most ``--nightly-sample`` counties and are scaled
by N / sample: the printed figure says "extrapolated" when that happened. The exponent b in
t ∝ N^b between consecutive sizes is printed for every stage; for the province-wide stages
n log n means b ≲ 1.1, for the per-request ones (geojson, tile) anything above ~0.3 means the
request got slower because other counties exist. Absolute times are indicative only on a
shared machine.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np
from province_common import cached_county, scratch_database, specs_for
from sqlalchemy import text

from demo.replay import ingest_demo_events
from geo.database.engine import transaction
from geo.places.assign import GridIndex, assign_addresses
from geo.places.loading import load_county
from geo.publishing import tiles
from geo.publishing.features import grids_collection
from services.risk import demo_step as train_and_score_county

REPEATS = 15


class Stages(dict):
    """Stage → (value, note), printed as soon as each stage is measured (long runs)."""

    def __init__(self, n_counties: int) -> None:
        super().__init__()
        self.n_counties = n_counties

    def __setitem__(self, stage: str, value: tuple[float, str]) -> None:
        super().__setitem__(stage, value)
        print(f"  N={self.n_counties} {stage}: {value[0]:.2f} {value[1]}", flush=True)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """Web-mercator tile holding (lon, lat) at zoom z."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def median_ms(call, repeats: int = REPEATS) -> float:
    """Median wall milliseconds of ``call()`` after one warm-up."""
    call()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(n_counties: int, nightly_sample: int) -> dict[str, tuple[float, str]]:
    """Stage → (seconds or ms, note) for a province of ``n_counties``."""
    specs = specs_for(n_counties)
    out = Stages(n_counties)
    counties = []
    cpu = 0.0
    started = time.perf_counter()
    for spec in specs:
        county, seconds = cached_county(spec)
        counties.append(county)
        cpu += seconds
    out["generate (CPU s)"] = (cpu, f"cache read {time.perf_counter() - started:.0f} s")
    grids_n = sum(len(c.grids) for c in counties)
    addresses_n = sum(len(c.addresses) for c in counties)
    events_n = sum(len(c.disputes) + len(c.signals) for c in counties)
    out["size"] = (0.0, f"{grids_n:,} grids, {addresses_n:,} addresses, {events_n:,} events")
    with scratch_database(f"scale_{n_counties}") as (_url, engine):
        started = time.perf_counter()
        for county in counties:
            with transaction(engine) as session:
                load_county(session=session, county=county)
        out["load (s)"] = (time.perf_counter() - started, "")

        sample = counties[: max(1, min(nightly_sample, n_counties))]
        factor = n_counties / len(sample)
        note = "" if factor == 1 else f"extrapolated ×{factor:g} from {len(sample)} counties"
        started, cpu_started = time.perf_counter(), time.process_time()
        for county in sample:
            ingest_demo_events(engine, county)
        out["ingest (s)"] = ((time.perf_counter() - started) * factor, note)
        out["ingest (client CPU s)"] = ((time.process_time() - cpu_started) * factor, note)

        with transaction(engine) as session:
            started = time.perf_counter()
            assign_addresses(session=session, county=None)
            out["assign SQL (s)"] = (time.perf_counter() - started, f"{addresses_n:,} addresses")
        with transaction(engine) as session:
            started = time.perf_counter()
            index = GridIndex.load(session=session)
            rows = session.execute(text("SELECT ST_X(geom), ST_Y(geom) FROM address")).all()
            xy = np.array(rows, dtype=float)
            hits = index.assign(xy[:, 0], xy[:, 1])
            out["assign mem (s)"] = (time.perf_counter() - started, f"{(hits >= 0).sum():,} placed")

        started, cpu_started = time.perf_counter(), time.process_time()
        for county in sample:
            train_and_score_county(engine, county)
        out["score+hotspots (s)"] = ((time.perf_counter() - started) * factor, note)
        out["score+hotspots (CPU s)"] = ((time.process_time() - cpu_started) * factor, note)

        first = counties[0]
        township = str(first.admin_units.query("level == 'township'")["code"].iloc[0])
        centre = first.admin_units.query("level == 'county'").geometry.iloc[0].centroid
        with transaction(engine) as session:
            out["geojson township (ms)"] = (
                median_ms(lambda: grids_collection(session=session, township=township)),
                "",
            )
            for zoom in (12, 10):
                z, x, y = tile_of(centre.x, centre.y, zoom)
                out[f"tile z{zoom} (ms)"] = (
                    median_ms(
                        lambda z=z, x=x, y=y: tiles.render(
                            session=session, layer_id="grids", z=z, x=x, y=y
                        )
                    ),
                    "uncached render",
                )
    return out


def growth(n1: int, t1: float, n2: int, t2: float) -> float:
    """Exponent b in t ∝ N^b between two sizes."""
    return math.log(max(t2, 1e-9) / max(t1, 1e-9)) / math.log(n2 / n1)


def print_curves(results: dict[int, dict[str, tuple[float, str]]]) -> None:
    """One row per stage, one column per size, then the growth exponents."""
    sizes = sorted(results)
    stages = list(results[sizes[0]])
    print("\nSYNTHETIC province, first N counties (absolute times indicative only)")
    print(f"{'stage':24}" + "".join(f"{f'N={n}':>14}" for n in sizes) + "   exponent b (t ∝ N^b)")
    for stage in stages:
        if stage == "size":
            print(f"{'size':24}" + "  ".join(results[n]["size"][1] for n in sizes))
            continue
        values = [results[n][stage][0] for n in sizes]
        exps = [
            growth(sizes[i], values[i], sizes[i + 1], values[i + 1]) for i in range(len(sizes) - 1)
        ]
        notes = "; ".join(sorted({results[n][stage][1] for n in sizes if results[n][stage][1]}))
        curve = "".join(f"{v:14.2f}" for v in values)
        slopes = ", ".join(f"{b:.2f}" for b in exps)
        print(f"{stage:24}{curve}   {slopes}" + (f"   ({notes})" if notes else ""))


def main() -> None:
    """Measure each province size in turn and print the curves."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", default="1,10")
    parser.add_argument("--nightly-sample", type=int, default=10)
    args = parser.parse_args()
    results = {}
    for n in (int(v) for v in args.counties.split(",")):
        started = time.perf_counter()
        results[n] = measure(n, args.nightly_sample)
        print(f"N={n}: measured in {time.perf_counter() - started:.0f} s", flush=True)
    print_curves(results)


if __name__ == "__main__":
    main()
