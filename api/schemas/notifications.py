"""Responses of ``/api/v1/notifications``: reminders addressed to the caller's unit."""

from __future__ import annotations

from api.schemas.common import Out, Stamp


class NotificationOut(Out):
    """One reminder about one case, with the caller's read mark."""

    id: int
    dispute_id: int
    external_id: str | None
    kind: str
    county_code: str | None
    unit_code: str | None
    units: list[str]
    deadline: Stamp
    message: str
    created_at: Stamp
    delivery_status: str
    read: bool
    read_at: Stamp | None


class NotificationsOut(Out):
    """The caller's notifications, newest first, and how many of all of them are unread."""

    unread: int
    notifications: list[NotificationOut]
