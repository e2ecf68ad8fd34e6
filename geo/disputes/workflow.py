"""Moving a case along the closed loop (闭环).

The loop itself (statuses, edges, the open set) is :mod:`core.cases`; this module writes the
moves. Rules beyond the edges: ``routed`` names a person (staff code) or a unit (facility
code); ``unresolved`` needs a note (why); ``rated`` needs a satisfaction score 1–5. A follow-up
that finds the dispute back is a new intake, so that the county's figures stay honest.

Every change is one versioned UPDATE (``WHERE id = :id AND version = :v``) plus one
``dispute_event`` row, in the caller's transaction: two people acting on the same version
cannot both win; the loser gets :class:`core.errors.Conflict` and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.cases import TRANSITIONS, IllegalTransition, require_legal
from core.errors import Conflict, InvalidRequest, NotFound
from geo.database.sqlfiles import sql

# The loop's names are re-exported: callers that move cases read them from here too.
__all__ = [
    "TRANSITIONS",
    "IllegalTransition",
    "Transitioned",
    "changed_conflict",
    "load_state",
    "require_legal",
    "stale_version",
    "transition",
]


@dataclass(frozen=True)
class Transitioned:
    """The outcome of a transition: the new status and version, and the event written."""

    dispute_id: int
    from_status: str
    to_status: str
    version: int
    event_id: int


def _facility_id(session: Session, code: str | None) -> int | None:
    if code is None:
        return None
    found = session.execute(text("SELECT id FROM facility WHERE code = :c"), {"c": code}).scalar()
    if found is None:
        raise InvalidRequest(f"no facility with code {code!r}")
    return found


def _staff_exists(session: Session, code: str | None) -> None:
    if code is None:
        return
    if session.execute(text("SELECT 1 FROM staff WHERE code = :c"), {"c": code}).first() is None:
        raise InvalidRequest(f"no staff member with code {code!r}")


def _check_payload(to_status: str, note, assignee, facility, satisfaction) -> None:
    if to_status == "routed" and not (assignee or facility):
        raise InvalidRequest("routing needs an assignee (staff code) or a facility (code)")
    if to_status == "unresolved" and not (note and note.strip()):
        raise InvalidRequest("a dispute left unresolved needs a note saying why")
    if to_status == "rated" and satisfaction is None:
        raise InvalidRequest("a rating needs a satisfaction score from 1 to 5")
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise InvalidRequest("satisfaction must be from 1 to 5")


def changed_conflict(dispute_id: int, version: int, state) -> Conflict:
    """The error for a stale version: the case changed since the caller read it."""
    return Conflict(
        f"dispute {dispute_id} changed since you read it (you had version {version}, it is now "
        f"version {state.version}, status {state.status}); reload it and try again"
    )


def stale_version(*, session: Session, dispute_id: int, version: int) -> Conflict:
    """The Conflict for a versioned update that matched no row (re-reads the case)."""
    return changed_conflict(dispute_id, version, load_state(session=session, dispute_id=dispute_id))


def load_state(*, session: Session, dispute_id: int):
    """The dispute's workflow row, or NotFound."""
    state = session.execute(sql("disputes_state"), {"id": dispute_id}).first()
    if state is None:
        raise NotFound(f"no dispute with id {dispute_id}")
    return state


def transition(
    *,
    session: Session,
    dispute_id: int,
    to: str,
    version: int,
    actor: str,
    note: str | None = None,
    assignee: str | None = None,
    facility: str | None = None,
    satisfaction: int | None = None,
    at: dt.datetime | None = None,
) -> Transitioned:
    """Move a dispute one step along the loop, if ``version`` is still current."""
    state = load_state(session=session, dispute_id=dispute_id)
    if state.version != version:
        raise changed_conflict(dispute_id, version, state)
    require_legal(state.status, to, dispute_id=dispute_id)
    _check_payload(to, note, assignee, facility, satisfaction)
    _staff_exists(session, assignee)
    facility_id = _facility_id(session, facility)
    when = at or dt.datetime.now(dt.UTC)
    new_version = session.execute(
        sql("disputes_transition"),
        {
            "id": dispute_id,
            "version": version,
            "from_status": state.status,
            "to_status": to,
            "at": when,
            "satisfaction": satisfaction,
            "assignee": assignee,
            "facility_id": facility_id,
        },
    ).scalar()
    if new_version is None:
        raise stale_version(session=session, dispute_id=dispute_id, version=version)
    details = [note, assignee and f"assignee {assignee}", facility and f"facility {facility}"]
    details = [part for part in details if part]
    event_id = session.execute(
        sql("disputes_event_insert"),
        {
            "dispute_id": dispute_id,
            "at": when,
            "actor": actor,
            "action": "transition",
            "from_status": state.status,
            "to_status": to,
            "note": "; ".join(details) or None,
        },
    ).scalar_one()
    return Transitioned(dispute_id, state.status, to, new_version, event_id)
