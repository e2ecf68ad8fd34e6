"""Delivery of stored reminders: the log channel by default, the webhook when the settings
name one, tested against a local HTTP receiver started here: JSON bodies, tries again after
a 5xx, gives up on a 4xx, and the outcome of each delivery stored on the notification."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import text

from geo.notifications.channels import (
    LogChannel,
    NotifySettings,
    WebhookChannel,
    channel_from_settings,
)
from geo.notifications.delivery import deliver_pending
from geo.notifications.reminders import sweep_reminders
from tests.geo.disputes.disputes_factories import CHIGOU, COUNTY, address_point, build_world

NOW = dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC)


class Receiver:
    """A local HTTP endpoint answering POSTs with the statuses it is given, in turn (the last
    one from then on), and keeping every body and header it got."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                receiver.bodies.append(json.loads(self.rfile.read(length).decode("utf-8")))
                receiver.headers.append(dict(self.headers))
                status = (
                    receiver.statuses.pop(0)
                    if len(receiver.statuses) > 1
                    else (receiver.statuses[0])
                )
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[callable]:
    made: list[Receiver] = []

    def start(*statuses: int) -> Receiver:
        made.append(Receiver(list(statuses)))
        return made[-1]

    yield start
    for one in made:
        one.close()


@pytest.fixture
def reminders(db) -> list[int]:
    world = build_world(db)
    lon, lat = address_point(CHIGOU, 1, 1)
    for n, hours in enumerate((-30, 10)):
        dispute_id = world.one(external_id=f"D-{n}", lon=lon, lat=lat)
        db.execute(
            text("UPDATE dispute SET deadline = :d WHERE id = :i"),
            {"d": NOW + dt.timedelta(hours=hours), "i": dispute_id},
        )
    sweep_reminders(session=db, now=NOW, county=COUNTY)
    return list(db.execute(text("SELECT id FROM notification ORDER BY id")).scalars())


def _deliveries(db) -> list[tuple]:
    rows = db.execute(
        text("SELECT delivery_status, channel, attempts, last_error, delivered_at IS NOT NULL "
             "FROM notification ORDER BY id")
    )  # fmt: skip
    return [tuple(r) for r in rows]


def test_the_settings_choose_the_channel(monkeypatch):
    monkeypatch.delenv("WANGGE_NOTIFY_WEBHOOK", raising=False)
    assert isinstance(channel_from_settings(), LogChannel)
    monkeypatch.setenv("WANGGE_NOTIFY_WEBHOOK", "http://127.0.0.1:9/hook")
    monkeypatch.setenv("WANGGE_NOTIFY_RETRIES", "5")
    chosen = channel_from_settings()
    assert isinstance(chosen, WebhookChannel)
    assert (chosen.url, chosen.retries) == ("http://127.0.0.1:9/hook", 5)


def test_the_log_channel_delivers_every_reminder_once(db, reminders, caplog):
    caplog.set_level("INFO", logger="wangge.notifications")
    assert deliver_pending(session=db, channel=LogChannel(), county=COUNTY) == {
        "delivered": 2, "failed": 0,
    }  # fmt: skip
    assert _deliveries(db) == [("delivered", "log", 1, None, True)] * 2
    assert "已超期" in caplog.text
    assert deliver_pending(session=db, channel=LogChannel(), county=COUNTY)["delivered"] == 0


def test_the_webhook_posts_json_and_tries_again_after_a_server_error(db, reminders, receiver):
    hook = receiver(503, 200)
    channel = WebhookChannel(hook.url, token="s3cret", retries=3, backoff=0)
    assert deliver_pending(session=db, channel=channel, county=COUNTY) == {
        "delivered": 2, "failed": 0,
    }  # fmt: skip
    assert _deliveries(db) == [("delivered", "webhook", 2, None, True),
                               ("delivered", "webhook", 1, None, True)]  # fmt: skip
    assert [b["id"] for b in hook.bodies] == [reminders[0], reminders[0], reminders[1]]
    first = hook.bodies[-1]
    assert first["kind"] == "due_soon" and first["case"] == "D-1"
    assert first["units"] and first["message"].startswith("【24小时内到期】")
    assert hook.headers[0]["Authorization"] == "Bearer s3cret"
    assert hook.headers[0]["Content-Type"].startswith("application/json")


def test_a_failing_webhook_is_recorded_and_tried_again_by_the_next_sweep(db, reminders, receiver):
    hook = receiver(500)
    channel = WebhookChannel(hook.url, retries=2, backoff=0)
    assert deliver_pending(session=db, channel=channel, county=COUNTY) == {
        "delivered": 0, "failed": 2,
    }  # fmt: skip
    assert (
        _deliveries(db) == [("failed", "webhook", 2, "HTTP 500 Internal Server Error", False)] * 2
    )
    hook.statuses = [200]
    assert deliver_pending(session=db, channel=channel, county=COUNTY)["delivered"] == 2
    assert _deliveries(db) == [("delivered", "webhook", 3, None, True)] * 2
    refused = receiver(400)
    db.execute(text("UPDATE notification SET delivery_status = 'pending', attempts = 0"))
    assert deliver_pending(session=db, channel=WebhookChannel(refused.url, retries=3, backoff=0),
                           county=COUNTY)["failed"] == 2  # fmt: skip
    assert len(refused.bodies) == 2  # a 4xx answer is final: one try each


def test_a_notification_failing_too_often_is_no_longer_sent(db, reminders):
    unreachable = WebhookChannel("http://127.0.0.1:9/hook", retries=1, backoff=0, timeout=2)
    limit = NotifySettings(max_attempts=2).max_attempts
    for _ in range(3):
        deliver_pending(session=db, channel=unreachable, county=COUNTY, max_attempts=limit)
    assert [row[:3] for row in _deliveries(db)] == [("failed", "webhook", 2)] * 2
    assert "ConnectionRefusedError" in _deliveries(db)[0][3] or "URLError" in _deliveries(db)[0][3]
