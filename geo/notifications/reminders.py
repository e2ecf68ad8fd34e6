"""The reminder sweep (催办提醒) and each user's notifications.

The sweep finds the open cases of a county whose running deadline falls within 24 hours or
has passed, by the one overdue rule (``wangge_is_open_past_deadline`` judged at ``now`` and at
``now`` + 24 h), and stores one reminder per case, kind and deadline:

- ``due_soon`` (24小时内到期): to the unit responsible for the case;
- ``overdue`` (已超期): to the responsible unit and the township centre over the case;
- ``escalate`` (超期超过督办阈值): when the supervision rule
  (:func:`geo.disputes.supervision.escalation_level`) sends the case to the county, to the
  responsible unit, the township centre and the county centre.

The responsible unit is the assigned unit (its unit keys, ``role:scope`` as
:func:`core.permissions.unit_key` writes them); a case not assigned yet is the township
centre's (the county centre's when it is on no grid). Running the sweep again stores nothing
new for the same case, kind and deadline; an extension or a resumption moves the deadline, and
the reminders of the new deadline are stored when they fall due.

A user reads the notifications addressed to their unit, on cases inside their scope, newest
first, each with their own read mark.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from core import vocab
from core.errors import NotFound
from core.permissions import unit_key
from core.principal import Principal
from geo.database.schema_notifications import NOTIFICATION_KINDS
from geo.database.sqlfiles import sql
from geo.disputes.supervision import escalation_level

CHINA = ZoneInfo("Asia/Shanghai")
KINDS = tuple(NOTIFICATION_KINDS)


def _ordered(keys: list[str | None]) -> list[str]:
    return list(dict.fromkeys(k for k in keys if k))


def addressees(case, kind: str) -> list[str]:
    """The unit keys a reminder of ``kind`` about ``case`` goes to (module docstring)."""
    county = f"county_centre:{case.county_code}" if case.county_code else None
    township = f"township:{case.township_code}" if case.township_code else None
    responsible = list(case.holders or []) or [township or county]
    if kind == "due_soon":
        return _ordered(responsible)
    if kind == "overdue":
        return _ordered([*responsible, township or county])
    return _ordered([*responsible, township, county])


def _message(case, kind: str) -> str:
    due = case.deadline.astimezone(CHINA)
    category = vocab.DISPUTE_CATEGORIES.get(case.category, case.category)
    what = f"案件 {case.external_id}（{category}）"
    label_zh, label_en = NOTIFICATION_KINDS[kind].split(" ", 1)
    if kind == "due_soon":
        zh = f"{what}将于 {due:%Y-%m-%d %H:%M} 到期"
        en = f"case {case.external_id} falls due at {due:%Y-%m-%d %H:%M} (Beijing time)"
    else:
        days = f"{case.days_over:.1f}"
        zh = f"{what}办理期限 {due:%Y-%m-%d %H:%M}，已超期 {days} 天"
        en = f"case {case.external_id} was due at {due:%Y-%m-%d %H:%M}, overdue by {days} days"
        if kind == "escalate":
            zh += "，超过督办阈值，已报县综治中心"
            en += ", beyond the escalation threshold: the county centre is told"
    return f"【{label_zh}】{zh} / {label_en}: {en}"


def _kinds_of(case) -> list[str]:
    if not case.overdue:
        return ["due_soon"]
    level = escalation_level(
        severity=case.severity, days_over=case.days_over, limit_days=case.limit_days
    )
    return ["overdue", "escalate"] if level == "county" else ["overdue"]


def sweep_reminders(
    *, session: Session, now: dt.datetime | None = None, county: str | None = None
) -> dict[str, int]:
    """Store the reminders due at ``now`` for ``county`` (default: every county); return how
    many of each kind were stored by this run (0 for those already stored)."""
    now = now or dt.datetime.now(dt.UTC)
    rows = []
    for case in session.execute(sql("notifications_candidates"), {"now": now, "county": county}):
        for kind in _kinds_of(case):
            units = addressees(case, kind)
            rows.append(
                {
                    "dispute_id": case.id,
                    "kind": kind,
                    "county_code": case.county_code,
                    "unit_code": units[0].split(":", 1)[1] if units else None,
                    "units": units,
                    "deadline": case.deadline.isoformat(),
                    "message": _message(case, kind),
                }
            )
    counts = dict.fromkeys(KINDS, 0)
    if rows:
        stored = session.execute(
            sql("notifications_insert"), {"rows": json.dumps(rows, ensure_ascii=False)}
        )
        for row in stored:
            counts[row.kind] += 1
    return counts


def _keys(principal: Principal, county: str | None) -> list[str]:
    return [unit_key(principal, county)] if principal.sees_cases else []


def _read_rows(
    session: Session,
    principal: Principal,
    county: str | None,
    *,
    notification_id: int | None = None,
    unread_only: bool = False,
    limit: int = 100,
) -> tuple[list[dict], int]:
    """(rows with their ``read`` mark, the unread total) addressed to ``principal``."""
    keys = _keys(principal, county)
    if not keys:
        return [], 0
    params = {
        "keys": keys,
        "username": principal.username,
        "id": notification_id,
        "unread_only": unread_only,
        "limit": limit,
        **principal.scope_params(),
    }
    items = [dict(r) for r in session.execute(sql("notifications_for_units"), params).mappings()]
    unread = int(items[0]["unread_total"]) if items else 0
    for item in items:
        item.pop("unread_total")
        item["read"] = item["read_at"] is not None
    return items, unread


def notifications_for(
    *,
    session: Session,
    principal: Principal,
    county: str | None,
    unread_only: bool = False,
    limit: int = 100,
) -> dict:
    """The notifications addressed to ``principal``'s unit (``county``: the county an unscoped
    county centre stands for), newest first, with ``read`` marks and the unread total."""
    items, unread = _read_rows(session, principal, county, unread_only=unread_only, limit=limit)
    return {"unread": unread, "notifications": items}


def mark_read(
    *,
    session: Session,
    principal: Principal,
    notification_id: int,
    county: str | None,
    at: dt.datetime | None = None,
) -> dict:
    """Mark one of ``principal``'s notifications read (again: no change); return it.
    :class:`NotFound` when there is no such notification for this user."""
    found, _ = _read_rows(session, principal, county, notification_id=notification_id)
    if not found:
        raise NotFound(
            f"没有编号为 {notification_id} 的提醒 / no notification {notification_id} for this user"
        )
    when = at or dt.datetime.now(dt.UTC)
    session.execute(
        sql("notifications_mark_read"),
        {"id": notification_id, "username": principal.username, "at": when},
    )
    return _read_rows(session, principal, county, notification_id=notification_id)[0][0]
