"""``/api/v1/roster``: the duty roster (值班备勤) of the county and township centres."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from api.deps import CurrentUser, Manager, SessionDep, audit_case
from core.errors import Forbidden
from geo.database.schema_staff import DUTY_POSTS
from geo.staff import directory, roster

router = APIRouter(tags=["roster"])

CENTRE = r"^[0-9A-Za-z_\-]{6,64}$"


def _scope_area(user) -> str | None:
    return None if user.role == "partner" else user.area_prefix


def _check_centre(user, unit: str) -> None:
    """A manager may write the roster of a centre inside its scope."""
    if not user.covers_area(unit):
        raise Forbidden(f"the centre of {unit} is outside the scope of {user.scope_code}")


@router.get("/roster/on-duty")
def who_is_on_duty(
    session: SessionDep,
    user: CurrentUser,
    at: dt.datetime | None = Query(None, description="ISO time with zone (default: now)"),
    centre: str | None = Query(None, pattern=CENTRE, description="centre or unit code"),
    county: str | None = Query(None, pattern=r"^\d{6}$"),
) -> dict:
    """Who is on duty at ``at`` (shifts are ``[start, end)``), per centre, with the latest
    handover note; phones where the caller's role may see them."""
    result = roster.on_duty(
        session=session, at=at or dt.datetime.now(dt.UTC), centre=centre, county=county,
        scope_area=_scope_area(user),
    )  # fmt: skip
    people = [p for c in result["centres"] for p in c["on_duty"]]
    for person in people:
        person["id"] = person["staff_id"]
    directory.with_contacts(session=session, items=people, role=user.role, scope=user.scope_code)
    for person in people:
        person.pop("id")
    return result


@router.get("/roster/shifts")
def centre_shifts(
    session: SessionDep,
    user: CurrentUser,
    centre: str = Query(..., pattern=CENTRE),
    start: dt.datetime = Query(..., alias="from"),
    end: dt.datetime = Query(..., alias="to"),
) -> dict:
    """The shifts of one centre overlapping ``[from, to)`` (at most 2,000)."""
    if end - start > dt.timedelta(days=93):
        end = start + dt.timedelta(days=93)
    return roster.shifts(session=session, centre=centre, start=start, end=end)


class ShiftRequest(BaseModel):
    """A person put on duty at a centre over ``[from, to)``."""

    centre: str = Field(..., pattern=CENTRE, examples=["623021100"])
    staff: str = Field(..., max_length=64, description="staff code")
    post: str = Field("officer", description=", ".join(DUTY_POSTS))
    start: dt.datetime = Field(..., alias="from")
    end: dt.datetime = Field(..., alias="to")


@router.post("/roster/shifts", status_code=201)
def add_shift(body: ShiftRequest, request: Request, session: SessionDep, user: Manager) -> dict:
    """Add a shift (409 when the person is on duty elsewhere at that time)."""
    _check_centre(user, roster.find_centre(session=session, code=body.centre)["admin_code"])
    done = roster.add_shift(
        session=session, centre=body.centre, staff_code=body.staff, post=body.post,
        start=body.start, end=body.end,
    )  # fmt: skip
    audit_case(session, user, request, "change", done["shift_id"], {"shift": body.centre},
               object_type="duty_shift")  # fmt: skip
    return done


class HandoverRequest(BaseModel):
    """The handover note (交班记录) of a shift."""

    note: str = Field(..., min_length=1, max_length=4000)


@router.post("/roster/shifts/{shift_id}/handover")
def hand_over(
    shift_id: int, body: HandoverRequest, request: Request, session: SessionDep, user: Manager
) -> dict:
    """Write the handover note of a shift."""
    _check_centre(user, roster.centre_unit_of_shift(session=session, shift_id=shift_id))
    done = roster.hand_over(session=session, shift_id=shift_id, note=body.note,
                            actor=user.username)  # fmt: skip
    audit_case(session, user, request, "change", shift_id, {"handover": True},
               object_type="duty_shift")  # fmt: skip
    return done
