"""Reminders (催办提醒) stored by the notification sweep, one per case, kind and deadline.

``kind`` is ``due_soon`` (falls due within 24 h), ``overdue`` (open past its deadline) or
``escalate`` (overdue beyond the escalation threshold of :mod:`geo.disputes.supervision`).
``units`` are the unit keys (``role:scope``, :func:`core.permissions.unit_key`) the reminder
is addressed to: the unit holding the case, and for ``escalate`` the county centre too.
``delivered_at`` and ``channel`` say when and how it was sent on (log, webhook …);
``delivery_status`` (pending, delivered, failed), ``attempts`` and ``last_error`` how the
delivery went (migration 0019). ``notification_read`` holds who has read which.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from geo.database.schema import Base, _in

DELIVERY_STATUSES = ("pending", "delivered", "failed")
NOTIFICATION_KINDS = {
    "due_soon": "24小时内到期 due within 24 h",
    "overdue": "已超期 overdue",
    "escalate": "超期超过督办阈值 overdue beyond the escalation threshold",
}


class Notification(Base):
    """One reminder about one case, addressed to the units responsible for it."""

    __tablename__ = "notification"
    __table_args__ = (
        CheckConstraint(_in("kind", NOTIFICATION_KINDS), name="kind_known"),
        CheckConstraint(_in("delivery_status", DELIVERY_STATUSES), name="delivery_status_known"),
        UniqueConstraint("dispute_id", "kind", "deadline", name="notification_once"),
        Index("notification_recent", "county_code", "created_at"),
        Index("notification_units", "units", postgresql_using="gin"),
        Index(
            "notification_undelivered",
            "county_code",
            "id",
            postgresql_where=text("delivery_status <> 'delivered'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    dispute_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("dispute.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(12))
    county_code: Mapped[str | None] = mapped_column(String(6))
    unit_code: Mapped[str | None] = mapped_column(Text)
    units: Mapped[list[str]] = mapped_column(ARRAY(Text))
    deadline: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str | None] = mapped_column(String(16))
    delivery_status: Mapped[str] = mapped_column(String(12), server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)


class NotificationRead(Base):
    """That one user has read one notification, and when."""

    __tablename__ = "notification_read"

    notification_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("notification.id", ondelete="CASCADE"), primary_key=True
    )
    username: Mapped[str] = mapped_column(Text, primary_key=True)
    read_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
