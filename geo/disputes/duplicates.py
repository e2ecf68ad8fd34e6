"""Likely duplicates: the same quarrel reported twice (by both parties, by a neighbour).

A new dispute is flagged when it lies within ``DUPLICATE_METRES`` and ``DUPLICATE_DAYS``
after an earlier dispute of the same category that was not yet resolved when it came in. The flag
is ``duplicate_of`` (the nearest such dispute) plus a ``flag`` event; nothing is merged: a
person confirms (the flag stays, with a ``confirm`` event) or clears it (``duplicate_of``
back to null, with a ``clear`` event).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.errors import InvalidRequest
from geo.database.sqlfiles import sql
from geo.disputes.workflow import load_state, stale_version

DUPLICATE_METRES = 200.0
DUPLICATE_DAYS = 3


def flag_duplicates(
    *,
    session: Session,
    ids: Sequence[int],
    metres: float = DUPLICATE_METRES,
    days: int = DUPLICATE_DAYS,
    actor: str = "duplicate check",
    historical: bool = False,
) -> list[int]:
    """Flag those of ``ids`` that look like an open dispute reported before; return them.

    ``historical`` dates the flag event at the new dispute's report time (replaying the
    past) instead of now.
    """
    if not ids:
        return []
    rows = session.execute(
        sql("disputes_flag_duplicates"),
        {
            "ids": list(ids),
            "metres": float(metres),
            "days": int(days),
            "actor": actor,
            "historical": historical,
        },
    ).all()
    return sorted(r.dispute_id for r in rows)


def review_duplicate(
    *,
    session: Session,
    dispute_id: int,
    version: int,
    confirm: bool,
    actor: str,
    note: str | None = None,
) -> int:
    """A person's decision on a duplicate flag; return the new version."""
    state = load_state(session=session, dispute_id=dispute_id)
    original = session.execute(
        text("SELECT duplicate_of FROM dispute WHERE id = :id"), {"id": dispute_id}
    ).scalar()
    if original is None:
        raise InvalidRequest(f"dispute {dispute_id} is not flagged as a duplicate")
    updated = session.execute(
        text(
            "UPDATE dispute SET version = version + 1,"
            " duplicate_of = CASE WHEN :confirm THEN duplicate_of END"
            " WHERE id = :id AND version = :version RETURNING version"
        ),
        {"id": dispute_id, "version": version, "confirm": confirm},
    ).scalar()
    if updated is None:
        raise stale_version(session=session, dispute_id=dispute_id, version=version)
    verdict = f"{'confirmed' if confirm else 'cleared'}: duplicate of dispute {original}"
    session.execute(
        sql("disputes_event_insert"),
        {
            "dispute_id": dispute_id,
            "at": None,
            "actor": actor,
            "action": "confirm" if confirm else "clear",
            "from_status": state.status,
            "to_status": state.status,
            "note": "; ".join(p for p in (verdict, note) if p),
        },
    )
    return updated
