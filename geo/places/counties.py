"""The counties loaded (code and name), and the county a caller means (rule: core/counties.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.counties import choose_county
from geo.database.sqlfiles import sql


def loaded_counties(*, session: Session) -> dict[str, str]:
    """Every county with an admin-unit row: code → name, in code order."""
    return {row.code: row.name for row in session.execute(sql("loaded_counties"))}


def county_name(*, session: Session, county: str) -> str:
    """The county's name (its code when it has no admin-unit row)."""
    return loaded_counties(session=session).get(county, county)


def which_county(
    *, session: Session, requested: str | None = None, scope: str | None = None
) -> str:
    """:func:`core.counties.choose_county` over the counties loaded: the ``requested`` county,
    else the one of the caller's ``scope``, else the only one loaded."""
    return choose_county(
        loaded=lambda: list(loaded_counties(session=session)), requested=requested, scope=scope
    )
