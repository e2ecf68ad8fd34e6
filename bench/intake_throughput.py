"""Intake throughput: 100,000 dispute records through ``wangge ingest`` (geocoding included)
side by side with a plain geopandas read + sjoin (all data synthetic).

The county is the demo county (770 grids, 30,000 standard addresses) loaded into a scratch
database. The file has N records drawn from those addresses: a share of them (default 35 %)
give only the address text as a clerk types it (noise from ``demo.noise``), the others a
phone GPS fix 10–50 m off the house. Categories, severities and report times are random.

wangge path (``geo.disputes.intake.ingest_file``, what ``wangge ingest disputes FILE`` runs):
read the CSV, check every row, geocode the text rows, put every point on its grid, find the
nearest standard address of GPS rows, COPY in chunks of 5,000 with ON CONFLICT DO NOTHING,
write the intake events, the deadlines and the duplicate check, commit each chunk.

Baseline (what a GIS analyst would write first): ``pandas.read_csv`` → ``points_from_xy`` →
``geopandas.sjoin(points, grids, predicate="within")``; and the same plus ``to_postgis`` into
a plain table. It does not geocode, so the text-only rows stay unplaced there, and it does
no checks, no idempotence, no events.

    uv run python bench/intake_throughput.py [--events 100000] [--text-share 0.35]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy import event, text

from core.vocab import DISPUTE_CATEGORIES, DISPUTE_SEVERITIES
from demo.noise import gps_jitter, noisy_address
from demo.pipeline import DEFAULT_SEED, generate, load_base
from geo.database import databases, migrate
from geo.database.engine import database_url, make_engine, transaction
from geo.database.settings import DatabaseSettings
from geo.disputes import columns as cols
from geo.disputes.intake import ingest_file, read_table
from geo.disputes.locate import Locator

BENCH_DB = "wangge_bench_intake"


def make_events(county, n: int, text_share: float, seed: int) -> pd.DataFrame:
    """N synthetic records in the clerk's template (Chinese headers)."""
    rng = np.random.default_rng(seed)
    picks = county.addresses.iloc[rng.integers(0, len(county.addresses), n)].reset_index(drop=True)
    text_only = rng.uniform(size=n) < text_share
    texts = [
        noisy_address(
            county="临潭县", region="甘南州", township=row.township, village=row.village,
            village_aliases=None, group_no=row.group_no, road=row.road, number=row.number,
            building=row.building, rng=rng,
        )
        for row in picks.itertuples(index=False)
    ]  # fmt: skip
    offsets = gps_jitter(n, rng)
    lat0 = picks.geometry.y.to_numpy()
    lon = picks.geometry.x.to_numpy() + offsets[:, 0] / (111_320 * np.cos(np.radians(lat0)))
    lat = lat0 + offsets[:, 1] / 110_540
    start = dt.datetime(2024, 11, 15)
    seconds = rng.integers(0, 2 * 365 * 86400, n)
    return pd.DataFrame(
        {
            "编号": [f"BENCH-{i:07d}" for i in range(n)],
            "受理时间": [(start + dt.timedelta(seconds=int(s))).isoformat(" ") for s in seconds],
            "类别": rng.choice([v for v in DISPUTE_CATEGORIES.values()], n),
            "等级": rng.choice(list(DISPUTE_SEVERITIES.values()), n, p=[0.8, 0.15, 0.04, 0.01]),
            "地址": np.where(text_only, texts, ""),
            "经度": np.where(text_only, np.nan, lon),
            "纬度": np.where(text_only, np.nan, lat),
            "简要情况": "基准测试（模拟）",
        }
    )


def watch_statements(engine) -> dict[str, float]:
    """Seconds per SQL statement (keyed by its first comment line), filled as they run."""
    seconds: dict[str, float] = {}

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, parameters, context, executemany):
        name = statement.strip().splitlines()[0][:60]
        elapsed = time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
        seconds[name] = seconds.get(name, 0.0) + elapsed

    return seconds


