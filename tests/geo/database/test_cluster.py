"""The embedded cluster: created, started, migrated, stopped under its own data directory."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import psycopg
import pytest

from geo.database import cluster, migrate
from geo.database.engine import database_url
from geo.database.settings import DatabaseSettings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def private_settings(tmp_path):
    data_dir = tmp_path / "data"
    settings = DatabaseSettings(data_dir=data_dir, pg_port=_free_port(), database_url=None)
    yield settings
    cluster.stop(settings)
    link = data_dir / "pg"
    if link.is_symlink():
        shutil.rmtree(link.resolve().parent, ignore_errors=True)
    shutil.rmtree(data_dir, ignore_errors=True)


def test_start_creates_migrates_and_stop_stops(private_settings):
    url = database_url(private_settings)
    assert f":{private_settings.pg_port}/wangge" in url
    assert cluster.is_running(private_settings)
    assert (private_settings.data_dir / "pg" / "PG_VERSION").exists()
    migrate.upgrade(url)
    assert migrate.current(url)
    with psycopg.connect(cluster.admin_url(private_settings, "wangge")) as conn:
        version = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
    assert version.startswith("3.")
    # A second start is a no-op on a running cluster.
    assert cluster.start(private_settings) == cluster.admin_url(private_settings)
    assert cluster.stop(private_settings) is True
    assert not cluster.is_running(private_settings)
    assert cluster.stop(private_settings) is False
    # And it comes back with its data.
    cluster.start(private_settings)
    assert migrate.current(url)


def test_database_url_wins_and_starts_nothing(tmp_path):
    settings = DatabaseSettings(
        data_dir=tmp_path / "unused", database_url="postgresql://u:p@db.example:5432/county"
    )
    assert database_url(settings) == "postgresql+psycopg://u:p@db.example:5432/county"
    assert not (tmp_path / "unused").exists()


def test_ports_differ_between_checkouts(tmp_path):
    first = DatabaseSettings(data_dir=tmp_path / "a").embedded_port()
    second = DatabaseSettings(data_dir=tmp_path / "b").embedded_port()
    assert first != second
    assert 20000 <= first < 40000


def test_db_url_command_prints_the_url_in_use(tmp_path):
    env = dict(os.environ, DATABASE_URL="postgres://x:y@127.0.0.1:1/elsewhere")
    done = subprocess.run(
        [sys.executable, "-m", "api.cli.__main__", "db", "url"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert done.stdout.strip() == "postgresql+psycopg://x:y@127.0.0.1:1/elsewhere"


def test_db_down_with_database_url_manages_nothing():
    env = dict(os.environ, DATABASE_URL="postgresql://x:y@127.0.0.1:1/elsewhere")
    done = subprocess.run(
        [sys.executable, "-m", "api.cli.__main__", "db", "down"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0
    assert "not managed" in done.stderr
