"""Alembic migrations, run programmatically (``wangge db migrate``, set-up, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from geo.database.engine import normalise_url


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at ``geo/database/migrations`` and at ``url``."""
    config = Config()
    config.set_main_option("script_location", "geo.database:migrations")
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Bring the database at ``url`` up to ``revision`` (default: every branch head).

    At the head the case-rule functions are installed again as :mod:`core` states them now
    (``CREATE OR REPLACE``), so a changed rule reaches databases migrated before the change.
    """
    command.upgrade(alembic_config(url), revision)
    if revision == "heads":
        reinstall_rules(url)


def reinstall_rules(url: str) -> None:
    """Create or replace the SQL functions of :mod:`geo.database.rules` in one transaction."""
    from sqlalchemy import create_engine, text

    from geo.database import rules

    engine = create_engine(normalise_url(url))
    try:
        with engine.begin() as conn:
            rules.install(lambda statement: conn.execute(text(statement)))
    finally:
        engine.dispose()


def current(url: str) -> str | None:
    """The revision(s) the database at ``url`` is at, comma-separated (None if never migrated)."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            heads = MigrationContext.configure(conn).get_current_heads()
            return ",".join(sorted(heads)) if heads else None
    finally:
        engine.dispose()
