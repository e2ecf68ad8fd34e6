"""Static SQL kept beside the code that runs it (``geo/<room>/sql/*.sql``), loaded once and
wrapped as SQLAlchemy ``text()``. Statement names are unique across the rooms."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlalchemy import TextClause, text

GEO_DIR = Path(__file__).resolve().parents[1]


@cache
def sql_paths() -> dict[str, Path]:
    """Every statement name and its file; a name defined twice is a programming error."""
    found: dict[str, Path] = {}
    for path in sorted(GEO_DIR.glob("*/sql/*.sql")):
        if path.stem in found:
            raise RuntimeError(
                f"SQL statement {path.stem!r} defined twice: {found[path.stem]}, {path}"
            )
        found[path.stem] = path
    return found


def sql_source(name: str) -> str:
    """The text of statement ``name`` (for statements composed before execution)."""
    return sql_paths()[name].read_text(encoding="utf-8")


@cache
def sql(name: str) -> TextClause:
    """The statement ``name`` (``geo/<room>/sql/<name>.sql``; bind parameters as ``:name``)."""
    return text(sql_source(name))
