"""Shared pieces of the province benches: the SYNTHETIC province on disk, scratch databases.

Generating a county takes seconds of CPU, so counties are generated once per (seed, code) and
kept as pickles under ``$WANGGE_PROVINCE_CACHE`` (default ``/tmp/wangge_province_cache``), with
the CPU seconds their generation took. Every scratch database is named ``wangge_bench_…`` and
dropped at the end.

    uv run python bench/province_common.py --counties 100 [--budget 2400]   # fill the cache
"""

from __future__ import annotations

import argparse
import os
import pickle
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from demo.province import CountySpec, generate_county, province_counties
from geo.database import databases, migrate
from geo.database.engine import database_url, make_engine
from geo.database.settings import DatabaseSettings

SEED = 1
PROVINCE_SIZE = 100


def cache_dir() -> Path:
    """Where generated counties are kept between runs."""
    path = Path(os.environ.get("WANGGE_PROVINCE_CACHE", "/tmp/wangge_province_cache")) / str(SEED)
    path.mkdir(parents=True, exist_ok=True)
    return path


def cached_county(spec: CountySpec):
    """``(county, cpu_seconds_to_generate)``, generated once and then read from the cache."""
    path = cache_dir() / f"{spec.code}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    started = time.process_time()
    county = generate_county(spec, seed=SEED)
    cpu = time.process_time() - started
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump((county, cpu), fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.rename(path)
    return county, cpu


def specs_for(n_counties: int) -> list[CountySpec]:
    """The first ``n_counties`` SYNTHETIC counties of one 100-county province.

    1 and 10 counties are the first county and the first prefecture of the same province, so
    the scaling curves compare the same counties and share the cache.
    """
    return province_counties(max(n_counties, PROVINCE_SIZE), seed=SEED)[:n_counties]


def server_url() -> str:
    """The PostGIS server the benches run on."""
    return database_url(DatabaseSettings())


@contextmanager
def scratch_database(name: str, *, keep: bool = False) -> Iterator[tuple[str, object]]:
    """A fresh migrated database ``wangge_bench_<name>`` and an engine on it; dropped after."""
    if not name.startswith("wangge_bench_"):
        name = f"wangge_bench_{name}"
    server = server_url()
    databases.drop_database(server, name)
    url = databases.create_database(server, name)
    engine = make_engine(url, pool_size=4)
    try:
        migrate.upgrade(url)
        yield url, engine
    finally:
        engine.dispose()
        if not keep:
            databases.drop_database(server, name)


def main() -> None:
    """Fill the cache for a province of N counties within a time budget."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", type=int, default=10)
    parser.add_argument("--budget", type=float, default=2400.0, help="seconds of wall time")
    args = parser.parse_args()
    started = time.perf_counter()
    specs = specs_for(args.counties)
    done = 0
    cpu_total = 0.0
    for spec in specs:
        if time.perf_counter() - started > args.budget:
            break
        _, cpu = cached_county(spec)
        cpu_total += cpu
        done += 1
        print(f"{done}/{len(specs)} {spec.code} cpu {cpu:.1f} s, "
              f"wall so far {time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
    print(f"cached {done} of {len(specs)} counties; generation CPU {cpu_total:.0f} s")


if __name__ == "__main__":
    main()
