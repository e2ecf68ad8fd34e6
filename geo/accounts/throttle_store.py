"""The shared counters behind the login throttle and the public rate limits.

Every server process (``wangge serve --workers N``, or several machines) counts in the same
two UNLOGGED tables (migration ``0021_shared_throttle``), so the limits hold for the whole
service rather than per process. Each check or count is one atomic statement; the policy (how
many, how long to wait) stays with the callers (``api/ratelimit.py``, ``api/public_guard.py``),
which pass the time in as ``now`` so tests can move the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from geo.database.sqlfiles import sql


@dataclass(frozen=True)
class Failures:
    """The failures counted for one account or client, and when the last one happened."""

    count: int
    last: dt.datetime


def login_failures(
    conn: Connection, *, account: str, client: str, now: dt.datetime, window: float
) -> dict[str, Failures]:
    """The live counts (``{'account': …, 'client': …}``, either may be missing) of an account
    and a client: failures older than ``window`` seconds are forgotten."""
    rows = conn.execute(
        sql("throttle_login_failures"),
        {"account": account, "client": client, "now": now, "window": window},
    )
    return {row.kind: Failures(row.failures, row.last_failed_at) for row in rows}


def lock_login_counts(
    conn: Connection, *, account: str, client: str, now: dt.datetime, window: float
) -> dict[str, Failures]:
    """:func:`login_failures`, with the counting of both the account and the client locked
    until ``conn``'s transaction ends: whoever checks them next waits for this check and the
    count it leads to (:func:`count_login_failure` in the same transaction)."""
    conn.execute(sql("throttle_login_lock"), {"account": account, "client": client})
    return login_failures(conn, account=account, client=client, now=now, window=window)


def count_login_failure(
    conn: Connection, *, account: str, client: str, now: dt.datetime, window: float
) -> dict[str, int]:
    """Count one failure against both the account and the client; the new counts by kind."""
    rows = conn.execute(
        sql("throttle_login_failed"),
        {"account": account, "client": client, "now": now, "window": window},
    )
    return {row.kind: row.failures for row in rows}


def clear_account(conn: Connection, *, account: str) -> None:
    """Forget the failures of ``account``."""
    conn.execute(sql("throttle_login_clear"), {"account": account})


def refund_client(conn: Connection, *, client: str) -> None:
    """Take back one failure counted against ``client`` (an attempt that proved correct)."""
    conn.execute(sql("throttle_login_refund"), {"client": client})


@dataclass(frozen=True)
class Hit:
    """The answer to one rate-limited hit: let through or not, and the oldest hit that still
    counts (the window frees a place when it leaves)."""

    admitted: bool
    oldest: dt.datetime


def rate_hit(conn: Connection, *, key: str, limit: int, seconds: float, now: dt.datetime) -> Hit:
    """Count a hit on ``key`` if fewer than ``limit`` lie within the last ``seconds``."""
    row = conn.execute(
        sql("throttle_rate_hit"), {"key": key, "limit": limit, "seconds": seconds, "now": now}
    ).one()
    return Hit(row.admitted, row.oldest)


def forget_login_failures(conn: Connection, *, before: dt.datetime) -> int:
    """Delete the counts whose last failure lies before ``before``; how many went."""
    return conn.execute(sql("throttle_login_forget"), {"before": before}).rowcount


def forget_rate_keys(conn: Connection, *, before: dt.datetime) -> int:
    """Delete the rate-limit keys idle since before ``before``; how many went."""
    return conn.execute(sql("throttle_rate_forget"), {"before": before}).rowcount
