"""The audit log records the real client: forwarded addresses only from a configured proxy."""

from __future__ import annotations

import httpx

from api.settings import ApiSettings
from geo.accounts import audit
from geo.database.engine import make_engine, transaction


def _last_list_read_by(url: str, username: str) -> dict:
    engine = make_engine(url, pool_size=1)
    try:
        with transaction(engine) as session:
            return audit.entries(session=session, username=username, limit=1)[0]
    finally:
        engine.dispose()


def test_a_forwarded_address_is_recorded_only_from_a_trusted_proxy(
    fresh_demo_url, start_server, role_users
):
    centre = role_users(fresh_demo_url)["county_centre"]
    forwarded = {**centre.headers, "X-Forwarded-For": "10.62.3.17"}

    untrusting = start_server(fresh_demo_url)
    assert httpx.get(f"{untrusting}/api/v1/disputes", headers=forwarded).status_code == 200
    assert _last_list_read_by(fresh_demo_url, centre.username)["client"] == "127.0.0.1"

    behind_proxy = start_server(fresh_demo_url, settings=ApiSettings(trusted_proxies="127.0.0.1"))
    assert httpx.get(f"{behind_proxy}/api/v1/disputes", headers=forwarded).status_code == 200
    assert _last_list_read_by(fresh_demo_url, centre.username)["client"] == "10.62.3.17"
