"""A citizens' challenge ticket is good for one try on the whole service, not once per server
process: two challenges (and two apps) on one database spend a ticket together, and through a
real ``wangge serve --workers 2`` a replayed ticket is refused whichever worker answers."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack

import httpx
import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from api.app import create_app
from api.public_guard import CHALLENGE_SECONDS, Challenge
from geo.citizens import challenge_store
from geo.database.engine import make_engine
from tests.api.test_citizens import solve
from tests.served_workers import point_in_first_grid, wangge_with_workers, worker_pids

T = 1_800_000_000.0
REFUSED = "小问题答错了或已过期"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _at(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(T + seconds, dt.UTC)


def _answer(asked: dict) -> str:
    return solve(asked["question"])


def _stored(engine, ticket: str) -> bool:
    nonce = ticket.split(".")[0]
    with engine.connect() as conn:
        query = text("SELECT count(*) FROM used_challenge WHERE nonce = :n")
        return conn.execute(query, {"n": nonce}).scalar_one() == 1


@pytest.fixture
def second_engine(migrated_url):
    """Another engine on the same database (as another worker process has)."""
    eng = make_engine(migrated_url, pool_size=1)
    yield eng
    eng.dispose()


def test_a_ticket_taken_on_one_challenge_is_refused_on_another(engine, second_engine):
    clock = Clock(T)
    first, second = (Challenge("s3cret", e, clock=clock) for e in (engine, second_engine))
    asked = first.issue()
    assert second.check(asked["ticket"], _answer(asked))
    assert not first.check(asked["ticket"], _answer(asked))
    assert not second.check(asked["ticket"], _answer(asked))
    missed = second.issue()
    assert not first.check(missed["ticket"], "99")  # a wrong answer spends the ticket too
    assert not second.check(missed["ticket"], _answer(missed))


def test_expired_and_overlong_tickets_are_refused_and_overlong_ones_not_stored(engine):
    clock = Clock(T)
    challenge = Challenge("s3cret", engine, clock=clock)
    late = challenge.issue()
    clock.now = T + CHALLENGE_SECONDS + 1
    assert not challenge.check(late["ticket"], _answer(late))
    forged = f"nonce{int(T)}.{int(T) + 10 * CHALLENGE_SECONDS}.{'0' * 32}"
    clock.now = T
    assert not challenge.check(forged, "7")
    assert not _stored(engine, forged)
    assert not challenge.check("no-dots", "7") and not challenge.check(None, None)


def test_expired_nonces_are_swept_at_most_once_a_minute(engine):
    clock = Clock(T)
    challenge = Challenge("s3cret", engine, clock=clock)
    live = challenge.issue()
    assert challenge.check(live["ticket"], _answer(live))  # sweeps now, next in a minute
    old = f"old{int(T)}"
    with engine.begin() as conn:
        challenge_store.spend(conn, nonce=old, expires_at=_at(-3600))
    clock.now = T + 30
    assert not challenge.check(challenge.issue()["ticket"], "99")
    assert _stored(engine, old + ".")
    clock.now = T + 60
    assert not challenge.check(challenge.issue()["ticket"], "99")
    assert not _stored(engine, old + ".")
    assert _stored(engine, live["ticket"])


@pytest.fixture(scope="module")
def challenge_url(new_database, demo_template) -> str:
    """A copy of the demo county the reports here are filed in."""
    return new_database(template=demo_template, kind="challenge")


@pytest.fixture(scope="module")
def spot(challenge_url):
    row = point_in_first_grid(challenge_url)
    return {"lon": row.lon, "lat": row.lat, "category": "neighbour",
            "description": "楼下夜市太吵，影响休息"}  # fmt: skip


def _post(client, spot: dict, ticket: str, answer: str):
    body = {**spot, "ticket": ticket, "answer": answer}
    return client.post("/api/v1/citizen/reports", json=body)


def test_a_ticket_used_on_one_app_is_refused_on_another(challenge_url, spot):
    with ExitStack() as stack:
        first, second = (
            stack.enter_context(
                TestClient(create_app(database_url=challenge_url), client=("203.0.113.61", 50000))
            )
            for _ in range(2)
        )
        asked = first.get("/api/v1/citizen/challenge").json()
        assert _post(second, spot, asked["ticket"], _answer(asked)).status_code == 201
        for worker in (first, second):
            again = _post(worker, spot, asked["ticket"], _answer(asked))
            assert again.status_code == 422 and REFUSED in again.json()["detail"]
        missed = second.get("/api/v1/citizen/challenge").json()
        assert _post(second, spot, missed["ticket"], "99").status_code == 422
        assert _post(first, spot, missed["ticket"], _answer(missed)).status_code == 422


def test_wangge_serve_with_two_workers_takes_a_ticket_once(
    challenge_url, spot, tmp_path, monkeypatch
):
    monkeypatch.setenv("WANGGE_CITIZEN_REPORTS_PER_HOUR", "1000")
    with wangge_with_workers(challenge_url, 2, tmp_path / "serve.log") as base:
        # a new connection per request, so the kernel hands them to either worker
        def post(ticket: str, answer: str) -> int:
            body = {**spot, "ticket": ticket, "answer": answer}
            return httpx.post(f"{base}/api/v1/citizen/reports", json=body, timeout=60).status_code

        asked = httpx.get(f"{base}/api/v1/citizen/challenge", timeout=60).json()
        assert [post(asked["ticket"], _answer(asked)) for _ in range(8)] == [201] + [422] * 7
        missed = httpx.get(f"{base}/api/v1/citizen/challenge", timeout=60).json()
        assert post(missed["ticket"], "99") == 422
        assert [post(missed["ticket"], _answer(missed)) for _ in range(8)] == [422] * 8
    assert len(worker_pids(tmp_path / "serve.log")) == 2
