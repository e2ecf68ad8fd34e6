"""``wangge serve --workers N`` as a real subprocess, and a point inside a current grid.

For tests that must show something holds across server processes (counts kept in PostgreSQL,
not in one worker's memory) and for tests that file reports at a real place.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from geo.database.engine import make_engine

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A loopback port nobody listens on (closed again before returning)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def wangge_with_workers(url: str, workers: int, log: Path) -> Iterator[str]:
    """Run ``wangge serve --workers N`` on a free port until every worker has started; yield
    its base URL; stop it and its workers after."""
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port),
               "--workers", str(workers), "--no-access-log"]  # fmt: skip
    proc = subprocess.Popen(
        command, env={**os.environ, "DATABASE_URL": url}, stdout=log.open("w"),
        stderr=subprocess.STDOUT, cwd=REPO,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while len(re.findall("Application startup complete", log.read_text())) < workers:
            if proc.poll() is not None:
                raise RuntimeError(f"wangge serve exited with {proc.returncode}: {log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"wangge serve did not start {workers} workers: {log.read_text()}"
                )
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def worker_pids(log: Path) -> set[str]:
    """The process ids of the workers a ``wangge serve`` log says were started."""
    return set(re.findall(r"Started server process \[(\d+)\]", log.read_text()))


def point_in_first_grid(url: str):
    """A point inside the first current grid (by code): code, county_code, lon, lat."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT code, county_code, ST_X(ST_PointOnSurface(geom)) AS lon,"
                    " ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid WHERE valid_to IS NULL"
                    " ORDER BY code LIMIT 1"
                )
            ).one()
    finally:
        engine.dispose()
