"""Requests and responses of the clock of a case: suspension, resumption, extension."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.schemas.common import MAX_NOTE, Out
from core.limits import MAX_EXTENSION_DAYS


class SuspendIn(BaseModel):
    """Suspend the case while it waits on a party (挂起): the clock stops."""

    version: int = Field(..., ge=1, description="the version you read (optimistic lock)")
    reason: str = Field(..., max_length=MAX_NOTE, description="why (e.g. 等待当事人提交鉴定结论)")


class ResumeIn(BaseModel):
    """Resume a suspended case: the deadline moves on by the time suspended."""

    version: int = Field(..., ge=1)
    note: str | None = Field(None, max_length=MAX_NOTE)


class ExtensionRequestIn(BaseModel):
    """The assigned unit asks for more days (申请延期), before the deadline."""

    version: int = Field(..., ge=1)
    days: int = Field(..., ge=1, le=MAX_EXTENSION_DAYS, description="days (the limit's kind)")
    reason: str = Field(..., max_length=MAX_NOTE)


class ExtensionDecisionIn(BaseModel):
    """The centre approves or refuses the pending request (批准延期)."""

    version: int = Field(..., ge=1)
    approve: bool
    days: int | None = Field(
        None, ge=1, le=MAX_EXTENSION_DAYS, description="days granted (default: as asked)"
    )
    note: str | None = Field(None, max_length=MAX_NOTE)


class ClockOut(Out):
    """The case's new version and its clock: running deadline, held deadline, suspended since."""

    id: int
    version: int
    deadline: dt.datetime | None
    held_deadline: dt.datetime | None
    suspended_at: dt.datetime | None
    event_id: int
