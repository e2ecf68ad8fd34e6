"""Reliability over loopback, bounded: concurrent readers and writers, and PostgreSQL
restarted in the middle of an ingest (on a private cluster this test owns)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import httpx
import pandas as pd
import pytest
from sqlalchemy import text

from api.deps import TOKEN_COOKIE
from geo.database import cluster, migrate
from geo.database.engine import make_engine
from geo.database.settings import DatabaseSettings
from geo.disputes.workflow import TRANSITIONS
from tests.api.test_tiles import tile_of

READERS = 6
WRITERS = 4
CASES_PER_WRITER = 5
CONTESTED = 4
PATH = ("in_progress", "resolved", "archived")  # legal steps from "received", no payload needed


def _received_disputes(url: str, n: int) -> list[int]:
    """``n`` new cases at intake (status received), each on a current grid."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as conn:
            return list(
                conn.execute(
                    text(
                        "INSERT INTO dispute (external_id, county_code, category, reported_at, "
                        "grid_id, geom) "
                        "SELECT 'faults-' || g.code, g.county_code, 'neighbour', now(), g.id, "
                        "ST_PointOnSurface(g.geom) FROM grid g WHERE g.valid_to IS NULL "
                        "ORDER BY g.code LIMIT :n RETURNING id"
                    ),
                    {"n": n},
                ).scalars()
            )
    finally:
        engine.dispose()


def test_readers_and_writers_at_once_lose_and_duplicate_nothing(
    fresh_demo_url, start_server, role_users
):
    assert PATH[0] in TRANSITIONS["received"]
    users = role_users(fresh_demo_url)
    headers = users["county_centre"].headers
    base = start_server(fresh_demo_url)
    ids = _received_disputes(fresh_demo_url, WRITERS * CASES_PER_WRITER + CONTESTED)
    assert len(ids) == WRITERS * CASES_PER_WRITER + CONTESTED
    own = [ids[i * CASES_PER_WRITER : (i + 1) * CASES_PER_WRITER] for i in range(WRITERS)]
    contested = ids[WRITERS * CASES_PER_WRITER :]
    engine = make_engine(fresh_demo_url, pool_size=1)
    with engine.connect() as conn:
        events_before = conn.execute(
            text("SELECT count(*) FROM dispute_event WHERE dispute_id = ANY(:ids)"), {"ids": ids}
        ).scalar()
    z, x, y = tile_of(103.7, 34.7, 10)
    reads = [
        "/api/v1/grids?township=623021100",
        f"/tiles/grids/{z}/{x}/{y}.pbf",
        f"/tiles/disputes/{z}/{x}/{y}.pbf",
        "/ogc/collections/disputes/items?limit=50",
        "/api/v1/disputes?limit=50",
        "/maps/command-room",
    ]
    done = threading.Event()
    read_errors: list[str] = []
    read_count = Counter()
    successes: list[tuple[int, str, int]] = []  # (dispute, to, event id)
    write_errors: list[str] = []
    lock = threading.Lock()

    def reader(n: int) -> None:
        with httpx.Client(
            base_url=base, timeout=120, headers=headers,
            cookies={TOKEN_COOKIE: users["viewer"].token},
        ) as c:  # fmt: skip
            i = n
            while not done.is_set():
                url = reads[i % len(reads)]
                i += 1
                try:
                    status = c.get(url).status_code
                except httpx.HTTPError as exc:
                    status = repr(exc)
                with lock:
                    read_count[url] += 1
                    if status != 200:
                        read_errors.append(f"{url}: {status}")

    def step(c: httpx.Client, dispute_id: int, to: str, version: int) -> int:
        response = c.post(
            f"/api/v1/disputes/{dispute_id}/transitions", json={"to": to, "version": version}
        )
        if response.status_code == 200:
            body = response.json()
            with lock:
                successes.append((dispute_id, body["to"], body["event_id"]))
        return response.status_code

    def writer(mine: list[int]) -> None:
        with httpx.Client(base_url=base, timeout=120, headers=headers) as c:
            for dispute_id in mine:
                version = c.get(f"/api/v1/disputes/{dispute_id}").json()["properties"]["version"]
                for to in PATH:
                    status = step(c, dispute_id, to, version)
                    if status != 200:
                        with lock:
                            write_errors.append(f"{dispute_id}->{to}: {status}")
                        break
                    version += 1

    def racer(dispute_id: int, version: int, results: list[int]) -> None:
        with httpx.Client(base_url=base, timeout=120, headers=headers) as c:
            results.append(step(c, dispute_id, "in_progress", version))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    threads += [threading.Thread(target=writer, args=(mine,)) for mine in own]
    race_results: dict[int, list[int]] = {d: [] for d in contested}
    with httpx.Client(base_url=base, timeout=120, headers=headers) as c:
        versions = {
            d: c.get(f"/api/v1/disputes/{d}").json()["properties"]["version"] for d in contested
        }
    for d in contested:  # two clients move the same case from the same version at once
        threads += [
            threading.Thread(target=racer, args=(d, versions[d], race_results[d])) for _ in range(2)
        ]
    for t in threads:
        t.start()
    for t in threads[READERS:]:
        t.join(timeout=600)
    done.set()
    for t in threads[:READERS]:
        t.join(timeout=120)

    assert write_errors == []
    assert read_errors == []
    assert sum(read_count.values()) >= len(reads)
    for d, results in race_results.items():
        assert sorted(results) == [200, 409], (d, results)
    expected = WRITERS * CASES_PER_WRITER * len(PATH) + CONTESTED
    assert len(successes) == expected
    assert len({event for _, _, event in successes}) == expected  # no event id twice
    with engine.connect() as conn:
        events = conn.execute(
            text(
                "SELECT dispute_id, to_status, count(*) AS n FROM dispute_event "
                "WHERE dispute_id = ANY(:ids) GROUP BY dispute_id, to_status"
            ),
            {"ids": ids},
        ).all()
        total_after = conn.execute(
            text("SELECT count(*) FROM dispute_event WHERE dispute_id = ANY(:ids)"), {"ids": ids}
        ).scalar()
        final = dict(
            conn.execute(
                text("SELECT id, status FROM dispute WHERE id = ANY(:ids)"), {"ids": ids}
            ).all()
        )
    engine.dispose()
    assert total_after - events_before == expected  # nothing lost, nothing extra
    moved = {(e.dispute_id, e.to_status): e.n for e in events if e.to_status in PATH}
    assert all(n == 1 for n in moved.values())  # no transition recorded twice
    assert all(final[d] == "archived" for mine in own for d in mine)
    assert all(final[d] == "in_progress" for d in contested)


