"""Guards of the public doors (the citizens' pages, Open311): rate limits, body size, challenge.

- **Rate limits** count requests in a sliding window, per client address (read with
  :func:`api.ratelimit.client_address`: forwarded headers only from trusted proxies) and per
  partner key. Counts live in the database (:mod:`geo.accounts.throttle_store`), shared by
  every server process and machine, like the login throttle.
- **Body size**: a public body larger than ``WANGGE_CITIZEN_MAX_BODY_BYTES`` is a 413 before
  it is parsed.
- **Challenge**: a small sum in Chinese (“3 加 5 等于几？”), checked offline: the ticket is
  ``nonce.expiry.HMAC(secret, nonce, expiry, answer)``, so the server keeps no state but the
  nonces already tried; each ticket is good for one try within ten minutes. The tried nonces
  live in the database (:mod:`geo.citizens.challenge_store`), so the one try holds for every
  server process and machine, not once per process.

Also the intake locator the public doors share with the staff intake (:func:`intake_locator`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from fastapi import HTTPException, Request
from sqlalchemy import Engine

from api.ratelimit import SWEEP_SECONDS, client_address, moment
from geo.accounts import throttle_store
from geo.citizens import challenge_store

CHALLENGE_SECONDS = 600
# how far the clocks of the machines sharing a database may differ
CLOCK_SLACK_SECONDS = 60
_DIGITS = "零一二三四五六七八九十"


class SlidingWindow:
    """At most ``limit`` hits per ``seconds`` for each key; ``hit`` answers the wait.

    The hits are counted in the database that ``engine`` opens, so every server process
    shares them. Keys idle for ``keep`` seconds are swept away (at most once a minute per
    process), so no window may be longer than ``keep``.
    """

    def __init__(self, engine: Engine, *, clock=time.time, keep: float = 86_400.0) -> None:
        self.engine = engine
        self.keep = keep
        self._clock = clock
        self._next_sweep = float("-inf")

    def hit(self, key: str, *, limit: int, seconds: float) -> float:
        """Count one hit for ``key``; return 0 when allowed, else the seconds to wait (the
        refused hit is not counted)."""
        if not 0 < seconds <= self.keep:
            raise ValueError(f"a rate window must last 0 < seconds <= {self.keep}, not {seconds}")
        now = self._clock()
        with self.engine.begin() as conn:
            answer = throttle_store.rate_hit(
                conn, key=key, limit=limit, seconds=seconds, now=moment(now)
            )
            if now >= self._next_sweep:
                self._next_sweep = now + SWEEP_SECONDS
                throttle_store.forget_rate_keys(conn, before=moment(now - self.keep))
        if answer.admitted:
            return 0.0
        return max(1.0, answer.oldest.timestamp() + seconds - now)


def too_many(wait: float) -> HTTPException:
    """The 429 for a refused hit, with ``Retry-After``."""
    return HTTPException(
        status_code=429,
        detail="操作太频繁，请稍后再试 / too many requests, try again later",
        headers={"Retry-After": str(int(wait + 0.999))},
    )


def limiter(request: Request) -> SlidingWindow:
    """The app's sliding-window counter for the public doors (made on first use)."""
    window = getattr(request.app.state, "public_limits", None)
    if window is None:
        window = request.app.state.public_limits = SlidingWindow(request.app.state.engine)
    return window


def client_of(request: Request) -> str:
    """The client's address (trusted proxies only, see :mod:`api.ratelimit`)."""
    return client_address(request, request.app.state.settings.is_trusted_proxy)


def limit_client(request: Request, what: str, *, limit: int, seconds: float) -> None:
    """Raise 429 when the caller's address passed ``limit`` hits of ``what`` per ``seconds``."""
    wait = limiter(request).hit(f"{what}:{client_of(request)}", limit=limit, seconds=seconds)
    if wait:
        raise too_many(wait)


def limit_key(request: Request, key_id: int, *, limit: int, seconds: float) -> None:
    """Raise 429 when a partner key passed ``limit`` posts per ``seconds``."""
    wait = limiter(request).hit(f"key:{key_id}", limit=limit, seconds=seconds)
    if wait:
        raise too_many(wait)


async def check_body_size(request: Request, max_bytes: int) -> None:
    """Raise 413 when the body (declared or sent) is larger than ``max_bytes``."""
    declared = request.headers.get("content-length")
    too_large = HTTPException(
        status_code=413,
        detail=f"提交的内容太长 / request body larger than {max_bytes} bytes",
    )
    if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
        raise too_large
    if len(await request.body()) > max_bytes:
        raise too_large


class Challenge:
    """Issue and check the offline sum challenge (module docstring)."""

    def __init__(self, secret: str, engine: Engine, *, clock=time.time) -> None:
        self._key = hashlib.sha256(("citizen-challenge:" + secret).encode()).digest()
        self.engine = engine
        self._clock = clock
        self._next_sweep = float("-inf")

    def _sign(self, nonce: str, expiry: int, answer: int) -> str:
        message = f"{nonce}.{expiry}.{answer}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]

    def issue(self) -> dict:
        """A new question and its ticket."""
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        if secrets.randbelow(2) and a != b:
            a, b = max(a, b), min(a, b)
            question, answer = f"{_DIGITS[a]}减{_DIGITS[b]}等于几？（请填数字）", a - b
        else:
            question, answer = f"{_DIGITS[a]}加{_DIGITS[b]}等于几？（请填数字）", a + b
        nonce = secrets.token_urlsafe(12)
        expiry = int(self._clock()) + CHALLENGE_SECONDS
        return {
            "question": question,
            "ticket": f"{nonce}.{expiry}.{self._sign(nonce, expiry, answer)}",
        }

    def check(self, ticket: str | None, answer: str | None) -> bool:
        """True when ``answer`` solves ``ticket``; a ticket is spent by its first try."""
        try:
            nonce, expiry_text, signature = (ticket or "").split(".")
            expiry, given = int(expiry_text), int((answer or "").strip())
        except ValueError:
            return False
        now = self._clock()
        if expiry < now:
            return False
        if expiry > now + CHALLENGE_SECONDS + CLOCK_SLACK_SECONDS:
            return False  # no ticket is issued for that long: forged, and not worth storing
        with self.engine.begin() as conn:
            first = challenge_store.spend(conn, nonce=nonce, expires_at=moment(expiry))
            if now >= self._next_sweep:
                self._next_sweep = now + SWEEP_SECONDS
                # kept a little past expiry for machines whose clock runs behind
                challenge_store.forget_expired(conn, before=moment(now - CLOCK_SLACK_SECONDS))
        return first and hmac.compare_digest(signature, self._sign(nonce, expiry, given))


def challenge(request: Request) -> Challenge:
    """The app's challenge (keyed by the instance's secret, tickets spent in the app's
    database; made on first use)."""
    found = getattr(request.app.state, "citizen_challenge", None)
    if found is None:
        found = request.app.state.citizen_challenge = Challenge(
            request.app.state.settings.secret_key, request.app.state.engine
        )
    return found


def intake_locator(request: Request, session):
    """The API's intake locator (shared with the staff intake, rebuilt when places change)."""
    from geo.disputes.locate import LocatorCache

    cache = getattr(request.app.state, "intake_locator", None)
    if cache is None:
        cache = request.app.state.intake_locator = LocatorCache()
    return cache.get(session=session)
