"""Alembic migrations, run programmatically (``wangge db migrate``, set-up, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from geo.db import normalise_url


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at ``geo/migrations`` and at ``url``."""
    config = Config()
    config.set_main_option("script_location", "geo:migrations")
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def current(url: str) -> str | None:
    """The revision the database at ``url`` is at (None when never migrated)."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
