"""The shared throttle counters: each count is one atomic statement, so connections hitting
the same key at once (standing in for server processes) never let more through than the
limit, and stale rows are swept."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

from geo.accounts import throttle_store

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def _key(what: str) -> str:
    return f"{what}:{uuid.uuid4().hex[:10]}"


def _at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_a_window_lets_through_limit_hits_then_frees_a_place_as_the_oldest_leaves(engine):
    key = _key("read")
    with engine.begin() as conn:
        answers = [
            throttle_store.rate_hit(conn, key=key, limit=3, seconds=60, now=_at(s))
            for s in (0, 10, 20, 30)
        ]
        assert [a.admitted for a in answers] == [True, True, True, False]
        assert answers[-1].oldest == _at(0)
        freed = throttle_store.rate_hit(conn, key=key, limit=3, seconds=60, now=_at(60))
        assert freed.admitted
        refused = throttle_store.rate_hit(conn, key=key, limit=3, seconds=60, now=_at(61))
        assert not refused.admitted and refused.oldest == _at(10)


def test_concurrent_connections_never_let_more_than_the_limit_through(engine):
    key, limit, callers = _key("report"), 4, 12
    start = threading.Barrier(callers)
    admitted: list[bool] = []

    def caller() -> None:
        with engine.connect() as conn:
            start.wait()
            answer = throttle_store.rate_hit(conn, key=key, limit=limit, seconds=3600, now=T0)
            conn.commit()
            admitted.append(answer.admitted)

    threads = [threading.Thread(target=caller) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(admitted) == callers and admitted.count(True) == limit


def test_concurrent_failures_all_count(engine):
    account, callers = _key("acct"), 12
    start = threading.Barrier(callers)

    def caller(n: int) -> None:
        with engine.connect() as conn:
            start.wait()
            throttle_store.count_login_failure(
                conn, account=account, client=f"10.9.0.{n}", now=T0, window=900
            )
            conn.commit()

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.begin() as conn:
        found = throttle_store.login_failures(
            conn, account=account, client="10.9.0.1", now=T0, window=900
        )
    assert found["account"].count == callers and found["client"].count == 1


def test_failures_past_the_window_start_again_and_a_success_clears_the_account(engine):
    account, client = _key("acct"), _key("client")
    with engine.begin() as conn:
        for s in (0, 1, 2):
            counts = throttle_store.count_login_failure(
                conn, account=account, client=client, now=_at(s), window=900
            )
        assert counts == {"account": 3, "client": 3}
        later = throttle_store.count_login_failure(
            conn, account=account, client=client, now=_at(902), window=900
        )
        assert later == {"account": 1, "client": 1}
        throttle_store.clear_account(conn, account=account)
        found = throttle_store.login_failures(
            conn, account=account, client=client, now=_at(903), window=900
        )
        assert set(found) == {"client"} and found["client"].last == _at(902)
        assert (
            throttle_store.login_failures(
                conn, account=account, client=client, now=_at(2000), window=900
            )
            == {}
        )


def test_stale_rows_are_swept(engine):
    account, client, key = _key("acct"), _key("client"), _key("read")
    with engine.begin() as conn:
        throttle_store.count_login_failure(
            conn, account=account, client=client, now=_at(-10_000_000), window=900
        )
        throttle_store.rate_hit(conn, key=key, limit=1, seconds=60, now=_at(-10_000_000))
        assert throttle_store.forget_login_failures(conn, before=_at(-9_000_000)) >= 2
        assert throttle_store.forget_rate_keys(conn, before=_at(-9_000_000)) >= 1
        assert throttle_store.rate_hit(conn, key=key, limit=1, seconds=86_400_000, now=T0).admitted
