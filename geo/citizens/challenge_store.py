"""The challenge tickets already tried on the citizens' form, shared by every server process.

Every process (``wangge serve --workers N``, or several machines) records the nonces in the
same UNLOGGED table (migration ``0022_used_challenge``), so a ticket is good for one try on the
whole service rather than once per process. Spending is one atomic statement; the policy (what
a valid ticket is, when to sweep) stays with the caller (``api/public_guard.py``), which passes
the times in so tests can move the clock.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

from geo.database.sqlfiles import sql


def spend(conn: Connection, *, nonce: str, expires_at: dt.datetime) -> bool:
    """Record the try of ticket ``nonce`` (kept until ``expires_at``); True for its first try,
    False when any process recorded it before."""
    row = conn.execute(
        sql("citizens_challenge_spend"), {"nonce": nonce, "expires_at": expires_at}
    ).first()
    return row is not None


def forget_expired(conn: Connection, *, before: dt.datetime) -> int:
    """Delete the nonces of tickets that expired before ``before``; how many went."""
    return conn.execute(sql("citizens_challenge_forget"), {"before": before}).rowcount
