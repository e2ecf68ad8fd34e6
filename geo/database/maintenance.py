"""Whole-database chores: is a county loaded, empty everything, size of the database."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.database.sqlfiles import sql


def county_rows(*, session: Session, county: str) -> dict[str, int]:
    """Rows the county already has in admin units, grids and addresses."""
    return dict(session.execute(sql("county_present"), {"county": county}).mappings().one())


def truncate_all(*, session: Session) -> None:
    """Empty every data table, keeping the schema (irreversible: callers must ask first)."""
    session.execute(sql("truncate_all"))


def database_size(*, session: Session) -> int:
    """Size in bytes of the current database."""
    return session.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
