"""Reminders end to end on a copy of the demo county: ``wangge notify sweep`` stores them and
posts them to a local webhook receiver (chosen by WANGGE_NOTIFY_WEBHOOK), a second sweep and
the scheduled ``sweep`` job store nothing new, and each user reads their unit's reminders at
``/api/v1/notifications``, newest first, with their own read mark."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app
from api.schemas.notifications import NotificationsOut
from geo.database.engine import make_engine
from services import jobs


@pytest.fixture
def hook() -> Iterator[tuple[str, list[dict]]]:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/platform", received
    server.shutdown()
    server.server_close()


def _sweep() -> dict:
    done = CliRunner().invoke(app, ["notify", "sweep", "--json"])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout.strip().splitlines()[-1])


def _stored(url: str) -> list[tuple]:
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT kind, delivery_status, channel, count(*) FROM notification "
                     "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
            )  # fmt: skip
            return [tuple(r) for r in rows]
    finally:
        engine.dispose()


def test_sweep_delivers_once_and_each_user_reads_their_own(
    fresh_demo_url, hook, monkeypatch, start_server, role_users
):
    webhook, received = hook
    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    monkeypatch.setenv("WANGGE_NOTIFY_WEBHOOK", webhook)
    first = _sweep()
    stored = first["notified_due_soon"] + first["notified_overdue"] + first["notified_escalate"]
    assert first["notified_overdue"] > 0 and first["notified_escalate"] > 0
    assert (first["delivered"], first["delivery_failed"]) == (stored, 0)
    assert len(received) == stored
    assert {body["kind"] for body in received} <= {"due_soon", "overdue", "escalate"}
    assert all(status == "delivered" and channel == "webhook"
               for _, status, channel, _ in _stored(fresh_demo_url))  # fmt: skip

    again = _sweep()
    assert again == {**first, **dict.fromkeys(first.keys() - {"county"}, 0)}
    job = jobs.run_job(fresh_demo_url, "sweep", first["county"])
    assert job.outcome == "ok", job.error
    assert {k: v for k, v in job.counts.items() if k.startswith(("notified", "deliver"))} == {
        "notified_due_soon": 0, "notified_overdue": 0, "notified_escalate": 0,
        "delivered": 0, "delivery_failed": 0,
    }  # fmt: skip
    assert len(received) == stored

    base = start_server(fresh_demo_url)
    users = role_users(fresh_demo_url)
    with httpx.Client(base_url=base, timeout=60) as http:
        centre = http.get("/api/v1/notifications", headers=users["county_centre"].headers)
        assert centre.status_code == 200, centre.text
        body = NotificationsOut.model_validate(centre.json())
        assert body.notifications and body.unread >= len(body.notifications)
        assert all(f"county_centre:{first['county']}" in n.units for n in body.notifications)
        assert "escalate" in {n.kind for n in body.notifications}
        stamps = [(n.created_at, n.id) for n in body.notifications]
        assert stamps == sorted(stamps, reverse=True)

        township = users["township"]
        mine = http.get("/api/v1/notifications", headers=township.headers).json()
        assert mine["notifications"], "the demo township has overdue cases"
        assert all(f"township:{township.scope_code}" in n["units"] for n in mine["notifications"])
        first_note = mine["notifications"][0]
        marked = http.post(f"/api/v1/notifications/{first_note['id']}/read",
                           headers=township.headers)  # fmt: skip
        assert marked.status_code == 200 and marked.json()["read"] is True
        after = http.get("/api/v1/notifications", headers=township.headers).json()
        assert after["unread"] == mine["unread"] - 1
        unread = http.get("/api/v1/notifications", params={"unread": "true"},
                          headers=township.headers).json()  # fmt: skip
        assert first_note["id"] not in [n["id"] for n in unread["notifications"]]

        leader = users["grid_leader"]
        not_leaders = next(n for n in mine["notifications"]
                           if f"grid_leader:{leader.scope_code}" not in n["units"])  # fmt: skip
        others = http.post(f"/api/v1/notifications/{not_leaders['id']}/read",
                           headers=leader.headers)  # fmt: skip
        assert others.status_code == 404
        assert "没有编号为" in others.json()["detail"]
        viewer = http.get("/api/v1/notifications", headers=users["viewer"].headers)
        assert viewer.json() == {"unread": 0, "notifications": []}
        assert http.get("/api/v1/notifications").status_code == 401