def main() -> None:
    """Build the scratch county, write the file, time both paths, print figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--text-share", type=float, default=0.35)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()

    server = database_url(DatabaseSettings())
    databases.drop_database(server, BENCH_DB)
    url = databases.create_database(server, BENCH_DB)
    engine = make_engine(url, pool_size=2)
    try:
        migrate.upgrade(url)
        county = generate(args.seed)
        load_base(engine, county)
        events = make_events(county, args.events, args.text_share, args.seed)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "events.csv"
            events.to_csv(path, index=False)
            n = len(events)
            print(f"{n:,} records ({int((events['地址'] != '').sum()):,} text only), "
                  f"demo county: 770 grids, 30,000 addresses (synthetic)", flush=True)  # fmt: skip

            # wangge: the whole intake, one run (with the time spent in each SQL statement).
            statement_seconds = watch_statements(engine)
            started = time.perf_counter()
            report = ingest_file(engine=engine, path=path, kind="disputes", actor="bench")
            wangge_s = time.perf_counter() - started
            by_statement = dict(statement_seconds)
            placed = n - len(report.needs_location) - len(report.rejected)

            # Where the time goes: locating (geocode + grid + nearest address) alone.
            with transaction(engine) as session:
                locator = Locator.load(session=session)
            frame = cols.rename_headers(read_table(path), cols.DISPUTES)
            checked = cols.check(frame, cols.DISPUTES, now=dt.datetime.now(dt.UTC)).rows
            started = time.perf_counter()
            located = locator.locate(checked)
            locate_s = time.perf_counter() - started
            by_text = checked["lon"].isna()
            started = time.perf_counter()
            locator.locate(checked[by_text])
            geocode_s = time.perf_counter() - started

            # Baseline: read + sjoin (+ to_postgis).
            grids = gpd.read_postgis(
                text("SELECT id, code, geom FROM grid WHERE valid_to IS NULL"),
                engine, geom_col="geom",
            )  # fmt: skip
            started = time.perf_counter()
            raw = pd.read_csv(path)
            points = gpd.GeoDataFrame(
                raw, geometry=gpd.points_from_xy(raw["经度"], raw["纬度"]), crs="EPSG:4326"
            )
            joined = gpd.sjoin(points, grids, how="left", predicate="within")
            sjoin_s = time.perf_counter() - started
            started = time.perf_counter()
            joined.drop(columns=["index_right"]).rename_geometry("geom").to_postgis(
                "bench_baseline", engine, if_exists="replace", chunksize=10_000
            )
            to_postgis_s = time.perf_counter() - started
            base_placed = int(joined["code"].notna().sum())

            again_started = time.perf_counter()
            again = ingest_file(engine=engine, path=path, kind="disputes", actor="bench")
            again_s = time.perf_counter() - again_started
    finally:
        engine.dispose()
        databases.drop_database(server, BENCH_DB)

    def rate(seconds: float) -> str:
        return f"{n / seconds:>10,.0f} events/s ({seconds:6.1f} s)"

    print(f"wangge ingest (checks, geocode, grid, COPY, events, dup check): {rate(wangge_s)}")
    print(f"  of which locating all rows in memory:                         {rate(locate_s)}")
    print(f"  geocoding the {int(by_text.sum()):,} text-only rows:  "
          f"{by_text.sum() / geocode_s:,.0f} texts/s ({geocode_s:.1f} s)")  # fmt: skip
    print(f"  re-sending the same file (all already present):              {rate(again_s)}")
    print(f"geopandas read_csv + sjoin:                                    {rate(sjoin_s)}")
    print(f"geopandas read_csv + sjoin + to_postgis:                       "
          f"{rate(sjoin_s + to_postgis_s)}")  # fmt: skip
    print(f"placed on a grid: wangge {placed:,} / {n:,}; "
          f"baseline {base_placed:,} / {n:,} (no geocoding)")  # fmt: skip
    print(f"accepted {len(report.accepted):,}, rejected {len(report.rejected):,}, "
          f"needing a location {len(report.needs_location):,}, flagged duplicates "
          f"{len(report.flagged_duplicates):,}; re-send accepted "
          f"{len(again.accepted):,}")  # fmt: skip
    print(f"ratio wangge / (read + sjoin):              {sjoin_s / wangge_s:.2f}x throughput")
    print(f"ratio wangge / (read + sjoin + to_postgis): "
          f"{(sjoin_s + to_postgis_s) / wangge_s:.2f}x throughput")  # fmt: skip
    print("time in the database during the first run, by statement:")
    for name, seconds in sorted(by_statement.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {seconds:6.1f} s  {name}")
    levels = located["geocode_level"].value_counts().to_dict()
    print(f"levels: {levels}")
    if not math.isfinite(wangge_s):
        sys.exit(1)


if __name__ == "__main__":
    main()
