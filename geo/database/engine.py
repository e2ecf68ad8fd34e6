"""Engines, sessions and the database URL in use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from geo.database import cluster
from geo.database.settings import DatabaseSettings


def normalise_url(url: str) -> str:
    """Accept ``postgres://`` / ``postgresql://`` URLs and use the psycopg 3 driver."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername in ("postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def database_url(settings: DatabaseSettings | None = None, *, start: bool = True) -> str:
    """The SQLAlchemy URL in use: ``DATABASE_URL``, else the embedded cluster (started if asked)."""
    settings = settings or DatabaseSettings()
    if settings.database_url:
        return normalise_url(settings.database_url)
    if start:
        cluster.start(settings)
        cluster.create_database(settings, settings.db_name)
    return normalise_url(cluster.admin_url(settings, settings.db_name))


def make_engine(url: str, **kwargs) -> Engine:
    """An engine with a pool sized for a small API server and pre-ping for restarts."""
    options = {"pool_size": 10, "max_overflow": 20, "pool_pre_ping": True, "pool_recycle": 1800}
    options.update(kwargs)
    return create_engine(normalise_url(url), **options)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine`` that keep loaded objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    with session_factory(engine)() as session, session.begin():
        yield session


def ensure_extensions(engine: Engine) -> None:
    """Create PostGIS and pg_trgm if missing (needs a role allowed to create them)."""
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
