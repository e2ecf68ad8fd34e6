"""Requests and responses of ``/api/v1/roster``: who is on duty, shifts, handover notes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.schemas.common import MAX_CODE, MAX_DESCRIPTION, MAX_LABEL, Out, Stamp
from geo.database.schema_staff import DUTY_POSTS

CENTRE = r"^[0-9A-Za-z_\-]{6,64}$"


class Contact(Out):
    """Contact details, present only where the caller's role may see them; otherwise
    ``contact`` says ``restricted``."""

    phone: str | None = Field(None, description="only for roles that may see it")
    id_number: str | None = Field(None, description="only for the county centre")
    contact: str | None = Field(None, description="restricted: the role may not see contacts")


class PersonOnDuty(Contact):
    """A person on duty over ``[from, to)``."""

    shift_id: int
    post: str = Field(description=", ".join(DUTY_POSTS))
    post_label: str
    staff_id: int
    staff_code: str
    name: str
    role: str
    from_: Stamp = Field(alias="from")
    to: Stamp


class Handover(Out):
    """The latest handover note (交班记录) at a centre."""

    shift_id: int
    at: Stamp | None
    by: str | None
    note: str | None


class CentreOnDuty(Out):
    """A duty centre and who is on duty there."""

    centre: str
    name: str
    kind: str
    unit: str
    lon: float | None
    lat: float | None
    on_duty: list[PersonOnDuty]
    synthetic: bool
    handover: Handover | None


class OnDutyOut(Out):
    """Who is on duty at ``at``, per centre."""

    at: Stamp
    centre: str | None
    centres: list[CentreOnDuty]
    synthetic: bool


class Shift(Out):
    """One shift of a centre."""

    shift_id: int
    post: str
    starts_at: Stamp
    ends_at: Stamp
    handover_note: str | None
    handover_by: str | None
    handover_at: Stamp | None
    staff_id: int
    staff_code: str
    name: str
    role: str
    synthetic: bool


class ShiftsOut(Out):
    """The shifts of one centre over a period (at most 2,000)."""

    centre: str
    name: str
    unit: str
    items: list[Shift]


class ShiftIn(BaseModel):
    """A person put on duty at a centre over ``[from, to)``."""

    centre: str = Field(..., pattern=CENTRE, examples=["623021100"])
    staff: str = Field(..., max_length=MAX_CODE, description="staff code")
    post: str = Field("officer", max_length=MAX_LABEL, description=", ".join(DUTY_POSTS))
    start: dt.datetime = Field(..., alias="from")
    end: dt.datetime = Field(..., alias="to")


class ShiftOut(Out):
    """The shift written."""

    shift_id: int
    centre: str
    staff_code: str
    post: str
    from_: Stamp = Field(alias="from")
    to: Stamp


class HandoverIn(BaseModel):
    """The handover note (交班记录) of a shift."""

    note: str = Field(..., min_length=1, max_length=MAX_DESCRIPTION)


class HandoverOut(Out):
    """The note written and by whom."""

    shift_id: int
    note: str
    by: str
