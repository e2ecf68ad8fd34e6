"""Rules about cases (disputes), each defined once: the closed loop, the open set, overdue.

The statuses are :data:`core.vocab.DISPUTE_STATUSES`. The closed loop (闭环)::

    received 兜底受理   -> routed, in_progress (handled on the spot)
    routed 分流转办     -> in_progress, received (returned: the unit declines it)
    in_progress 协同办理 -> resolved, unresolved, routed (handed to another unit or level)
    resolved 已化解     -> rated, archived (the parties declined to rate)
    unresolved 未化解   -> routed (re-routed), rated, archived (closed unresolved,
                           e.g. referred to court)
    rated 群众评价      -> archived
    archived 办结归档   -> followed_up
    followed_up 回访    -> (none: the loop is closed)

**Open** (在办): received, routed, in progress or unresolved (not yet closed).

**Overdue** (超期), judged at an instant ``at``:

- *open past its deadline* (在办超期): still open at ``at`` and its deadline is before ``at``;
  this is what lists and maps flag, what the statistics count as "overdue" and what the
  supervision sweep escalates;
- *resolved late*: resolved before ``at``, but after its deadline;
- a case is **overdue** when either holds: the ledger's 是否超期 column. A case resolved late
  stays overdue on the record; a case closed without being resolved (archived from
  unresolved) is no longer open and so no longer overdue.

**The clock** (计时): ``deadline`` is the *running* deadline. Suspension (挂起, waiting on a
party) stops the clock: while a case is suspended its deadline is held aside
(``held_deadline``) and it has no running deadline, so no rule above can find it late; on
resumption the deadline is the held one moved on by the time suspended
(:func:`resumed_deadline`). A case already past its deadline cannot be suspended (that would
hide it from the overdue lists), nor can an extension be asked for it
(:func:`require_clock_running`); an approved extension (延期) moves the running deadline on by
the days granted (:func:`core.limits.extended_deadline`). :func:`is_suspended` says whether a
case was suspended at an instant.

A report for a period judges at :func:`overdue_as_of`: the end of the period, or now when the
period has not ended yet (a case due next week is not overdue today).

The database holds the same rules as SQL functions (``wangge_is_open``,
``wangge_is_open_past_deadline``, ``wangge_is_resolved_late``, ``wangge_is_overdue``,
``wangge_is_suspended``),
generated from this module by :mod:`geo.database.rules`. Time limits are in
:mod:`core.limits`; who may see a case is :meth:`core.principal.Principal.may_see_case`.
"""

from __future__ import annotations

import datetime as dt

from core import vocab
from core.errors import Conflict, InvalidRequest

STATUSES: tuple[str, ...] = tuple(vocab.DISPUTE_STATUSES)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("routed", "in_progress"),
    "routed": ("in_progress", "received"),
    "in_progress": ("resolved", "unresolved", "routed"),
    "resolved": ("rated", "archived"),
    "unresolved": ("routed", "rated", "archived"),
    "rated": ("archived",),
    "archived": ("followed_up",),
    "followed_up": (),
}
OPEN_STATUSES: tuple[str, ...] = ("received", "routed", "in_progress", "unresolved")
RESOLVED_OR_LATER: tuple[str, ...] = ("resolved", "rated", "archived", "followed_up")


class IllegalTransition(Conflict):
    """A move the closed loop does not allow from the dispute's current status."""

    def __init__(self, dispute_id: int | None, from_status: str, to_status: str) -> None:
        self.from_status = from_status
        self.to_status = to_status
        self.allowed = TRANSITIONS.get(from_status, ())
        options = ", ".join(self.allowed) if self.allowed else "none (the loop is closed)"
        subject = f"dispute {dispute_id}" if dispute_id is not None else "a dispute"
        labels = vocab.DISPUTE_STATUSES
        super().__init__(
            f"案件不能从「{labels[from_status]}」转为「{labels.get(to_status, '?')}」 / "
            f"{subject} cannot go from {from_status} ({vocab.DISPUTE_STATUSES[from_status]}) "
            f"to {to_status} ({vocab.DISPUTE_STATUSES.get(to_status, '?')}); "
            f"allowed from {from_status}: {options}"
        )


