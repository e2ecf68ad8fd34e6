"""Moving a case along the closed loop (闭环), by those allowed to.

The loop itself (statuses, edges, the open set) is :mod:`core.cases`; who may take each step
is :mod:`core.permissions`, checked here on every transition made by a person (``by``); a
step taken by the system itself (the demo's replay, a migration) passes ``by=None``.

Rules beyond the edges: ``routed`` names a person (staff code), a unit (facility code) or an
area (``unit``: grid, township or county code); ``unresolved`` needs a note (why); ``rated``
needs a satisfaction score 1–5 and, when a person records it, its source
(:data:`core.vocab.RATING_SOURCES`). A follow-up that finds the dispute back is a new intake,
so that the county's figures stay honest.

Assignment is explicit: routing sets ``assignee_unit`` (the facility, the area, or the unit
of the person), ``assignee_staff`` and ``routed_by`` (the routing centre's unit key);
a case taken on the spot (received → in progress) is assigned to the caller's own unit (the
event's actor). A routing's event names the assignment, so every change of hands is in the
history.
:func:`accept_suggestion` routes a case to a dispatch recommendation in one step.

Every change is one versioned UPDATE (``WHERE id = :id AND version = :v``) plus one
``dispute_event`` row, in the caller's transaction: two people acting on the same version
cannot both win; the loser gets :class:`core.errors.Conflict` and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from core import permissions, vocab
from core.cases import TRANSITIONS, IllegalTransition, require_legal
from core.errors import Conflict, InvalidRequest
from core.principal import Principal
from geo.database.sqlfiles import sql

# The loop's names are re-exported: callers that move cases read them from here too.
__all__ = [
    "TRANSITIONS",
    "IllegalTransition",
    "Transitioned",
    "accept_suggestion",
    "case_facts",
    "changed_conflict",
    "check_step",
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


@dataclass(frozen=True)
class Assignment:
    """Who will hold the case: unit code, person (staff code) and the facility row, if any."""

    unit: str | None
    staff: str | None
    facility_id: int | None

    def describe(self) -> str:
        """The event note's words for this assignment."""
        parts = [f"assigned to unit {self.unit}" if self.unit else "assigned"]
        if self.staff:
            parts.append(f"assignee {self.staff}")
        return ", ".join(parts)


def _facility_id(session: Session, code: str | None) -> int | None:
    if code is None:
        return None
    found = session.execute(text("SELECT id FROM facility WHERE code = :c"), {"c": code}).scalar()
    if found is None:
        raise InvalidRequest(f"没有编码为 {code!r} 的单位 / no facility with code {code!r}")
    return found


def _staff_unit(session: Session, code: str | None) -> str | None:
    if code is None:
        return None
    row = session.execute(sql("disputes_assignee_unit"), {"code": code}).first()
    if row is None:
        raise InvalidRequest(f"没有编码为 {code!r} 的人员 / no staff member with code {code!r}")
    return row.unit


def _area_exists(session: Session, code: str) -> None:
    found = session.execute(
        text(
            "SELECT 1 FROM admin_unit WHERE code = :c UNION ALL "
            "SELECT 1 FROM grid WHERE code = :c AND valid_to IS NULL"
        ),
        {"c": code},
    ).first()
    if found is None:
        raise InvalidRequest(f"没有编码为 {code!r} 的区域 / no area with code {code!r}")


def _assignment(
    session: Session, *, assignee: str | None, facility: str | None, unit: str | None
) -> Assignment:
    staff_unit = _staff_unit(session, assignee)
    facility_id = _facility_id(session, facility)
    if unit is not None and facility is None:
        _area_exists(session, unit)
    return Assignment(facility or unit or staff_unit, assignee, facility_id)


def _check_payload(to_status, note, assignee, facility, unit, satisfaction) -> None:
    if to_status == "routed" and not (assignee or facility or unit):
        raise InvalidRequest(
            "分流须指定承办人或承办单位 / routing needs an assignee (staff code) or a facility"
            " (code) or a unit (area code)"
        )
    if to_status == "unresolved" and not (note and note.strip()):
        raise InvalidRequest("未化解须说明原因 / a dispute left unresolved needs a note saying why")
    if to_status == "rated" and satisfaction is None:
        raise InvalidRequest("评价须有满意度 1–5 / a rating needs a satisfaction score from 1 to 5")
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise InvalidRequest("满意度为 1 至 5 / satisfaction must be from 1 to 5")


def _check_rating_source(to_status: str, source: str | None, by: Principal | None) -> None:
    if source is not None and source not in vocab.RATING_SOURCES:
        choices = ", ".join(vocab.RATING_SOURCES)
        raise InvalidRequest(f"评价来源未知：{source!r} / unknown rating source; use {choices}")
    if to_status == "rated" and by is not None:
        if source is None:
            raise InvalidRequest(
                "录入评价须注明来源（电话、上门、短信、当面） / a rating recorded by a person"
                " names its source: phone, visit, sms or in_person"
            )
        if source == "citizen":
            raise InvalidRequest(
                "群众自评只能由群众本人提交 / a 'citizen' rating comes from the citizen's own"
                " channel, not from a clerk"
            )


