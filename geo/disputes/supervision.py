"""Supervision (跟踪督办): flags, reminders and escalation of overdue cases.

Supervision does not move a case along the loop; it is recorded in ``dispute.supervision``
(JSON: ``flags``, ``reminders``, ``escalations`` lists, and ``escalated_to``) and, like every
change, as a ``dispute_event`` (action ``flag`` / ``remind`` / ``escalate``, from and to the
current status). It is versioned like a transition. Who may supervise is
:mod:`core.permissions` (step ``supervise``: the county centre, a township over its area),
checked when a person acts (``by``); the sweep acts as the system.

Escalation rule (the sweep :func:`escalate_overdue`): an open case past its deadline goes up
to the township centre; one still open when it is past its deadline by half its time limit
again, or a major / especially major case past its deadline, goes to the county centre.
Each level is reached once.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.orm import Session

from core.errors import InvalidRequest
from core.principal import Principal
from geo.database.sqlfiles import sql
from geo.disputes.workflow import check_step, stale_version

ACTS = {"flag": "flags", "remind": "reminders", "escalate": "escalations"}
LEVELS = ("township", "county")


def supervise(
    *,
    session: Session,
    dispute_id: int,
    version: int,
    act: str,
    actor: str,
    note: str | None = None,
    escalate_to: str | None = None,
    at: dt.datetime | None = None,
    by: Principal | None = None,
) -> int:
    """Record one supervision act (flag, remind, escalate); return the new version.
    ``by``: the person acting (checked), or None for the system's sweep."""
    if by is not None:
        check_step(session=session, dispute_id=dispute_id, step="supervise", by=by)
    if act not in ACTS:
        raise InvalidRequest(f"unknown supervision act {act!r}; use one of {', '.join(ACTS)}")
    if act == "escalate" and escalate_to not in LEVELS:
        raise InvalidRequest("escalation goes to 'township' or 'county'")
    when = at or dt.datetime.now(dt.UTC)
    entry = {"at": when.isoformat(), "by": actor, "note": note}
    patch: dict = {}
    if act == "escalate":
        entry["to"] = escalate_to
        patch = {"escalated_to": escalate_to, "escalated_at": when.isoformat()}
    row = session.execute(
        sql("disputes_supervise"),
        {
            "id": dispute_id,
            "version": version,
            "patch": json.dumps(patch, ensure_ascii=False),
            "log_key": ACTS[act],
            "entry": json.dumps([entry], ensure_ascii=False),
        },
    ).first()
    if row is None:
        raise stale_version(session=session, dispute_id=dispute_id, version=version)
    detail = f"to {escalate_to}" if act == "escalate" else None
    session.execute(
        sql("disputes_event_insert"),
        {
            "dispute_id": dispute_id,
            "at": when,
            "actor": actor,
            "action": act,
            "from_status": row.status,
            "to_status": row.status,
            "note": "; ".join(p for p in (detail, note) if p) or None,
        },
    )
    return row.version


def escalation_level(*, severity: str, days_over: float, limit_days: float) -> str:
    """Where an overdue open case belongs: ``township`` or ``county`` (rule in the docstring)."""
    if severity in ("major", "critical") or days_over >= limit_days / 2:
        return "county"
    return "township"


def escalate_overdue(
    *, session: Session, now: dt.datetime | None = None, county: str | None = None
) -> dict[str, int]:
    """Escalate every open overdue case that has not reached its level yet; return counts."""
    now = now or dt.datetime.now(dt.UTC)
    counts = {"township": 0, "county": 0}
    rows = session.execute(sql("disputes_overdue_open"), {"now": now, "county": county}).all()
    for row in rows:
        target = escalation_level(
            severity=row.severity, days_over=row.days_over, limit_days=row.limit_days
        )
        reached = row.escalated_to
        if reached == target or reached == "county":
            continue
        supervise(
            session=session,
            dispute_id=row.id,
            version=row.version,
            act="escalate",
            actor="supervision sweep",
            note=f"overdue by {row.days_over:.1f} days",
            escalate_to=target,
            at=now,
        )
        counts[target] += 1
    return counts