def require_legal(from_status: str, to_status: str, *, dispute_id: int | None = None) -> None:
    """Raise unless ``from_status → to_status`` is an edge of the loop."""
    if to_status not in vocab.DISPUTE_STATUSES:
        raise InvalidRequest(
            f"unknown status {to_status!r}; statuses are {', '.join(vocab.DISPUTE_STATUSES)}"
        )
    if to_status not in TRANSITIONS[from_status]:
        raise IllegalTransition(dispute_id, from_status, to_status)


def is_open(status: str | None) -> bool:
    """True when a case in ``status`` is still open (在办)."""
    return status in OPEN_STATUSES


def deadline_passed(deadline, at):
    """True when the deadline lies before ``at``; a case without one is never late.

    Also elementwise over numpy datetime64 arrays (NaT, no deadline, compares False), so the
    risk panel counts late cases by this very rule.
    """
    if deadline is None:
        return False
    return deadline < at


def is_open_past_deadline(
    status: str | None, deadline: dt.datetime | None, at: dt.datetime
) -> bool:
    """Open at ``at`` (``status`` is the status then) and its deadline is before ``at``."""
    return is_open(status) and bool(deadline_passed(deadline, at))


def is_resolved_late(
    deadline: dt.datetime | None, resolved_at: dt.datetime | None, at: dt.datetime
) -> bool:
    """Resolved before ``at``, but after its deadline."""
    return (
        deadline is not None
        and resolved_at is not None
        and resolved_at < at
        and resolved_at > deadline
    )


def is_overdue(
    status: str | None,
    deadline: dt.datetime | None,
    resolved_at: dt.datetime | None,
    at: dt.datetime,
) -> bool:
    """Overdue at ``at`` (超期): open past its deadline, or resolved after it (module docstring).

    ``status`` is the case's status at ``at``; ``resolved_at`` when it reached *resolved*.
    """
    return is_open_past_deadline(status, deadline, at) or is_resolved_late(
        deadline, resolved_at, at
    )


def overdue_as_of(period_end: dt.datetime, now: dt.datetime | None = None) -> dt.datetime:
    """The instant a report on a period ending at ``period_end`` judges overdue at:
    the period's end, or ``now`` (default: the current time) if the period has not ended."""
    return min(period_end, now or dt.datetime.now(dt.UTC))


def is_suspended(status: str | None, suspended_at: dt.datetime | None, at: dt.datetime) -> bool:
    """True when the case is open and was suspended (挂起) at or before ``at``."""
    return is_open(status) and suspended_at is not None and suspended_at <= at


def resumed_deadline(
    held_deadline: dt.datetime | None, suspended_at: dt.datetime, resumed_at: dt.datetime
) -> dt.datetime | None:
    """The running deadline of a case resumed at ``resumed_at``: the held deadline moved on by
    the time the case was suspended (the clock stood still meanwhile)."""
    if held_deadline is None:
        return None
    return held_deadline + max(resumed_at - suspended_at, dt.timedelta(0))


CLOCK_ACTS = {"suspend": ("挂起", "suspended"), "extend": ("申请延期", "extended")}


def require_clock_running(
    *,
    act: str,
    status: str,
    deadline: dt.datetime | None,
    suspended_at: dt.datetime | None,
    at: dt.datetime,
) -> None:
    """Raise :class:`Conflict` unless the case is open, not suspended and not yet past its
    deadline: the state in which it may be suspended (``act="suspend"``) or an extension
    asked for (``act="extend"``)."""
    zh, en = CLOCK_ACTS[act]
    if not is_open(status):
        raise Conflict(f"案件已办结，不能{zh} / the case is closed ({status}): it cannot be {en}")
    if suspended_at is not None:
        raise Conflict(f"案件已挂起，不能{zh} / the case is suspended: resume it first")
    if deadline_passed(deadline, at):
        raise Conflict(
            f"案件已超期，不能{zh}，请督办 / the case is past its deadline: it cannot be {en}"
        )
