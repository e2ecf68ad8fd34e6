"""``/api/v1/notifications``: the reminders addressed to the caller's unit, and read marks."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import CurrentUser, SessionDep, resolve_county
from api.schemas.common import COUNTY
from api.schemas.notifications import NotificationOut, NotificationsOut
from geo.notifications.reminders import mark_read, notifications_for

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=NotificationsOut)
def notifications(
    session: SessionDep,
    user: CurrentUser,
    county: str | None = Query(None, pattern=COUNTY),
    unread: bool = Query(False, description="only the unread ones"),
    limit: int = Query(100, ge=1, le=1000),
) -> dict:
    """The reminders (due within 24 h, overdue, overdue beyond the escalation threshold)
    addressed to the caller's unit, on cases inside the caller's scope, newest first, each
    with the caller's read mark; ``unread`` counts all the unread ones. Roles that do not
    handle cases get none."""
    county = resolve_county(session, user, county)
    return notifications_for(
        session=session, principal=user, county=county, unread_only=unread, limit=limit
    )


@router.post("/notifications/{notification_id}/read", response_model=NotificationOut)
def read_notification(
    notification_id: int,
    session: SessionDep,
    user: CurrentUser,
    county: str | None = Query(None, pattern=COUNTY),
) -> dict:
    """Mark one of the caller's notifications read (marking it again changes nothing)."""
    county = resolve_county(session, user, county)
    return mark_read(
        session=session, principal=user, notification_id=notification_id, county=county
    )