# --- PostgreSQL restarted in the middle of an ingest -----------------------------------------

REPEAT = 20  # the demo's disputes, 20 times over with new ids: several committed chunks


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ingest(url: str, path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", "ingest", "disputes",
         str(path), "--county", "623021"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


DUMP = """
SELECT d.external_id, d.category, d.severity, d.reported_at, d.status, d.county_code,
       d.geocode_level, g.code AS grid_code, ST_AsText(d.geom) AS geom,
       (SELECT count(*) FROM dispute_event e WHERE e.dispute_id = d.id) AS events,
       (SELECT count(*) FROM dispute_party p WHERE p.dispute_id = d.id) AS parties
FROM dispute d LEFT JOIN grid g ON g.id = d.grid_id
ORDER BY d.external_id
"""


def _dump(url: str) -> pd.DataFrame:
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return pd.DataFrame(conn.execute(text(DUMP)).mappings().all())
    finally:
        engine.dispose()


def _count(url: str) -> int:
    engine = make_engine(url, pool_size=1, pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM dispute")).scalar()
    finally:
        engine.dispose()


@pytest.mark.slow
def test_postgres_restart_during_an_ingest(tmp_path, demo_county, start_server, role_users):
    from demo.pipeline import load_base

    settings = DatabaseSettings(data_dir=tmp_path / "cluster", pg_port=_free_port())
    settings = settings.model_copy(update={"database_url": None})
    cluster.start(settings)
    try:
        cluster.create_database(settings, "base")
        base_url = cluster.admin_url(settings, "base")
        migrate.upgrade(base_url)
        engine = make_engine(base_url, pool_size=1)
        load_base(engine, demo_county)
        engine.dispose()
        for name in ("reference", "faulted"):
            cluster.create_database(settings, name, template="base")
        reference = cluster.admin_url(settings, "reference")
        faulted = cluster.admin_url(settings, "faulted")

        frames = []
        source = demo_county.disputes.drop(
            columns=[c for c in demo_county.disputes.columns if c.startswith("true_")]
            + ["parties", "routed_at", "resolved_at", "closed_at", "outcome", "satisfaction",
               "cause", "parent_external_id"]
        )  # fmt: skip
        for k in range(REPEAT):
            frames.append(source.assign(external_id=source["external_id"] + f"-r{k:02d}"))
        path = tmp_path / "disputes.csv"
        pd.concat(frames).to_csv(path, index=False)

        done = _ingest(reference, path)
        _, err = done.communicate(timeout=900)
        assert done.returncode in (0, 1) and "Traceback" not in err, err

        users = role_users(faulted)
        api = start_server(faulted)
        with httpx.Client(base_url=api, timeout=120, headers=users["viewer"].headers) as c:
            assert c.get("/api/v1/grids?township=623021100").status_code == 200

        running = _ingest(faulted, path)
        deadline = time.monotonic() + 900
        while _count(faulted) == 0 and running.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        restarted_mid_ingest = running.poll() is None
        cluster.stop(settings)  # fast shutdown: every session is cut off
        cluster.start(settings)
        _, err = running.communicate(timeout=900)
        assert restarted_mid_ingest, "the ingest finished before the restart; raise REPEAT"
        finished = running.returncode in (0, 1) and "Traceback" not in err
        assert not finished or _count(faulted) == _count(reference)

        again = _ingest(faulted, path)
        _, err = again.communicate(timeout=900)
        assert again.returncode in (0, 1) and "Traceback" not in err, err
        pd.testing.assert_frame_equal(_dump(faulted), _dump(reference))

        # the service reconnects by itself: the pool drops the dead connections
        with httpx.Client(base_url=api, timeout=120, headers=users["viewer"].headers) as c:
            assert c.get("/api/v1/grids?township=623021100").status_code == 200
            assert c.get("/api/v1/health").status_code == 200
    finally:
        cluster.stop(settings)
