"""Login throttling: failed attempts counted per (username, client address) and per address.

Kept in memory, so the limits hold per server process. One process is how the service
runs (``wangge serve``); behind several workers each keeps its own counts, so the
effective limit is multiplied by the number of workers.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class LoginThrottle:
    """Refuse logins after ``per_user`` failures for one name from one address, or after
    ``per_client`` failures from one address (any name), within ``window`` seconds."""

    def __init__(
        self,
        *,
        per_user: int = 5,
        per_client: int = 30,
        window: float = 300.0,
        clock=time.monotonic,
    ) -> None:
        self.per_user = per_user
        self.per_client = per_client
        self.window = window
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._client_failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, stamps: deque[float], now: float) -> None:
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()

    def retry_after(self, *, username: str, client: str) -> float:
        """Seconds to wait before another attempt is allowed (0 when allowed now)."""
        now = self._clock()
        with self._lock:
            waits = [0.0]
            for stamps, limit in (
                (self._failures.get((username.lower(), client)), self.per_user),
                (self._client_failures.get(client), self.per_client),
            ):
                if stamps is None:
                    continue
                self._trim(stamps, now)
                if len(stamps) >= limit:
                    waits.append(stamps[len(stamps) - limit] + self.window - now)
            return max(waits)

    def failed(self, *, username: str, client: str) -> None:
        """Count one failed attempt."""
        now = self._clock()
        with self._lock:
            self._failures[(username.lower(), client)].append(now)
            self._client_failures[client].append(now)

    def succeeded(self, *, username: str, client: str) -> None:
        """Forget the failures of this name from this address."""
        with self._lock:
            self._failures.pop((username.lower(), client), None)
