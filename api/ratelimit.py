"""Login throttling with back-off, counted per account and per client separately, and the
client's address (forwarded headers believed only from the configured proxies).

Per account (any client): after ``account_limit`` failures each further attempt on that name
waits twice as long as the last (from ``account_wait`` up to ``account_cap``), wherever it
comes from, so rotating addresses or spoofing ``X-Forwarded-For`` gains nothing.

Per client (any account): after ``client_limit`` failures the address backs off too (from
``client_wait``), but only up to ``client_cap`` (a minute): many people may sit behind one
government NAT address, and one of them guessing must never lock the others out for long.

An attempt is counted as a failure the moment it is let through, in the same locked
transaction as the check (:meth:`LoginThrottle.admit`), and given back when the password proves
right: attempts sent at the same instant, from one process or many, are let through one by one
and never more than the limit. A success clears the account's count. Counts are forgotten
``window`` seconds after their last failure. They are kept in the database
(:mod:`geo.accounts.throttle_store`), so every server process and machine counts together:
``wangge serve --workers N`` gives no more attempts than one process.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import time

from sqlalchemy import Engine
from starlette.requests import Request

from geo.accounts import throttle_store
from geo.accounts.throttle_store import Failures

SWEEP_SECONDS = 60.0


def moment(seconds: float) -> dt.datetime:
    """The clock's reading (seconds since the epoch) as the UTC time the store keeps."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


class LoginThrottle:
    """Exponential back-off on failed logins, per account and per client, counted in the
    database that ``engine`` opens."""

    def __init__(
        self,
        engine: Engine,
        *,
        account_limit: int = 5,
        client_limit: int = 30,
        account_wait: float = 30.0,
        client_wait: float = 2.0,
        account_cap: float = 900.0,
        client_cap: float = 60.0,
        window: float = 900.0,
        clock=time.time,
    ) -> None:
        self.engine = engine
        self.account_limit = account_limit
        self.client_limit = client_limit
        self.account_wait = account_wait
        self.client_wait = client_wait
        self.account_cap = account_cap
        self.client_cap = client_cap
        self.window = window
        self._clock = clock
        self._next_sweep = float("-inf")

    @staticmethod
    def _wait(found: Failures | None, limit: int, first: float, cap: float, now: float) -> float:
        if found is None or found.count < limit:
            return 0.0
        backoff = min(cap, first * 2 ** min(found.count - limit, 32))
        return max(0.0, found.last.timestamp() + backoff - now)

    def _wait_for(self, found: dict[str, Failures], now: float) -> float:
        return max(
            self._wait(
                found.get("account"), self.account_limit, self.account_wait, self.account_cap, now
            ),
            self._wait(
                found.get("client"), self.client_limit, self.client_wait, self.client_cap, now
            ),
        )

    def admit(self, *, username: str, client: str) -> float:
        """Seconds to wait before this name may be tried from this client; when 0 the attempt
        may go ahead and is already counted as a failure against both (:meth:`succeeded` gives
        it back). Check and count run under one lock of both counts, so concurrent attempts
        are judged one after another."""
        now = self._clock()
        with self.engine.begin() as conn:
            account = username.lower()
            found = throttle_store.lock_login_counts(
                conn, account=account, client=client, now=moment(now), window=self.window
            )
            wait = self._wait_for(found, now)
            if wait > 0:
                return wait
            throttle_store.count_login_failure(
                conn, account=account, client=client, now=moment(now), window=self.window
            )
            if now >= self._next_sweep:
                self._next_sweep = now + SWEEP_SECONDS
                throttle_store.forget_login_failures(conn, before=moment(now - self.window))
        return 0.0

    def succeeded(self, *, username: str, client: str) -> None:
        """The attempt :meth:`admit` let through was right: forget the account's failures and
        give the client back the attempt (its other failures stay: a guesser may own an
        account)."""
        with self.engine.begin() as conn:
            throttle_store.clear_account(conn, account=username.lower())
            throttle_store.refund_client(conn, client=client)


def client_address(request: Request, trusted_proxies) -> str:
    """The address of the client behind ``request``.

    The connecting peer, unless it is one of ``trusted_proxies`` (``ApiSettings``
    ``is_trusted_proxy``): then ``X-Forwarded-For`` is read from the right, skipping the
    trusted proxies, and the first address that is not one of them is the client. A header
    sent by anyone else is ignored, so a client cannot choose its own address.
    """
    peer = request.client.host if request.client else "unknown"
    if not trusted_proxies(peer):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
    ]
    for hop in reversed(hops):
        if not _is_address(hop):
            break
        if not trusted_proxies(hop):
            return hop
    return peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
