"""Serving without a query per request: the version board follows NOTIFY from other
connections, answers 304 from the ETag, and never lets a revoked token through."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app as cli
from geo.database.engine import make_engine
from geo.publishing.versions import APPLICATION_NAME, VersionBoard
from tests.api.test_tiles import _grid_tile


def _eventually(check: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _execute(url: str, statement: str, **params) -> None:
    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement), params)
    finally:
        engine.dispose()


def test_a_notify_from_another_connection_moves_the_board(fresh_demo_url):
    board = VersionBoard(fresh_demo_url).start()
    try:
        assert board.wait_live(30)
        before = board.layer_version("grids")
        units = board.layer_version("admin_units")
        _execute(fresh_demo_url, "UPDATE grid SET households = households WHERE false")
        assert _eventually(lambda: board.layer_version("grids") == before + 1)
        assert board.layer_version("admin_units") == units

        board.remember_account("someone", ("row",), board.ticket())
        assert board.account("someone") == ("row",)
        _execute(fresh_demo_url, "UPDATE app_user SET active = active WHERE false")
        assert board.account("someone") == ("row",)  # no row changed: nothing announced
        stale = board.ticket()
        board.forget_accounts(["someone"])
        board.remember_account("someone", ("old row",), stale)
        assert board.account("someone") is None  # a read older than a notice is not kept
    finally:
        board.stop()
    assert not board.live and board.layer_version("grids") is None


def test_the_board_reconnects_after_its_connection_drops(fresh_demo_url):
    board = VersionBoard(fresh_demo_url, retry_seconds=0.2).start()
    try:
        assert board.wait_live(30)
        _execute(
            fresh_demo_url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = :name AND datname = current_database()",
            name=APPLICATION_NAME,
        )
        assert _eventually(lambda: not board.live, 5)
        assert board.wait_live(30)
        before = board.layer_version("grids")
        _execute(fresh_demo_url, "UPDATE grid SET households = households WHERE false")
        assert _eventually(lambda: board.layer_version("grids") == before + 1)
    finally:
        board.stop()


def test_304_on_if_none_match_and_a_new_version_after_a_change(
    fresh_demo_url, start_server, role_users
):
    users = role_users(fresh_demo_url)
    base = start_server(fresh_demo_url)
    with httpx.Client(base_url=base, timeout=120, headers=users["county_centre"].headers) as c:
        _, (z, x, y) = _grid_tile(c)
        url = f"/tiles/grids/{z}/{x}/{y}.pbf"
        first = c.get(url)
        assert first.status_code == 200 and first.content
        etag = first.headers["etag"]
        for sent in (etag, f'W/"other", {etag}', "*"):
            again = c.get(url, headers={"If-None-Match": sent})
            assert again.status_code == 304 and again.content == b""
            assert again.headers["etag"] == etag
        _execute(fresh_demo_url, "UPDATE grid SET households = households WHERE false")
        assert _eventually(lambda: c.get(url, headers={"If-None-Match": etag}).status_code == 200)
        fresh = c.get(url)
        assert fresh.headers["etag"] != etag and fresh.content == first.content


def test_a_revoked_token_is_refused_on_a_cached_tile(
    fresh_demo_url, start_server, role_users, monkeypatch
):
    users = role_users(fresh_demo_url)
    base = start_server(fresh_demo_url)
    centre, viewer = users["county_centre"], users["viewer"]
    with httpx.Client(base_url=base, timeout=120, headers=centre.headers) as first:
        _, (z, x, y) = _grid_tile(first)
    with httpx.Client(base_url=base, timeout=120) as c:
        url = f"/tiles/grids/{z}/{x}/{y}.pbf"
        for user in (centre, viewer):  # drawn, cached, and the accounts held by the board
            assert c.get(url, headers=user.headers).status_code == 200
            assert c.get(url, headers=user.headers).status_code == 200

        # from another process's connection: refused as soon as the notice arrives
        _execute(
            fresh_demo_url,
            "UPDATE app_user SET token_version = token_version + 1 WHERE username = :name",
            name=centre.username,
        )
        assert _eventually(lambda: c.get(url, headers=centre.headers).status_code == 401)
        assert c.get(url, headers=viewer.headers).status_code == 200

        # from this process (the command line): refused on the very next request
        monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
        done = CliRunner().invoke(cli, ["user", "disable", viewer.username])
        assert done.exit_code == 0, done.output
        refused = c.get(url, headers=viewer.headers)
        assert refused.status_code == 401 and "invalid token" in refused.text
