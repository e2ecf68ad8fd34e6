"""wangge and tipg side by side: the same demo database, the same load generator, the same URLs.

    uv run --frozen python bench/serve_vs_tipg.py [--seconds 8] [--clients 10 20 50] [--workers 2]

Starts ``wangge serve --workers N`` and tipg (pinned in the bench group, served by uvicorn with
the same number of workers) on the demo county in ``wangge_bench_load`` (built on first use by
bench/load_api.py's helper), then drives each in turn with a small closed-loop HTTP/1.1 client
(asyncio on uvloop, responses parsed by httptools: it costs far less CPU than httpx, which
matters when the generator shares two cores with the servers). tipg reads the current grids
through a view with the same rows and columns as wangge's ``grids`` collection.

Scenarios (wangge URL / tipg URL):
  cached tile        one grids tile at z12, over and over (wangge: tile cache, tipg: ST_AsMVT)
  tiles z10-16       up to 40 grids tiles per zoom 10..16 over the county, in turn
  OGC items 100      items?limit=100 at offsets 0..600
  OGC items bbox     items?limit=100&bbox=<0.1° around a township>
  township GeoJSON   /api/v1/grids?township=… / items?township_code=…&limit=1000
Prints requests/s, p50 and p99 per scenario and client count, and wangge/tipg ratios, from
one run. Read-only; the view ``tipg_grids`` is (re)created in the bench database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httptools
import httpx
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load_api import bench_token, county_tiles, demo_database

TIPG_VIEW = """
CREATE OR REPLACE VIEW tipg_grids AS
SELECT g.code, g.name, g.county_code, g.township_code, g.village_code,
       v.short_name AS village, t.short_name AS township, g.households, g.population,
       s.name AS leader, g.valid_from, g.synthetic, g.geom
FROM grid g
JOIN admin_unit v ON v.code = g.village_code
JOIN admin_unit t ON t.code = g.township_code
LEFT JOIN staff s ON s.id = g.leader_id
WHERE g.valid_to IS NULL
"""
TIPG_COLLECTION = "public.tipg_grids"


# --- the load generator -------------------------------------------------------------------------


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection answering one request at a time."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future | None = None
        self.size = 0

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_body(self, body: bytes) -> None:
        self.size += len(body)

    def on_message_complete(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(self.parser.get_status_code())

    def connection_lost(self, exc) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed"))

    async def get(self, request: bytes) -> int:
        self.size = 0
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter


@dataclass
class Result:
    """What one run measured."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


