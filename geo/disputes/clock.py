"""The clock of a case: suspension (挂起) and resumption, extension (延期) asked and decided.

The rules are :mod:`core.cases` (the clock stops while suspended; neither a case past its
deadline nor a suspended one may be suspended or have an extension asked) and
:mod:`core.limits` (an extension adds days of the kind the limit counts in, on the county's
working calendar). Who may do each is :mod:`core.permissions`: suspend and resume, the
assigned unit or the centre over the case's area; ask for an extension, the assigned unit;
approve or refuse it, the centre, never the assigned unit itself.

Each act is one versioned UPDATE plus one ``dispute_event`` (action ``suspend``, ``resume``,
``extension_request``, ``extend`` or ``extension_refused``; from and to the current status)
in the caller's transaction, as every change of a case is. ``by=None`` is the system itself.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core import cases, limits, permissions
from core.errors import Conflict, InvalidRequest
from core.principal import Principal
from geo.database.sqlfiles import sql
from geo.disputes.calendar import work_calendar
from geo.disputes.workflow import case_facts, changed_conflict, load_state, stale_version


@dataclass(frozen=True)
class ClockChange:
    """The outcome of a clock act: new version, the running and the held deadline."""

    dispute_id: int
    version: int
    deadline: dt.datetime | None
    held_deadline: dt.datetime | None
    suspended_at: dt.datetime | None
    event_id: int


def _checked(session: Session, dispute_id: int, version: int, step: str, by: Principal | None):
    state = load_state(session=session, dispute_id=dispute_id)
    if by is not None:
        permissions.require_in_scope(by, case_facts(state), case_id=dispute_id)
    if state.version != version:
        raise changed_conflict(dispute_id, version, state)
    if by is not None:
        permissions.require(by, step, case_facts(state))
    return state


def _note(text: str | None, what: str) -> str:
    if not (text and text.strip()):
        raise InvalidRequest(f"{what}须说明理由 / a reason is needed")
    return text.strip()


def _finish(session, dispute_id, row, *, version, action, actor, when, note) -> ClockChange:
    if row is None:
        raise stale_version(session=session, dispute_id=dispute_id, version=version)
    event_id = session.execute(
        sql("disputes_event_insert"),
        {"dispute_id": dispute_id, "at": when, "actor": actor, "action": action,
         "from_status": row.status, "to_status": row.status, "note": note},
    ).scalar_one()  # fmt: skip
    state = load_state(session=session, dispute_id=dispute_id)
    return ClockChange(
        dispute_id, row.version, state.deadline, state.held_deadline, state.suspended_at, event_id
    )


def _local(moment: dt.datetime | None) -> str:
    if moment is None:
        return "none"
    return moment.astimezone(limits.CHINA).strftime("%Y-%m-%d %H:%M")


def suspend(
    *,
    session: Session,
    dispute_id: int,
    version: int,
    actor: str,
    reason: str | None,
    by: Principal | None,
    at: dt.datetime | None = None,
) -> ClockChange:
    """Suspend the case while it waits on a party: its clock stops (reason required)."""
    when = at or dt.datetime.now(dt.UTC)
    state = _checked(session, dispute_id, version, "suspend", by)
    reason = _note(reason, "挂起")
    cases.require_clock_running(
        act="suspend", status=state.status, deadline=state.deadline,
        suspended_at=state.suspended_at, at=when,
    )  # fmt: skip
    row = session.execute(
        sql("disputes_suspend"), {"id": dispute_id, "version": version, "at": when}
    ).first()
    note = f"{reason}; deadline held at {_local(state.deadline)}"
    return _finish(session, dispute_id, row, version=version, action="suspend", actor=actor,
                   when=when, note=note)  # fmt: skip


def resume(
    *,
    session: Session,
    dispute_id: int,
    version: int,
    actor: str,
    note: str | None,
    by: Principal | None,
    at: dt.datetime | None = None,
) -> ClockChange:
    """Resume a suspended case: the deadline moves on by the time it was suspended."""
    when = at or dt.datetime.now(dt.UTC)
    state = _checked(session, dispute_id, version, "resume", by)
    if state.suspended_at is None:
        raise Conflict(f"案件未挂起 / dispute {dispute_id} is not suspended")
    deadline = cases.resumed_deadline(state.held_deadline, state.suspended_at, when)
    row = session.execute(
        sql("disputes_resume"), {"id": dispute_id, "version": version, "deadline": deadline}
    ).first()
    days = (when - state.suspended_at).total_seconds() / 86400
    detail = f"suspended {days:.1f} days; deadline now {_local(deadline)}"
    return _finish(session, dispute_id, row, version=version, action="resume", actor=actor,
                   when=when, note="; ".join(p for p in (note, detail) if p))  # fmt: skip


def _days(days: int) -> int:
    if not 1 <= days <= limits.MAX_EXTENSION_DAYS:
        raise InvalidRequest(
            f"延期天数为 1 至 {limits.MAX_EXTENSION_DAYS} 天 / an extension is 1 to"
            f" {limits.MAX_EXTENSION_DAYS} days"
        )
    return days


def request_extension(
    *,
    session: Session,
    dispute_id: int,
    version: int,
    actor: str,
    days: int,
    reason: str | None,
    by: Principal | None,
    at: dt.datetime | None = None,
) -> ClockChange:
    """The handler asks for ``days`` more (before the deadline; the centre decides)."""
    when = at or dt.datetime.now(dt.UTC)
    state = _checked(session, dispute_id, version, "request_extension", by)
    reason, days = _note(reason, "延期"), _days(days)
    cases.require_clock_running(
        act="extend", status=state.status, deadline=state.deadline,
        suspended_at=state.suspended_at, at=when,
    )  # fmt: skip
    if (state.supervision or {}).get("extension_request"):
        raise Conflict("已有待审批的延期申请 / an extension request is already waiting")
    request = {"days": days, "reason": reason, "by": actor, "at": when.isoformat()}
    row = session.execute(
        sql("disputes_extension_request"),
        {"id": dispute_id, "version": version, "request": json.dumps(request, ensure_ascii=False)},
    ).first()
    note = f"asks {days} days: {reason}"
    return _finish(session, dispute_id, row, version=version, action="extension_request",
                   actor=actor, when=when, note=note)  # fmt: skip


def decide_extension(
    *,
    session: Session,
    dispute_id: int,
    version: int,
    actor: str,
    approve: bool,
    by: Principal | None,
    days: int | None = None,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> ClockChange:
    """The centre approves (``days``: as asked unless given) or refuses the pending request."""
    when = at or dt.datetime.now(dt.UTC)
    state = _checked(session, dispute_id, version, "extend", by)
    pending = (state.supervision or {}).get("extension_request")
    if not pending:
        raise Conflict(f"没有待审批的延期申请 / dispute {dispute_id} has no extension request")
    if not cases.is_open(state.status):
        raise Conflict(f"案件已办结 / the case is closed ({state.status})")
    granted = _days(days if days is not None else int(pending["days"])) if approve else 0
    current = state.held_deadline if state.suspended_at else state.deadline
    deadline = None
    if approve and current is not None:
        calendar = work_calendar(session=session, county=state.county_code)
        deadline = limits.extended_deadline(current, granted, state.severity, calendar)
    entry = {**pending, "approved": approve, "granted": granted, "decided_by": actor,
             "decided_at": when.isoformat(), "note": note}  # fmt: skip
    row = session.execute(
        sql("disputes_extension_decide"),
        {"id": dispute_id, "version": version, "approve": approve and deadline is not None,
         "deadline": deadline, "entry": json.dumps([entry], ensure_ascii=False)},
    ).first()  # fmt: skip
    if approve:
        detail = f"granted {granted} days; deadline now {_local(deadline or current)}"
    else:
        detail = "refused"
    return _finish(session, dispute_id, row, version=version,
                   action="extend" if approve else "extension_refused", actor=actor, when=when,
                   note="; ".join(p for p in (detail, note) if p))  # fmt: skip
