"""Sending stored notifications on through a channel, and recording how it went.

Each notification not yet delivered (new, or failed fewer than ``max_attempts`` tries in all)
is sent once per call; the outcome is stored on it: ``delivery_status`` (delivered or
failed), the channel, the tries added to ``attempts``, the last error, and when it was
delivered. Rows are locked while they are sent, so two sweeps never send the same one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from geo.database.schema_notifications import NOTIFICATION_KINDS
from geo.database.sqlfiles import sql
from geo.notifications.channels import Channel, NotifySettings


def payload(row) -> dict:
    """The JSON body a channel sends for one notification."""
    return {
        "id": row.id,
        "kind": row.kind,
        "kind_label": NOTIFICATION_KINDS[row.kind],
        "dispute_id": row.dispute_id,
        "case": row.external_id,
        "county_code": row.county_code,
        "unit_code": row.unit_code,
        "units": list(row.units),
        "deadline": row.deadline.isoformat(),
        "message": row.message,
        "created_at": row.created_at.isoformat(),
    }


def deliver_pending(
    *,
    session: Session,
    channel: Channel,
    county: str | None = None,
    limit: int = 1000,
    max_attempts: int | None = None,
) -> dict[str, int]:
    """Send the undelivered notifications of ``county`` (default: all) through ``channel``;
    return how many were delivered and how many failed."""
    if max_attempts is None:
        max_attempts = NotifySettings().max_attempts
    rows = session.execute(
        sql("notifications_undelivered"),
        {"county": county, "limit": limit, "max_attempts": max_attempts},
    ).all()
    counts = {"delivered": 0, "failed": 0}
    for row in rows:
        outcome = channel.send(payload(row))
        status = "delivered" if outcome.delivered else "failed"
        session.execute(
            sql("notifications_delivery_record"),
            {
                "id": row.id,
                "status": status,
                "channel": channel.name,
                "tries": outcome.tries,
                "error": outcome.error,
                "at": dt.datetime.now(dt.UTC),
            },
        )
        counts[status] += 1
    return counts
