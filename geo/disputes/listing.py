"""Read side of disputes and signals: GeoJSON built in PostGIS (no party details here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core import vocab
from core.errors import InvalidRequest, NotFound
from geo.database.sqlfiles import sql


@dataclass(frozen=True)
class DisputeFilter:
    """What ``GET /disputes`` can filter on (all optional)."""

    status: str | None = None
    grid: str | None = None
    township: str | None = None
    village: str | None = None
    category: str | None = None
    county: str | None = None
    overdue: bool | None = None
    needs_location: bool | None = None
    scope_area: str | None = None
    scope_facility: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None


def _check_codes(value: str | None, allowed, name: str) -> None:
    if value is not None and value not in allowed:
        raise InvalidRequest(f"unknown {name} {value!r}; use one of {', '.join(allowed)}")


def disputes_page(
    *,
    session: Session,
    where: DisputeFilter,
    limit: int = 500,
    offset: int = 0,
    now: dt.datetime | None = None,
) -> dict:
    """A page of disputes: ``{"matched": n, "features": "<json array text>"}``."""
    _check_codes(where.status, vocab.DISPUTE_STATUSES, "status")
    _check_codes(where.category, vocab.DISPUTE_CATEGORIES, "category")
    row = session.execute(
        sql("disputes_geojson"),
        {
            "status": where.status,
            "grid": where.grid,
            "township": where.township,
            "village": where.village,
            "category": where.category,
            "county": where.county,
            "overdue": where.overdue,
            "needs_location": where.needs_location,
            "scope_area": where.scope_area,
            "scope_facility": where.scope_facility,
            "from": where.start,
            "to": where.end,
            "now": now or dt.datetime.now(dt.UTC),
            "limit": limit,
            "offset": offset,
        },
    ).one()
    return {"matched": row.matched, "features": row.features}


def dispute_feature(*, session: Session, dispute_id: int, now: dt.datetime | None = None) -> str:
    """One dispute as a GeoJSON Feature (text) with its events and supervision."""
    found = session.execute(
        sql("disputes_feature"), {"id": dispute_id, "now": now or dt.datetime.now(dt.UTC)}
    ).scalar()
    if found is None:
        raise NotFound(f"no dispute with id {dispute_id}")
    return found


def signals_page(
    *,
    session: Session,
    kind: str | None = None,
    grid: str | None = None,
    township: str | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    scope_area: str | None = None,
    scope_facility: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> dict:
    """A page of risk signals: ``{"matched": n, "features": "<json array text>"}``; a
    facility scope (a partner's) sees none, as signals are routed to no facility."""
    _check_codes(kind, vocab.SIGNAL_KINDS, "kind")
    row = session.execute(
        sql("signals_geojson"),
        {
            "kind": kind,
            "grid": grid,
            "township": township,
            "from": start,
            "to": end,
            "scope_area": scope_area,
            "scope_facility": scope_facility,
            "limit": limit,
            "offset": offset,
        },
    ).one()
    return {"matched": row.matched, "features": row.features}


def case_scope(*, session: Session, dispute_id: int) -> dict:
    """The grid, county and facility codes of a dispute (for the caller's scope check)."""
    row = session.execute(sql("disputes_scope"), {"id": dispute_id}).mappings().first()
    if row is None:
        raise NotFound(f"no dispute with id {dispute_id}")
    return dict(row)
