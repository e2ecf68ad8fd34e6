"""Delivery channels for notifications, behind one interface (:class:`Channel`).

A channel takes one notification as a JSON-ready dict and says how sending it went
(:class:`Delivery`). Two are here: :class:`LogChannel` writes it to the log (the default:
the notifications are read in the app), :class:`WebhookChannel` POSTs it as JSON to the
county's platform, retrying a failed try. An SMS gateway or e-mail is one more class with a
``name`` and a ``send``.

The channel is chosen by the settings (:class:`NotifySettings`): ``WANGGE_NOTIFY_WEBHOOK``
set to a URL picks the webhook, with ``WANGGE_NOTIFY_TOKEN`` (sent as a bearer token),
``WANGGE_NOTIFY_RETRIES`` (tries per delivery, default 3), ``WANGGE_NOTIFY_TIMEOUT``
(seconds per try, default 5) and ``WANGGE_NOTIFY_BACKOFF`` (seconds before the second try,
doubled after each, default 1).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger("wangge.notifications")


@dataclass(frozen=True)
class Delivery:
    """How sending one notification went: delivered or not, after how many tries, and why not."""

    delivered: bool
    tries: int
    error: str | None = None


class Channel(Protocol):
    """Somewhere notifications are sent to."""

    name: str

    def send(self, notification: dict) -> Delivery:
        """Send one notification (a JSON-ready dict); never raise for a failed send."""
        ...


class LogChannel:
    """Writes each notification to the log (logger ``wangge.notifications``)."""

    name = "log"

    def send(self, notification: dict) -> Delivery:
        """Log the notification's message; always delivered."""
        log.info("notification %s: %s", notification.get("id"), notification.get("message"))
        return Delivery(True, 1)


class WebhookChannel:
    """POSTs each notification as JSON (UTF-8) to ``url``; a 2xx answer is a delivery.

    A network error, a timeout, 429 or a 5xx answer is tried again, up to ``retries`` tries in
    all, waiting ``backoff`` seconds before the second and twice as long before each next;
    any other answer is final."""

    name = "webhook"

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        retries: int = 3,
        timeout: float = 5.0,
        backoff: float = 1.0,
    ) -> None:
        self.url = url
        self.token = token
        self.retries = max(1, retries)
        self.timeout = timeout
        self.backoff = backoff

    def _post(self, body: bytes) -> tuple[bool, bool, str | None]:
        """One try: (delivered, worth trying again, error)."""
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return 200 <= response.status < 300, False, None
        except urllib.error.HTTPError as exc:
            again = exc.code == 429 or exc.code >= 500
            return False, again, f"HTTP {exc.code} {exc.reason}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return False, True, f"{type(exc).__name__}: {reason}"

    def send(self, notification: dict) -> Delivery:
        """POST the notification, trying again as the class docstring says."""
        body = json.dumps(notification, ensure_ascii=False, default=str).encode("utf-8")
        error = None
        for attempt in range(1, self.retries + 1):
            delivered, again, error = self._post(body)
            if delivered:
                return Delivery(True, attempt)
            if not again or attempt == self.retries:
                break
            time.sleep(self.backoff * 2 ** (attempt - 1))
        log.warning("notification %s not delivered to %s: %s", notification.get("id"), self.url,
                    error)  # fmt: skip
        return Delivery(False, attempt, error)


class NotifySettings(BaseSettings):
    """Where notifications go (environment ``WANGGE_NOTIFY_*``, module docstring)."""

    model_config = SettingsConfigDict(env_prefix="WANGGE_NOTIFY_", extra="ignore")

    webhook: str | None = None
    token: str | None = None
    retries: int = 3
    timeout: float = 5.0
    backoff: float = 1.0
    # a notification failing this many tries in all is no longer sent by the sweeps
    max_attempts: int = 12


def channel_from_settings(settings: NotifySettings | None = None) -> Channel:
    """The webhook when ``WANGGE_NOTIFY_WEBHOOK`` is set, else the log."""
    settings = settings or NotifySettings()
    if settings.webhook:
        return WebhookChannel(
            settings.webhook,
            token=settings.token,
            retries=settings.retries,
            timeout=settings.timeout,
            backoff=settings.backoff,
        )
    return LogChannel()
