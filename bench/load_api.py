"""Load on the HTTP API over loopback: requests/s, p50/p99 latency and errors for GeoJSON,
OGC API items and vector tiles at 10 and 50 concurrent clients.

    uv run python bench/load_api.py [--seconds 8] [--clients 10 50] [--url DATABASE_URL]

Without ``--url`` it builds the demo county (synthetic) once into the database
``wangge_bench_load`` on the server in use and reuses it afterwards. Two servers run side by
side as separate uvicorn processes (one worker each): one with the tile cache, one with it
switched off (``WANGGE_TILE_CACHE_MB=0``), which is what a plain ST_AsMVT endpoint does.
The tile requests walk the zoom-13/14 tiles over the county, so the cached server sees
misses on the first pass and hits after it. Everything is read-only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BENCH_DB = "wangge_bench_load"


def demo_database(url: str | None) -> str:
    """URL of a database holding the demo county (built on first use)."""
    if url:
        return url
    from demo.pipeline import build
    from geo.database import databases, migrate
    from geo.database.engine import database_url, make_engine

    server = database_url()
    if BENCH_DB not in databases.list_databases(server, BENCH_DB):
        target = databases.create_database(server, BENCH_DB)
        migrate.upgrade(target)
        engine = make_engine(target, pool_size=2)
        print(f"building the demo county into {BENCH_DB} (once) …", file=sys.stderr)
        build(engine, train=False)
        engine.dispose()
    return databases.with_database(server, BENCH_DB)


def bench_token(url: str) -> str:
    """A county-centre token (the bench user is created once, its password is random)."""
    import secrets

    from api.auth import hash_password, issue_token
    from api.settings import ApiSettings
    from geo.accounts import users
    from geo.database.engine import make_engine, transaction

    engine = make_engine(url, pool_size=1)
    with transaction(engine) as session:
        account = users.find_user(session=session, username="bench_centre")
        if account is None:
            account = users.add_user(
                session=session, username="bench_centre",
                password_hash=hash_password(secrets.token_urlsafe(16)),
                role="county_centre", scope_code=None,
            )  # fmt: skip
        token = issue_token(settings=ApiSettings(), user=account)
    engine.dispose()
    return token


def serve(url: str, port: int, extra_env: dict[str, str]) -> subprocess.Popen:
    """One uvicorn worker on ``port`` serving ``url``."""
    env = {**os.environ, "DATABASE_URL": url, **extra_env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start")


def county_tiles(zoom: int) -> list[tuple[int, int, int]]:
    """Every tile at ``zoom`` over the Lintan bounding box."""
    import math

    def tile(lon: float, lat: float) -> tuple[int, int]:
        n = 1 << zoom
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return x, y

    (x0, y0), (x1, y1) = tile(103.35, 35.05), tile(104.1, 34.45)
    return [(zoom, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


async def run(base: str, token: str, paths: list[str], clients: int, seconds: float) -> dict:
    """``clients`` concurrent clients cycling through ``paths`` for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=120, limits=limits
    ) as client:

        async def one(k: int) -> None:
            nonlocal errors
            i = k
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    response = await client.get(paths[i % len(paths)])
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok
                i += clients

        began = time.monotonic()
        await asyncio.gather(*(one(k) for k in range(clients)))
        elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--url", default=None, help="a database holding the demo county")
    args = parser.parse_args()

    url = demo_database(args.url)
    token = bench_token(url)
    from tests.api.conftest import _free_port  # the same helper the tests use

    cached_port, plain_port = _free_port(), _free_port()
    servers = [serve(url, cached_port, {}), serve(url, plain_port, {"WANGGE_TILE_CACHE_MB": "0"})]
    try:
        cached, plain = f"http://127.0.0.1:{cached_port}", f"http://127.0.0.1:{plain_port}"
        units = httpx.get(
            f"{cached}/api/v1/admin-units?level=township",
            headers={"Authorization": f"Bearer {token}"}, timeout=120,
        ).json()["features"]  # fmt: skip
        towns = [unit["properties"]["code"] for unit in units]
        tiles = [f"/tiles/grids/{z}/{x}/{y}.pbf" for z, x, y in county_tiles(13)]
        tiles += [f"/tiles/disputes/{z}/{x}/{y}.pbf" for z, x, y in county_tiles(13)]
        scenarios = [
            ("GeoJSON /api/v1/grids?township=…", cached,
             [f"/api/v1/grids?township={code}" for code in towns[:4]]),
            ("OGC items grids limit=100", cached,
             [f"/ogc/collections/grids/items?limit=100&offset={o}" for o in range(0, 700, 100)]),
            ("tiles, cache on", cached, tiles),
            ("tiles, cache off (plain ST_AsMVT)", plain, tiles),
        ]  # fmt: skip
        print(f"{len(tiles)} distinct tiles (z13 grids + disputes); {args.seconds:.0f} s per row")
        header = f"{'scenario':38} {'clients':>7} {'req':>6} {'req/s':>8} {'p50 ms':>8} "
        print(header + f"{'p99 ms':>8} {'errors':>6}")
        results = {}
        for name, base, paths in scenarios:
            for clients in args.clients:
                asyncio.run(run(base, token, paths, 2, 1.0))  # warm the pool
                r = asyncio.run(run(base, token, paths, clients, args.seconds))
                results[(name, clients)] = r
                print(
                    f"{name:38} {clients:>7} {r['requests']:>6} {r['rps']:>8.1f} "
                    f"{r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>6}"
                )
        for clients in args.clients:
            on = results[("tiles, cache on", clients)]["rps"]
            off = results[("tiles, cache off (plain ST_AsMVT)", clients)]["rps"]
            print(f"tile cache speed-up at {clients} clients: {on / off:.1f}x requests/s")
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
