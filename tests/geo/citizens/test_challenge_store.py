"""The used challenge tickets: spending is one atomic statement, so connections trying the
same ticket at once (standing in for server processes) let exactly one through, and expired
nonces are swept while live ones stay."""

from __future__ import annotations

import datetime as dt
import secrets
import threading

from geo.citizens import challenge_store

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def _nonce() -> str:
    return secrets.token_urlsafe(12)


def _at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_a_ticket_is_spent_by_its_first_try_only(engine):
    nonce, other = _nonce(), _nonce()
    with engine.begin() as conn:
        assert challenge_store.spend(conn, nonce=nonce, expires_at=_at(600))
        assert not challenge_store.spend(conn, nonce=nonce, expires_at=_at(600))
        assert challenge_store.spend(conn, nonce=other, expires_at=_at(600))
    with engine.begin() as conn:  # committed: a later connection finds it spent too
        assert not challenge_store.spend(conn, nonce=nonce, expires_at=_at(600))


def test_concurrent_tries_of_one_ticket_let_exactly_one_through(engine):
    nonce, callers = _nonce(), 12
    start = threading.Barrier(callers)
    firsts: list[bool] = []

    def caller() -> None:
        with engine.connect() as conn:
            start.wait()
            first = challenge_store.spend(conn, nonce=nonce, expires_at=_at(600))
            conn.commit()
            firsts.append(first)

    threads = [threading.Thread(target=caller) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(firsts) == callers and firsts.count(True) == 1


def test_expired_nonces_are_swept_and_live_ones_kept(engine):
    expired, live = _nonce(), _nonce()
    with engine.begin() as conn:
        challenge_store.spend(conn, nonce=expired, expires_at=_at(-10_000_000))
        challenge_store.spend(conn, nonce=live, expires_at=_at(600))
        assert challenge_store.forget_expired(conn, before=_at(-9_000_000)) >= 1
        assert challenge_store.spend(conn, nonce=expired, expires_at=_at(600))
        assert not challenge_store.spend(conn, nonce=live, expires_at=_at(600))
