"""Users and tokens for HTTP tests of protected endpoints.

``make_role_users(url)`` creates one user per role in the database at ``url`` (committed;
names are unique per call, so runs never collide) and returns ``{role: RoleUser}`` with a
token and ready-made headers. Scopes are taken from the data: the first township that has
grids, its first grid, and a police station (the partner).

Fixtures:
  ``demo_users``     session: ``{role: RoleUser}`` on ``demo_url`` (served by ``live_server``).
  ``auth_headers``   session: ``{role: {"Authorization": "Bearer …"}}`` for ``live_server``.
  ``http``           function: an ``httpx.Client`` on ``live_server`` as the county centre.
  ``role_users``     function: the factory itself, for a ``fresh_demo_url`` and ``start_server``.
  ``process_server`` session: base URL of the app on ``demo_url`` in a separate uvicorn
                     process, for clients that hold the GIL while they wait (GDAL via pyogrio)
                     and would deadlock against a server thread in the test process.
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import text

from api.auth import hash_password, issue_token
from api.settings import ApiSettings
from core.principal import ROLES
from geo.accounts import users
from geo.database.engine import make_engine, transaction

_serial = itertools.count()


@dataclass
class RoleUser:
    """A test account: name, password, role, scope, a token and the headers carrying it."""

    username: str
    password: str
    role: str
    scope_code: str | None
    token: str
    headers: dict[str, str] = field(default_factory=dict)


def demo_scopes(url: str) -> dict[str, str | None]:
    """A scope per role taken from the data at ``url``."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            grid = conn.execute(
                text(
                    "SELECT code, township_code FROM grid WHERE valid_to IS NULL "
                    "ORDER BY township_code, code LIMIT 1"
                )
            ).one_or_none()
            facility = conn.execute(
                text("SELECT code FROM facility ORDER BY kind <> 'police_station', code LIMIT 1")
            ).scalar()
    finally:
        engine.dispose()
    return {
        "county_centre": None,
        "township": grid.township_code if grid else "623021100",
        "grid_leader": grid.code if grid else "6230211002010001",
        "partner": facility or "no-facility",
        "viewer": None,
    }


def make_role_users(
    url: str, *, settings: ApiSettings | None = None, scopes: dict | None = None
) -> dict[str, RoleUser]:
    """Create one user per role in the database at ``url`` and return them with tokens."""
    settings = settings or ApiSettings()
    scopes = scopes or demo_scopes(url)
    tag = f"{os.getpid()}_{next(_serial)}"
    made: dict[str, RoleUser] = {}
    engine = make_engine(url, pool_size=1)
    try:
        with transaction(engine) as session:
            for role in ROLES:
                name, password = f"t_{role}_{tag}", f"pw-{role}-{tag}-secret"
                account = users.add_user(
                    session=session,
                    username=name,
                    password_hash=hash_password(password),
                    role=role,
                    scope_code=scopes[role],
                )
                token = issue_token(settings=settings, user=account)
                made[role] = RoleUser(
                    name, password, role, scopes[role], token, {"Authorization": f"Bearer {token}"}
                )
    finally:
        engine.dispose()
    return made


@pytest.fixture(scope="session")
def demo_users(demo_url) -> dict[str, RoleUser]:
    """One user per role on the shared demo database (the one ``live_server`` serves)."""
    return make_role_users(demo_url)


@pytest.fixture(scope="session")
def auth_headers(demo_users) -> dict[str, dict[str, str]]:
    """``{role: headers}`` for calling ``live_server`` as that role."""
    return {role: user.headers for role, user in demo_users.items()}


@pytest.fixture
def http(live_server, auth_headers) -> Iterator[httpx.Client]:
    """An HTTP client on ``live_server`` signed in as the county centre."""
    with httpx.Client(
        base_url=live_server, timeout=120, headers=auth_headers["county_centre"]
    ) as client:
        yield client


@pytest.fixture
def role_users() -> Callable[..., dict[str, RoleUser]]:
    """``role_users(url, settings=None, scopes=None) -> {role: RoleUser}``."""
    return make_role_users


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_in_process(url: str, *, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``uvicorn api.app:create_app`` on ``url`` in a child process; wait until it answers."""
    import httpx

    port = _free_port()
    child_env = {**os.environ, "DATABASE_URL": url, **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--no-proxy-headers"],
        env=child_env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server process exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the server process did not answer within 180 s")


def stop_process(proc: subprocess.Popen) -> None:
    """Stop a server started by :func:`serve_in_process`."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def process_server(demo_url) -> Iterator[str]:
    """Base URL of the app serving ``demo_url`` from a separate process."""
    proc, base = serve_in_process(demo_url)
    yield base
    stop_process(proc)
