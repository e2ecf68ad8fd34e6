"""``/api/v1/roster``: the duty roster (值班备勤) of the county and township centres."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request

from api.deps import CurrentUser, Manager, SessionDep, audit_case, audit_list, aware
from api.schemas.roster import (
    CENTRE,
    HandoverIn,
    HandoverOut,
    OnDutyOut,
    ShiftIn,
    ShiftOut,
    ShiftsOut,
)
from core.errors import Forbidden
from geo.staff import directory, roster

router = APIRouter(tags=["roster"])


def _check_centre(user, unit: str) -> None:
    """A manager may write the roster of a centre inside its scope."""
    if not user.covers_area(unit):
        raise Forbidden(f"the centre of {unit} is outside the scope of {user.scope_code}")


@router.get("/roster/on-duty", response_model=OnDutyOut, response_model_exclude_unset=True)
def who_is_on_duty(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    at: dt.datetime | None = Query(None, description="ISO time with zone (default: now)"),
    centre: str | None = Query(None, pattern=CENTRE, description="centre or unit code"),
    county: str | None = Query(None, pattern=r"^\d{6}$"),
) -> dict:
    """Who is on duty at ``at`` (shifts are ``[start, end)``), per centre, with the latest
    handover note where the caller may read it (case roles whose area covers the centre:
    notes hold personal data); phones where the caller's role may see them."""
    result = roster.on_duty(
        session=session, at=aware(at, "at") or dt.datetime.now(dt.UTC), centre=centre,
        county=county, scope_area=user.area_prefix, may_read_notes=user.may_see_area_personal,
    )  # fmt: skip
    people = [p for c in result["centres"] for p in c["on_duty"]]
    for person in people:
        person["id"] = person["staff_id"]
    directory.with_contacts(session=session, items=people, role=user.role, scope=user.scope_code)
    for person in people:
        person.pop("id")
    audit_list(session, user, request, "duty_shift", len(people))
    return result


@router.get("/roster/shifts", response_model=ShiftsOut, response_model_exclude_unset=True)
def centre_shifts(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    centre: str = Query(..., pattern=CENTRE),
    start: dt.datetime = Query(..., alias="from"),
    end: dt.datetime = Query(..., alias="to"),
) -> dict:
    """The shifts of one centre overlapping ``[from, to)`` (at most 2,000); handover notes
    only for case roles whose area covers the centre."""
    start, end = aware(start, "from"), aware(end, "to")
    if end - start > dt.timedelta(days=93):
        end = start + dt.timedelta(days=93)
    result = roster.shifts(
        session=session, centre=centre, start=start, end=end,
        may_read_notes=user.may_see_area_personal,
    )  # fmt: skip
    audit_list(session, user, request, "duty_shift", len(result["items"]))
    return result


@router.post(
    "/roster/shifts", status_code=201, response_model=ShiftOut, response_model_exclude_unset=True
)
def add_shift(body: ShiftIn, request: Request, session: SessionDep, user: Manager) -> dict:
    """Add a shift (409 when the person is on duty elsewhere at that time)."""
    _check_centre(user, roster.find_centre(session=session, code=body.centre)["admin_code"])
    done = roster.add_shift(
        session=session, centre=body.centre, staff_code=body.staff, post=body.post,
        start=body.start, end=body.end,
    )  # fmt: skip
    audit_case(session, user, request, "change", done["shift_id"], {"shift": body.centre},
               object_type="duty_shift")  # fmt: skip
    return done


@router.post(
    "/roster/shifts/{shift_id}/handover",
    response_model=HandoverOut,
    response_model_exclude_unset=True,
)
def hand_over(
    shift_id: int, body: HandoverIn, request: Request, session: SessionDep, user: Manager
) -> dict:
    """Write the handover note of a shift."""
    _check_centre(user, roster.centre_unit_of_shift(session=session, shift_id=shift_id))
    done = roster.hand_over(session=session, shift_id=shift_id, note=body.note,
                            actor=user.username)  # fmt: skip
    audit_case(session, user, request, "change", shift_id, {"handover": True},
               object_type="duty_shift")  # fmt: skip
    return done
