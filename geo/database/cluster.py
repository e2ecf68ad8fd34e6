"""The embedded PostGIS cluster: initdb / pg_ctl under the checkout's ``.data/``.

Used when no ``DATABASE_URL`` is set. PostgreSQL refuses to run as root, so when
this process is root every server command runs as the ``postgres`` system user and
the cluster directory is handed to that user. A file lock serialises concurrent
starts (several test runs, the demo and the CLI may all ask at once).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from geo.database.settings import DatabaseSettings


class ClusterError(RuntimeError):
    """The embedded cluster could not be created, started or stopped."""


def postgres_bindir() -> Path:
    """Directory holding initdb/pg_ctl: the newest /usr/lib/postgresql/N/bin, else PATH."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise ClusterError(
        "PostgreSQL server binaries not found (no pg_ctl): run `make setup`, "
        "or set DATABASE_URL to an existing PostGIS server"
    )


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def _run(cmd: list[str], *, what: str) -> str:
    proc = subprocess.run(_as_server_user(cmd), capture_output=True, text=True)
    if proc.returncode != 0:
        raise ClusterError(
            f"{what} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout}"
        )
    return proc.stdout


@contextmanager
def _locked(settings: DatabaseSettings):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / "cluster.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _reachable_by_server_user(path: Path) -> bool:
    if os.geteuid() != 0:
        return True
    probe = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(path)])
    return probe.returncode == 0


def _server_root(settings: DatabaseSettings) -> Path:
    """Where the cluster files live: ``data_dir`` itself, or, when the server user cannot reach
    it (a checkout under a private home directory while running as root), a directory under
    /var/lib/postgresql tied to this checkout, linked from ``data_dir/pg``."""
    root = settings.data_dir
    root.mkdir(parents=True, exist_ok=True)
    link = root / "pg"
    if link.is_symlink():
        return link.resolve().parent
    if link.exists() or _reachable_by_server_user(root):
        return root
    key = zlib.crc32(str(root.resolve()).encode())
    fallback = Path("/var/lib/postgresql/wangge") / f"{key:08x}"
    fallback.mkdir(parents=True, exist_ok=True)
    shutil.chown(fallback.parent, "postgres", "postgres")
    shutil.chown(fallback, "postgres", "postgres")
    (fallback / "pg").mkdir(exist_ok=True)
    link.symlink_to(fallback / "pg")
    return fallback


def _paths(settings: DatabaseSettings) -> tuple[Path, Path, Path]:
    root = _server_root(settings)
    return root / "pg", root / "run", root / "pg.log"


def admin_url(settings: DatabaseSettings, dbname: str = "postgres") -> str:
    """libpq URL of the embedded cluster for ``dbname`` (superuser ``postgres``, trust auth)."""
    return f"postgresql://postgres@127.0.0.1:{settings.embedded_port()}/{dbname}"


def is_running(settings: DatabaseSettings) -> bool:
    """True when the embedded cluster answers on its port."""
    try:
        with psycopg.connect(admin_url(settings), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def _initdb(settings: DatabaseSettings) -> None:
    datadir, rundir, logfile = _paths(settings)
    bindir = postgres_bindir()
    datadir.mkdir(parents=True, exist_ok=True)
    rundir.mkdir(parents=True, exist_ok=True)
    logfile.touch()
    if os.geteuid() == 0:
        for path in (datadir, rundir, logfile):
            shutil.chown(path, "postgres", "postgres")
    os.chmod(datadir, 0o700)
    _run(
        [
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ],
        what="initdb",
    )
    with open(datadir / "postgresql.auto.conf", "a") as conf:
        conf.write(
            "listen_addresses = '127.0.0.1'\n"
            f"port = {settings.embedded_port()}\n"
            f"unix_socket_directories = '{rundir}'\n"
            "shared_buffers = 256MB\n"
            "work_mem = 32MB\n"
            "maintenance_work_mem = 256MB\n"
            "max_connections = 200\n"
            "synchronous_commit = off\n"
            "max_wal_size = 2GB\n"
        )


def start(settings: DatabaseSettings | None = None) -> str:
    """Create (first time) and start the embedded cluster; return its admin URL. Idempotent."""
    settings = settings or DatabaseSettings()
    with _locked(settings):
        datadir, _, logfile = _paths(settings)
        if is_running(settings):
            return admin_url(settings)
        if not (datadir / "PG_VERSION").exists():
            _initdb(settings)
        pg_ctl = str(postgres_bindir() / "pg_ctl")
        _run(
            [pg_ctl, "-D", str(datadir), "-l", str(logfile), "-w", "-t", "60", "start"],
            what="pg_ctl start",
        )
        for _ in range(60):
            if is_running(settings):
                return admin_url(settings)
            time.sleep(0.5)
    raise ClusterError(f"the embedded cluster did not come up; see {logfile}")


def stop(settings: DatabaseSettings | None = None) -> bool:
    """Stop the embedded cluster; False when it was not running."""
    settings = settings or DatabaseSettings()
    with _locked(settings):
        datadir, _, _ = _paths(settings)
        if not (datadir / "PG_VERSION").exists() or not is_running(settings):
            return False
        pg_ctl = str(postgres_bindir() / "pg_ctl")
        _run([pg_ctl, "-D", str(datadir), "-m", "fast", "-w", "stop"], what="pg_ctl stop")
        return True


def create_database(settings: DatabaseSettings, name: str, *, template: str | None = None) -> None:
    """Create database ``name`` on the embedded cluster unless it exists."""
    with psycopg.connect(admin_url(settings), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return
        stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            stmt = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        conn.execute(stmt)
