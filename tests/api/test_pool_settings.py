"""The server's database pool comes from its settings (``WANGGE_DB_POOL_SIZE``,
``WANGGE_DB_POOL_OVERFLOW``): a few connections per worker, so that under load requests queue in
the worker instead of as many queries sharing the database's cores."""

from __future__ import annotations

import secrets

from starlette.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings


def test_the_pool_size_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("WANGGE_DB_POOL_SIZE", "3")
    monkeypatch.setenv("WANGGE_DB_POOL_OVERFLOW", "2")
    settings = ApiSettings(secret_key=secrets.token_hex(32))
    assert (settings.db_pool_size, settings.db_pool_overflow) == (3, 2)
    monkeypatch.delenv("WANGGE_DB_POOL_SIZE")
    monkeypatch.delenv("WANGGE_DB_POOL_OVERFLOW")
    default = ApiSettings(secret_key=secrets.token_hex(32))
    assert (default.db_pool_size, default.db_pool_overflow) == (4, 4)


def test_the_app_opens_its_pool_with_those_sizes(migrated_url):
    settings = ApiSettings(secret_key=secrets.token_hex(32), db_pool_size=2, db_pool_overflow=1)
    app = create_app(database_url=migrated_url, settings=settings)
    with TestClient(app) as http:
        assert http.get("/api/v1/health").status_code == 200
        pool = app.state.engine.pool
        assert pool.size() == 2
        assert pool._max_overflow == 1