def changed_conflict(dispute_id: int, version: int, state) -> Conflict:
    """The error for a stale version: the case changed since the caller read it."""
    return Conflict(
        f"案件已被他人修改，请刷新后重试 / dispute {dispute_id} changed since you read it (you had"
        f" version {version}, it is now version {state.version}, status {state.status});"
        " reload it and try again"
    )


def stale_version(*, session: Session, dispute_id: int, version: int) -> Conflict:
    """The Conflict for a versioned update that matched no row (re-reads the case)."""
    return changed_conflict(dispute_id, version, load_state(session=session, dispute_id=dispute_id))


def load_state(*, session: Session, dispute_id: int):
    """The dispute's workflow row (with what the permission rules need), or NotFound."""
    state = session.execute(sql("disputes_state"), {"id": dispute_id}).first()
    if state is None:
        raise permissions.case_not_found(dispute_id)
    return state


def case_facts(state) -> permissions.CaseFacts:
    """The facts of a :func:`load_state` row that :mod:`core.permissions` judges on."""
    return permissions.CaseFacts(
        grid_code=state.grid_code,
        county_code=state.county_code,
        facility_code=state.facility_code,
        assignee_holders=frozenset(state.holders or ()),
        routed_by=state.routed_by,
    )


def check_step(*, session: Session, dispute_id: int, step: str, by: Principal):
    """Raise :class:`core.errors.Forbidden` unless ``by`` may take ``step`` on the case;
    return its state row."""
    state = load_state(session=session, dispute_id=dispute_id)
    facts = case_facts(state)
    permissions.require_in_scope(by, facts, case_id=dispute_id)
    permissions.require(by, step, facts)
    return state


def _own_unit(principal: Principal, county_code: str | None) -> str | None:
    return permissions.unit_key(principal, county_code).split(":", 1)[1] or None


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
    unit: str | None = None,
    satisfaction: int | None = None,
    rating_source: str | None = None,
    at: dt.datetime | None = None,
    by: Principal | None = None,
) -> Transitioned:
    """Move a dispute one step along the loop, if ``version`` is still current and ``by``
    (None: the system itself) may take the step."""
    state = load_state(session=session, dispute_id=dispute_id)
    if by is not None:
        permissions.require_in_scope(by, case_facts(state), case_id=dispute_id)
    if state.version != version:
        raise changed_conflict(dispute_id, version, state)
    require_legal(state.status, to, dispute_id=dispute_id)
    step = permissions.step_of(state.status, to)
    if by is not None:
        permissions.require(by, step, case_facts(state))
    _check_payload(to, note, assignee, facility, unit, satisfaction)
    _check_rating_source(to, rating_source, by)
    assignment, routed_by = None, None
    if step == "route":
        assignment = _assignment(session, assignee=assignee, facility=facility, unit=unit)
        routed_by = by and permissions.unit_key(by, state.county_code)
    elif step == "take_on" and by is not None:
        assignment = Assignment(_own_unit(by, state.county_code), None, None)
        if by.role in permissions.CENTRE_ROLES:
            routed_by = permissions.unit_key(by, state.county_code)
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
            "rating_source": rating_source,
            "assign": assignment is not None,
            "assignee": assignment.staff if assignment else None,
            "assignee_unit": assignment.unit if assignment else None,
            "facility_id": assignment.facility_id if assignment else None,
            "routed_by": routed_by,
        },
    ).scalar()
    if new_version is None:
        raise stale_version(session=session, dispute_id=dispute_id, version=version)
    details = [
        note,
        step == "route" and assignment.describe(),
        rating_source and f"rating source {rating_source}",
    ]
    event_id = session.execute(
        sql("disputes_event_insert"),
        {
            "dispute_id": dispute_id,
            "at": when,
            "actor": actor,
            "action": "transition",
            "from_status": state.status,
            "to_status": to,
            "note": "; ".join(part for part in details if part) or None,
        },
    ).scalar_one()
    return Transitioned(dispute_id, state.status, to, new_version, event_id)


def accept_suggestion(
    *,
    session: Session,
    dispute_id: int,
    version: int,
    actor: str,
    by: Principal | None,
    rank: int = 1,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> tuple[Transitioned, dict]:
    """Route the case to the dispatch recommendation of ``rank`` (default: the first) in one
    step; return the transition and the recommendation taken."""
    from geo.disputes.dispatch import recommend

    ranked = recommend(session=session, dispute_id=dispute_id, with_forces=False)
    chosen = next((r for r in ranked["recommendations"] if r["rank"] == rank), None)
    if chosen is None or not chosen.get("code"):
        raise InvalidRequest(f"没有第 {rank} 名的派单建议 / no dispatch suggestion ranked {rank}")
    target = {"assignee": chosen["code"]} if chosen["kind"] == "staff" else {}
    target = target or {"facility": chosen["code"]}
    done = transition(
        session=session, dispute_id=dispute_id, to="routed", version=version, actor=actor,
        note=note or f"按派单建议第 {rank} 名分流 / dispatch suggestion {rank} accepted",
        by=by, at=at, **target,
    )  # fmt: skip
    return done, chosen