async def _load(port: int, requests: list[bytes], clients: int, seconds: float) -> Result:
    loop = asyncio.get_running_loop()
    connections = [
        (await loop.create_connection(_Connection, "127.0.0.1", port))[1] for _ in range(clients)
    ]
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client(k: int, connection: _Connection) -> None:
        nonlocal errors
        i = k
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                status = await connection.get(requests[i % len(requests)])
            except ConnectionError:
                errors += 1
                return
            latencies.append(time.perf_counter() - started)
            errors += status not in (200, 204)
            i += clients

    began = time.perf_counter()
    await asyncio.gather(*(client(k, c) for k, c in enumerate(connections)))
    elapsed = time.perf_counter() - began
    for connection in connections:
        connection.transport.close()
    latencies.sort()
    n = len(latencies)
    return Result(
        requests=n,
        rps=n / elapsed,
        p50_ms=1000 * latencies[n // 2] if n else math.nan,
        p99_ms=1000 * latencies[int(0.99 * (n - 1))] if n else math.nan,
        errors=errors,
    )


def load(port: int, paths: list[str], token: str, clients: int, seconds: float) -> Result:
    """``clients`` closed-loop clients cycling through ``paths`` for ``seconds``."""
    requests = [
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\n\r\n".encode()
        for path in paths
    ]
    return uvloop.run(_load(port, requests, clients, seconds))


# --- the two servers ----------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(proc: subprocess.Popen, url: str, name: str) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer within 300 s")


def start_wangge(url: str, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    """``wangge serve --workers N`` on a free port."""
    port = _free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port),
               "--workers", str(workers), "--no-access-log"]  # fmt: skip
    proc = subprocess.Popen(
        command, env={**os.environ, "DATABASE_URL": url}, stdout=log.open("w"),
        stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    _wait(proc, f"http://127.0.0.1:{port}/api/v1/health", "wangge")
    return proc, port


def start_tipg(url: str, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    """tipg under uvicorn with ``workers`` processes on a free port, serving the view only."""
    from sqlalchemy.engine import make_url

    port = _free_port()
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_DB_TABLES": f'["{TIPG_COLLECTION}"]',
        "TIPG_DB_FUNCTIONS": "[]",
        "TIPG_TABLE_CONFIG__public_tipg_grids__PK": "code",
        "TIPG_MAX_FEATURES_PER_QUERY": "10000",
    }
    command = [sys.executable, "-m", "uvicorn", "tipg.main:app", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--no-access-log",
               "--log-level", "warning"]  # fmt: skip
    proc = subprocess.Popen(
        command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        cwd=tempfile.mkdtemp(prefix="tipg-"),  # no stray .env is read
    )  # fmt: skip
    _wait(proc, f"http://127.0.0.1:{port}/collections/{TIPG_COLLECTION}", "tipg")
    return proc, port


def stop(proc: subprocess.Popen) -> None:
    """Stop a server and its workers."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- the URLs -----------------------------------------------------------------------------------


def scenarios(wangge: int, token: str) -> list[tuple[str, list[str], list[str]]]:
    """``(name, wangge paths, tipg paths)`` for every scenario."""
    headers = {"Authorization": f"Bearer {token}"}
    towns = httpx.get(
        f"http://127.0.0.1:{wangge}/api/v1/admin-units?level=township", headers=headers, timeout=120
    ).json()["features"]
    town = next(
        unit for unit in towns
        if httpx.get(f"http://127.0.0.1:{wangge}/api/v1/grids?township={unit['properties']['code']}",
                     headers=headers, timeout=120).json()["features"]
    )  # fmt: skip
    code = town["properties"]["code"]
    ring = town["geometry"]["coordinates"][0][0]
    lon = sum(p[0] for p in ring) / len(ring)
    lat = sum(p[1] for p in ring) / len(ring)
    bbox = f"{lon - 0.05:.4f},{lat - 0.05:.4f},{lon + 0.05:.4f},{lat + 0.05:.4f}"

    def tile_at(z: int) -> tuple[int, int, int]:
        n = 1 << z
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return z, x, y

    zooms: list[tuple[int, int, int]] = []
    for z in range(10, 17):
        every = county_tiles(z)
        step = max(1, len(every) // 40)
        zooms += every[::step][:40]
    w_tile = "/tiles/grids/{}/{}/{}.pbf"
    t_tile = f"/collections/{TIPG_COLLECTION}/tiles/WebMercatorQuad/{{}}/{{}}/{{}}"
    t_items = f"/collections/{TIPG_COLLECTION}/items"
    offsets = range(0, 700, 100)
    return [
        ("cached tile z12", [w_tile.format(*tile_at(12))], [t_tile.format(*tile_at(12))]),
        ("tiles z10-16", [w_tile.format(*t) for t in zooms], [t_tile.format(*t) for t in zooms]),
        ("OGC items limit=100",
         [f"/ogc/collections/grids/items?limit=100&offset={o}" for o in offsets],
         [f"{t_items}?limit=100&offset={o}" for o in offsets]),
        ("OGC items bbox",
         [f"/ogc/collections/grids/items?limit=100&bbox={bbox}"],
         [f"{t_items}?limit=100&bbox={bbox}"]),
        ("township GeoJSON",
         [f"/api/v1/grids?township={code}"],
         [f"{t_items}?township_code={code}&limit=1000"]),
    ]  # fmt: skip


def _size(port: int, path: str, token: str) -> str:
    """What one URL answers: status, bytes and, for GeoJSON, the number of features."""
    response = httpx.get(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=120
    )
    features = ""
    if "json" in response.headers.get("content-type", ""):
        features = f", {len(response.json().get('features', []))} features"
    return f"{response.status_code}, {len(response.content):,} bytes{features}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 20, 50])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", default=None, help="a database holding the demo county")
    parser.add_argument("--out", type=Path, default=Path("bench/out/serve_vs_tipg"))
    args = parser.parse_args()

    from sqlalchemy import text

    from geo.database import migrate
    from geo.database.engine import make_engine

    url = demo_database(args.url)
    migrate.upgrade(url)
    engine = make_engine(url, pool_size=1)
    with engine.begin() as conn:
        conn.execute(text(TIPG_VIEW))
    engine.dispose()
    token = bench_token(url)
    args.out.mkdir(parents=True, exist_ok=True)
    servers = []
    try:
        wangge_proc, wangge = start_wangge(url, args.workers, args.out / "wangge.log")
        servers.append(wangge_proc)
        tipg_proc, tipg = start_tipg(url, args.workers, args.out / "tipg.log")
        servers.append(tipg_proc)
        print(f"wangge (wangge serve --workers {args.workers}) and tipg (uvicorn --workers "
              f"{args.workers}) on {url.rsplit('/', 1)[-1]}; {args.seconds:.0f} s per row, "
              f"one load-generator process (uvloop + httptools)")  # fmt: skip
        head = f"{'scenario':22} {'clients':>7} | {'wangge req/s':>12} {'p50':>7} {'p99':>7}"
        print(head + f" | {'tipg req/s':>10} {'p50':>7} {'p99':>7} | {'ratio':>6} {'errors':>9}")
        rows = []
        plan = scenarios(wangge, token)
        for name, ours, theirs in plan:
            sizes = [
                _size(port, paths[0], token) for port, paths in ((wangge, ours), (tipg, theirs))
            ]
            print(f"  {name}: first URL answers {sizes[0]} (wangge) and {sizes[1]} (tipg)")
        for name, ours, theirs in plan:
            for clients in args.clients:
                measured = {}
                for side, port, paths in (("wangge", wangge, ours), ("tipg", tipg, theirs)):
                    load(port, paths, token, 2, 1.5)  # warm pools and caches
                    measured[side] = load(port, paths, token, clients, args.seconds)
                w, t = measured["wangge"], measured["tipg"]
                ratio = w.rps / t.rps if t.rps else math.inf
                rows.append({"scenario": name, "clients": clients, "wangge": vars(w),
                             "tipg": vars(t), "ratio": ratio})  # fmt: skip
                print(
                    f"{name:22} {clients:>7} | {w.rps:>12.1f} {w.p50_ms:>7.1f} {w.p99_ms:>7.1f}"
                    f" | {t.rps:>10.1f} {t.p50_ms:>7.1f} {t.p99_ms:>7.1f} | {ratio:>5.2f}x"
                    f" {w.errors:>4}/{t.errors:<4}",
                    flush=True,
                )
        (args.out / "results.json").write_text(json.dumps(rows, indent=1))
        print("ratio = wangge req/s ÷ tipg req/s; p50/p99 in ms; errors wangge/tipg")
    finally:
        for proc in servers:
            stop(proc)


if __name__ == "__main__":
    main()
