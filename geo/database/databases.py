"""Create, clone and drop whole databases on a server (tests, benchmarks, province runs)."""

from __future__ import annotations

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from geo.database.engine import normalise_url


def _libpq(url: str, dbname: str | None = None) -> str:
    parsed = make_url(normalise_url(url)).set(drivername="postgresql")
    if dbname is not None:
        parsed = parsed.set(database=dbname)
    return parsed.render_as_string(hide_password=False)


def with_database(url: str, dbname: str) -> str:
    """The same server URL pointing at another database."""
    return normalise_url(make_url(normalise_url(url)).set(database=dbname).render_as_string(False))


def create_database(server_url: str, name: str, *, template: str | None = None) -> str:
    """Create ``name`` (optionally as a copy of ``template``) and return its URL."""
    with psycopg.connect(_libpq(server_url, "postgres"), autocommit=True) as conn:
        if template:
            # A template must have no other sessions while it is copied.
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (template,),
            )
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    """Drop ``name`` if it exists, ending its sessions first."""
    with psycopg.connect(_libpq(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def list_databases(server_url: str, prefix: str) -> list[str]:
    """Names of the databases starting with ``prefix``."""
    with psycopg.connect(_libpq(server_url, "postgres"), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname",
            (prefix.replace("_", r"\_") + "%",),
        ).fetchall()
    return [r[0] for r in rows]
