"""Point-to-grid at province scale, end to end (CSV file → grid codes stored in PostGIS).

    uv run python bench/scale_assign.py [--counties 10] [--events 1000000] [--sql-events N]

SYNTHETIC data: the grids of the first N counties of the synthetic province (7,700 grids for
10 counties) and a CSV of events drawn around their standard addresses (GPS noise 10–50 m,
1 % far outside every grid). Every path starts from the same file and ends with a table holding
each event, its point and its grid; all are timed in the same run:

  geopandas      read_csv → points_from_xy → read_postgis(grids) → sjoin(within) → to_postgis
                 (what a GIS analyst writes; to_postgis uses COPY)
  wangge         read_csv → GridIndex.load (STRtree, prepared) → assign → COPY with EWKB
                 (what intake does: geo.places.assign + geo.database.bulk)
  PostGIS point  COPY lon/lat → INSERT … SELECT with a LATERAL ST_Covers look-up per point on
                 the grid GiST index (first code wins)
  PostGIS grid   COPY lon/lat → points + GiST index → join from each grid to its points
                 (DISTINCT ON point, first code)

The PostGIS paths run on ``--sql-events`` events (default: all) and are extrapolated linearly
when fewer: the line says so. All agree on the grid of every event they share (checked).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from province_common import cached_county, scratch_database, specs_for
from sqlalchemy import text

from geo.database.bulk import copy_rows, ewkb_hex
from geo.database.engine import transaction
from geo.places.assign import GridIndex
from geo.places.loading import load_admin_units, load_grids

TABLE_DDL = (
    "CREATE TABLE {name} (external_id text, lon float8, lat float8, grid_id bigint, "
    "geom geometry(Point, 4326))"
)


def make_events(counties, n: int, seed: int) -> pd.DataFrame:
    """N SYNTHETIC events around the counties' addresses, 1 % far outside every grid."""
    rng = np.random.default_rng(seed)
    points = np.concatenate([np.column_stack([c.addresses.geometry.x, c.addresses.geometry.y])
                             for c in counties])  # fmt: skip
    picks = points[rng.integers(0, len(points), n)]
    metres = rng.uniform(10, 50, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    lon = picks[:, 0] + metres * np.cos(angle) / (111_320 * np.cos(np.radians(picks[:, 1])))
    lat = picks[:, 1] + metres * np.sin(angle) / 110_540
    outside = rng.uniform(size=n) < 0.01
    lon[outside] += 5.0
    return pd.DataFrame(
        {
            "external_id": [f"E{i:08d}" for i in range(n)],
            "lon": lon.round(7),
            "lat": lat.round(7),
            "reported_at": "2026-11-01 08:00:00",
        }
    )


def run_geopandas(engine, path: Path) -> tuple[float, pd.Series]:
    """geopandas end to end; returns seconds and grid code per external_id."""
    started = time.perf_counter()
    raw = pd.read_csv(path)
    points = gpd.GeoDataFrame(
        raw, geometry=gpd.points_from_xy(raw["lon"], raw["lat"]), crs="EPSG:4326"
    )
    grids = gpd.read_postgis(
        text("SELECT id AS grid_id, code, geom FROM grid WHERE valid_to IS NULL"),
        engine,
        geom_col="geom",
    )
    joined = gpd.sjoin(points, grids, how="left", predicate="within")
    # A point on a shared edge matches nothing with "within"; several matches are impossible.
    joined = joined[~joined.index.duplicated(keep="first")]
    out = joined[["external_id", "lon", "lat", "grid_id", "geometry"]].rename_geometry("geom")
    out.to_postgis("bench_geopandas", engine, if_exists="replace", index=False)
    seconds = time.perf_counter() - started
    return seconds, joined.set_index("external_id")["code"]


def run_wangge(engine, path: Path) -> tuple[float, pd.Series]:
    """geo.places.assign.GridIndex + COPY; returns seconds and grid code per external_id."""
    started = time.perf_counter()
    raw = pd.read_csv(path)
    with transaction(engine) as session:
        index = GridIndex.load(session=session)
        position = index.assign(raw["lon"].to_numpy(), raw["lat"].to_numpy())
        grid_ids = np.where(position >= 0, index.ids[position], -1)
        geoms = ewkb_hex(gpd.points_from_xy(raw["lon"], raw["lat"]))
        session.execute(text(TABLE_DDL.format(name="bench_wangge")))
        copy_rows(
            session=session,
            table="bench_wangge",
            columns=["external_id", "lon", "lat", "grid_id", "geom"],
            rows=zip(
                raw["external_id"], raw["lon"], raw["lat"],
                [None if g < 0 else int(g) for g in grid_ids], geoms, strict=True,
            ),
        )  # fmt: skip
    seconds = time.perf_counter() - started
    codes = np.where(position >= 0, index.codes[np.maximum(position, 0)], None)
    return seconds, pd.Series(codes, index=raw["external_id"])


def _stage_raw(session, raw: pd.DataFrame, name: str) -> None:
    session.execute(text(f"CREATE TABLE {name} (external_id text, lon float8, lat float8)"))
    copy_rows(session=session, table=name, columns=["external_id", "lon", "lat"],
              rows=raw[["external_id", "lon", "lat"]].itertuples(index=False))  # fmt: skip


def run_postgis_points(engine, path: Path, limit: int) -> tuple[float, pd.Series]:
    """COPY then one INSERT … SELECT with a LATERAL look-up per point."""
    started = time.perf_counter()
    raw = pd.read_csv(path, nrows=limit)
    with transaction(engine) as session:
        _stage_raw(session, raw, "bench_raw_p")
        session.execute(text(TABLE_DDL.format(name="bench_sql_point")))
        session.execute(
            text("""
            INSERT INTO bench_sql_point (external_id, lon, lat, grid_id, geom)
            SELECT r.external_id, r.lon, r.lat, hit.id, p.geom
            FROM bench_raw_p r
            CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326) AS geom) p
            LEFT JOIN LATERAL (
                SELECT g.id FROM grid g
                WHERE g.valid_to IS NULL AND ST_Covers(g.geom, p.geom)
                ORDER BY g.code LIMIT 1
            ) hit ON true""")
        )
    seconds = time.perf_counter() - started
    return seconds, _codes(engine, "bench_sql_point")


def run_postgis_grids(engine, path: Path, limit: int) -> tuple[float, pd.Series]:
    """COPY, index the points, then join from each grid to the points it covers."""
    started = time.perf_counter()
    raw = pd.read_csv(path, nrows=limit)
    with transaction(engine) as session:
        _stage_raw(session, raw, "bench_raw_g")
        session.execute(text(TABLE_DDL.format(name="bench_sql_grid")))
        session.execute(
            text("""
            INSERT INTO bench_sql_grid (external_id, lon, lat, geom)
            SELECT external_id, lon, lat, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
            FROM bench_raw_g""")
        )
        session.execute(text("CREATE INDEX ON bench_sql_grid USING gist (geom)"))
        session.execute(text("ANALYZE bench_sql_grid"))
        session.execute(
            text("""
            UPDATE bench_sql_grid e SET grid_id = hit.grid_id
            FROM (
                SELECT DISTINCT ON (p.ctid) p.ctid AS row_id, g.id AS grid_id
                FROM grid g JOIN bench_sql_grid p ON ST_Covers(g.geom, p.geom)
                WHERE g.valid_to IS NULL
                ORDER BY p.ctid, g.code
            ) hit
            WHERE e.ctid = hit.row_id""")
        )
    seconds = time.perf_counter() - started
    return seconds, _codes(engine, "bench_sql_grid")


def _codes(engine, table: str) -> pd.Series:
    with transaction(engine) as session:
        rows = session.execute(text(
            f"SELECT e.external_id, g.code FROM {table} e LEFT JOIN grid g ON g.id = e.grid_id"
        )).all()  # fmt: skip
    return pd.Series([r[1] for r in rows], index=[r[0] for r in rows])


def disagreements(a: pd.Series, b: pd.Series) -> int:
    """Events both placed differently (None == None counts as agreement)."""
    common = a.index.intersection(b.index)
    left = a.loc[common].fillna("-").to_numpy()
    right = b.loc[common].fillna("-").to_numpy()
    return int((left != right).sum())


def main() -> None:
    """Build grids, write the file, time every path, print rates and ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", type=int, default=10)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sql-events", type=int, default=None)
    parser.add_argument("--no-sql", action="store_true")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    counties = [cached_county(spec)[0] for spec in specs_for(args.counties)]
    n = args.events
    sql_n = min(args.sql_events or n, n)
    with scratch_database(f"assign_{args.counties}") as (_url, engine), \
            tempfile.TemporaryDirectory() as tmp:  # fmt: skip
        with transaction(engine) as session:
            for county in counties:
                load_admin_units(session=session, admin_units=county.admin_units)
                load_grids(session=session, grids=county.grids)
            session.execute(text("ANALYZE"))
            n_grids = session.execute(text("SELECT count(*) FROM grid")).scalar_one()
        path = Path(tmp) / "events.csv"
        make_events(counties, n, args.seed).to_csv(path, index=False)
        print(
            f"{n:,} SYNTHETIC events on {n_grids:,} grids of {args.counties} counties", flush=True
        )
        results = {}
        results["wangge (GridIndex + COPY)"] = (*run_wangge(engine, path), n)
        results["geopandas sjoin + to_postgis"] = (*run_geopandas(engine, path), n)
        if not args.no_sql:
            results["PostGIS LATERAL per point"] = (*run_postgis_points(engine, path, sql_n), sql_n)
            results["PostGIS join per grid"] = (*run_postgis_grids(engine, path, sql_n), sql_n)
    reference = results["geopandas sjoin + to_postgis"]
    ref_rate = n / reference[0]
    wangge_codes = results["wangge (GridIndex + COPY)"][1]
    print(f"{'path':32}{'events/s':>12}{'s for all':>11}{'vs geopandas':>14}{'differ':>8}")
    for name, (seconds, codes, done) in results.items():
        rate = done / seconds
        note = "" if done == n else f"  ({done:,} events, time extrapolated)"
        print(f"{name:32}{rate:12,.0f}{n / rate:11.1f}{rate / ref_rate:13.2f}×"
              f"{disagreements(codes, wangge_codes):8d}{note}")  # fmt: skip
    placed = int(wangge_codes.notna().sum())
    print(f"placed {placed:,} of {n:,}; 'differ' = events whose grid differs from wangge's "
          "(geopandas 'within' leaves points exactly on an edge unplaced)")  # fmt: skip


if __name__ == "__main__":
    main()
