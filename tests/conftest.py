"""Shared fixtures: a real PostGIS, the demo county, sessions rolled back, a live HTTP server.

Databases
  ``server_url``      session: the PostGIS server (DATABASE_URL, else the embedded cluster).
  ``migrated_url``    session: a fresh, migrated, empty database for this test run.
  ``db``              function: a Session on ``migrated_url`` inside a transaction that is
                      rolled back after the test (``session.commit()`` inside a test only
                      releases a savepoint).
  ``demo_county``     session: the generated demo county (seed ``TEST_SEED``), frames in memory.
  ``demo_url``        session: a database holding the demo county (built once, then used as a
                      template). Treat it as read-only: write through ``demo_db`` (rolled back)
                      or take a ``fresh_demo_url``.
  ``demo_db``         function: a Session on ``demo_url``, rolled back after the test.
  ``fresh_demo_url``  function: a private copy of the demo database for tests that must
                      commit (HTTP writes, concurrency); dropped afterwards.
HTTP
  ``live_server``     session: the real app under uvicorn on 127.0.0.1, on ``demo_url``.
  ``start_server``    function: ``start_server(url) -> base_url`` for an app on another database.
Every database a run creates is named ``wangge_t<pid>_…`` and dropped at the end.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geo.database import databases, migrate
from geo.database.engine import database_url, make_engine, normalise_url
from geo.database.settings import DatabaseSettings

TEST_SEED = 623021
_counter = itertools.count()


def _name(kind: str) -> str:
    return f"wangge_t{os.getpid()}_{kind}_{next(_counter)}"


@pytest.fixture(scope="session")
def server_url() -> str:
    """URL of the PostGIS server the tests run on (any database on it)."""
    settings = DatabaseSettings()
    if settings.database_url:
        return normalise_url(settings.database_url)
    return database_url(settings)


@pytest.fixture(scope="session")
def created_databases(server_url) -> Iterator[list[str]]:
    """Names of the databases made in this run; all dropped when the run ends."""
    names: list[str] = []
    yield names
    for name in reversed(names):
        databases.drop_database(server_url, name)


@pytest.fixture(scope="session")
def new_database(server_url, created_databases) -> Callable[..., str]:
    """``new_database(template=None) -> url`` of a new database dropped at the end of the run."""

    def make(template: str | None = None, kind: str = "db") -> str:
        name = _name(kind)
        created_databases.append(name)
        return databases.create_database(server_url, name, template=template)

    return make


@pytest.fixture(scope="session")
def migrated_url(new_database) -> str:
    """A fresh database with the extensions and the whole schema, and no rows."""
    url = new_database(kind="empty")
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(migrated_url) -> Iterator[Engine]:
    """Engine on ``migrated_url``."""
    eng = make_engine(migrated_url, pool_size=2)
    yield eng
    eng.dispose()


def _rolled_back_session(eng: Engine) -> Iterator[Session]:
    connection = eng.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        if outer.is_active:
            outer.rollback()
        connection.close()


@pytest.fixture
def db(engine) -> Iterator[Session]:
    """A Session on the empty migrated database; everything it does is rolled back."""
    yield from _rolled_back_session(engine)


@pytest.fixture(scope="session")
def demo_county():
    """The synthetic demo county generated from ``TEST_SEED``."""
    from demo.pipeline import generate

    return generate(TEST_SEED)


@pytest.fixture(scope="session")
def demo_template(new_database, demo_county) -> str:
    """Name of a database holding the full demo county, used as a template for copies."""
    from demo.pipeline import build

    url = new_database(kind="demotpl")
    migrate.upgrade(url)
    eng = make_engine(url, pool_size=2)
    try:
        build(eng, county=demo_county, train=True)
    finally:
        eng.dispose()
    return url.rsplit("/", 1)[-1].split("?")[0]


@pytest.fixture(scope="session")
def demo_url(new_database, demo_template) -> str:
    """A database holding the demo county, shared by the run: read it, do not commit to it."""
    return new_database(template=demo_template, kind="demo")


@pytest.fixture(scope="session")
def demo_engine(demo_url) -> Iterator[Engine]:
    """Engine on ``demo_url``."""
    eng = make_engine(demo_url, pool_size=4)
    yield eng
    eng.dispose()


@pytest.fixture
def demo_db(demo_engine) -> Iterator[Session]:
    """A Session on the demo database; everything it does is rolled back."""
    yield from _rolled_back_session(demo_engine)


@pytest.fixture
def fresh_demo_url(server_url, demo_template) -> Iterator[str]:
    """A private copy of the demo database for a test that commits; dropped afterwards."""
    name = _name("fresh")
    url = databases.create_database(server_url, name, template=demo_template)
    yield url
    databases.drop_database(server_url, name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The real app served by uvicorn in a thread on a loopback port."""

    def __init__(self, url: str, **app_kwargs) -> None:
        import uvicorn

        from api.app import create_app

        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        app = create_app(database_url=url, **app_kwargs)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", proxy_headers=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(demo_url) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``) of the app serving the demo database."""
    with LiveServer(demo_url) as server:
        yield server.base_url


@pytest.fixture
def start_server() -> Iterator[Callable[..., str]]:
    """``start_server(url, **create_app_kwargs) -> base_url``; stopped after the test."""
    servers: list[LiveServer] = []

    def start(url: str, **kwargs) -> str:
        server = LiveServer(url, **kwargs).__enter__()
        servers.append(server)
        return server.base_url

    yield start
    for server in servers:
        server.__exit__(None, None, None)
