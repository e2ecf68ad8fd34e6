"""A replayed history of cases, written in bulk: the events of each case and its final state.

Used to take in the past (the demo county's two years): the caller decides each case's
steps; here they are stored. The events are COPYed into ``dispute_event`` and the final
states applied with one UPDATE through a temporary table, inside the caller's transaction,
because a county's history is tens of thousands of steps. The rows are those a
step-by-step replay through the workflow would write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy.orm import Session

from geo.database.bulk import copy_rows
from geo.database.sqlfiles import sql


class HistoryEvent(NamedTuple):
    """One ``dispute_event`` row of a replayed history."""

    dispute_id: int
    at: dt.datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    note: str | None


class FinalState(NamedTuple):
    """Where a replayed case ended: status, version, resolution, rating and who holds it
    (staff, facility, unit code), the centre that routed it and the rating's source."""

    id: int
    status: str
    version: int
    resolved_at: dt.datetime | None
    satisfaction: int | None
    assignee: str | None
    facility_id: int | None
    assignee_unit: str | None = None
    routed_by: str | None = None
    rating_source: str | None = None


def cases_to_replay(*, session: Session, external_ids: Sequence[str]) -> dict[str, dict]:
    """The stored cases among ``external_ids``, keyed by external id: id, status, version,
    reported_at, severity, county_code, grid_code, township_code, ``leader_code`` (their
    grid's leader) and ``centre_id`` / ``centre_code`` (the township centre of their grid)."""
    rows = session.execute(sql("disputes_history_cases"), {"ids": list(external_ids)})
    return {row["external_id"]: dict(row) for row in rows.mappings()}


def write_history(
    *, session: Session, events: Sequence[HistoryEvent], states: Sequence[FinalState]
) -> int:
    """Store ``events`` and set each case to its final state; return the events written.

    A case not in ``received`` keeps its assignee and facility; one still ``received`` has
    neither.
    """
    written = copy_rows(
        session=session, table="dispute_event", columns=HistoryEvent._fields, rows=events
    )
    session.execute(sql("disputes_history_state_table"))
    copy_rows(session=session, table="history_state", columns=FinalState._fields, rows=states)
    session.execute(sql("disputes_history_apply"))
    return written


def county_dispute_ids(*, session: Session, county: str) -> list[int]:
    """The ids of every dispute of ``county``, in order."""
    return list(session.execute(sql("disputes_county_ids"), {"county": county}).scalars())
