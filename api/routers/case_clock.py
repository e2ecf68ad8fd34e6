"""``/api/v1/disputes/{id}/suspend | resume | extension | extension/decision``: the clock of a
case (who may: core/permissions.py, docs/intake.md; 403 in Chinese and English otherwise)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import CurrentUser, SessionDep, audit_case
from api.schemas.case_clock import (
    ClockOut,
    ExtensionDecisionIn,
    ExtensionRequestIn,
    ResumeIn,
    SuspendIn,
)
from geo.disputes import clock

router = APIRouter(tags=["disputes"])


def _out(change: clock.ClockChange) -> dict:
    return {
        "id": change.dispute_id,
        "version": change.version,
        "deadline": change.deadline,
        "held_deadline": change.held_deadline,
        "suspended_at": change.suspended_at,
        "event_id": change.event_id,
    }


@router.post("/disputes/{dispute_id}/suspend", response_model=ClockOut)
def suspend(
    dispute_id: int, body: SuspendIn, request: Request, session: SessionDep, user: CurrentUser
) -> dict:
    """Suspend the case while it waits on a party (挂起, reason required): its clock stops.
    The assigned unit or the centre over its area; not once it is past its deadline (409)."""
    change = clock.suspend(
        session=session, dispute_id=dispute_id, version=body.version, actor=user.username,
        reason=body.reason, by=user,
    )  # fmt: skip
    audit_case(session, user, request, "change", dispute_id, {"clock": "suspend"})
    return _out(change)


@router.post("/disputes/{dispute_id}/resume", response_model=ClockOut)
def resume(
    dispute_id: int, body: ResumeIn, request: Request, session: SessionDep, user: CurrentUser
) -> dict:
    """Resume a suspended case: the deadline moves on by the time it was suspended."""
    change = clock.resume(
        session=session, dispute_id=dispute_id, version=body.version, actor=user.username,
        note=body.note, by=user,
    )  # fmt: skip
    audit_case(session, user, request, "change", dispute_id, {"clock": "resume"})
    return _out(change)


@router.post("/disputes/{dispute_id}/extension", response_model=ClockOut)
def request_extension(
    dispute_id: int,
    body: ExtensionRequestIn,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
) -> dict:
    """The assigned unit asks for an extension (申请延期), before the deadline."""
    change = clock.request_extension(
        session=session, dispute_id=dispute_id, version=body.version, actor=user.username,
        days=body.days, reason=body.reason, by=user,
    )  # fmt: skip
    audit_case(session, user, request, "change", dispute_id, {"clock": "extension_request"})
    return _out(change)


@router.post("/disputes/{dispute_id}/extension/decision", response_model=ClockOut)
def decide_extension(
    dispute_id: int,
    body: ExtensionDecisionIn,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
) -> dict:
    """The centre approves (批准延期) or refuses the pending request; never the assigned unit."""
    change = clock.decide_extension(
        session=session, dispute_id=dispute_id, version=body.version, actor=user.username,
        approve=body.approve, days=body.days, note=body.note, by=user,
    )  # fmt: skip
    audit_case(session, user, request, "change", dispute_id,
               {"clock": "extend" if body.approve else "extension_refused"})  # fmt: skip
    return _out(change)
