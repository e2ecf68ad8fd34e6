"""Static SQL kept in ``geo/sql/*.sql``, loaded once and wrapped as SQLAlchemy text()."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlalchemy import TextClause, text

SQL_DIR = Path(__file__).with_name("sql")


@cache
def sql(name: str) -> TextClause:
    """The statement in ``geo/sql/<name>.sql`` (bind parameters as ``:name``)."""
    return text((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"))
