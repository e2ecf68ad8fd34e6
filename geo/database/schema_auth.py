"""Tables of the access-control area: users, the audit log and the layer change counters.

``app_user`` holds one row per login (the password as an argon2 hash only), a role, the
scope the role applies to and the version its tokens must carry. ``audit_log`` gets one row
for each read or change of a case. ``layer_version`` keeps a counter per map layer, bumped
by statement-level triggers on the underlying tables; tile caches key on it so that a redraw
or a new dispute invalidates them without any work in the writers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.principal import ROLES
from geo.database.schema import Base


class AppUser(Base):
    """A person or system that logs in: role plus scope code (county, township, grid, facility)."""

    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint("role IN ('" + "', '".join(ROLES) + "')", name="role_known"),
        CheckConstraint(
            "role IN ('county_centre', 'viewer') OR scope_code IS NOT NULL", name="scope_needed"
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    scope_code: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    # in every token; bumped by disable, remove, role change, password reset and logout, so
    # that the tokens issued before stop working on the next request
    token_version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class AuditLog(Base):
    """Who read or changed which object, when, from where."""

    __tablename__ = "audit_log"
    __table_args__ = (
        CheckConstraint("action IN ('read', 'change', 'login', 'denied')", name="action_known"),
        Index("audit_log_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    username: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict | None] = mapped_column(JSONB)
    client: Mapped[str | None] = mapped_column(Text)


class LayerVersion(Base):
    """A change counter per map layer (``grids``, ``disputes`` …), bumped by triggers."""

    __tablename__ = "layer_version"

    layer: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, server_default=text("1"))
    changed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
