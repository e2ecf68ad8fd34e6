"""Shared counters of the login throttle and the public rate limits, and the citizens'
challenge tickets already used (UNLOGGED tables).

Written only through :mod:`geo.accounts.throttle_store` and :mod:`geo.citizens.challenge_store`
(one atomic statement per check); declared here so that the schema tests and autogenerate know
them. Migrations ``0021_shared_throttle`` and ``0022_used_challenge`` explain the columns.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, Index, Integer, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from geo.database.schema import Base


class LoginFailure(Base):
    """Failed logins counted for one account name or one client address."""

    __tablename__ = "login_failure"
    __table_args__ = (
        CheckConstraint("kind IN ('account', 'client')", name="kind_known"),
        CheckConstraint("failures > 0", name="failures_positive"),
        Index("login_failure_stale", "last_failed_at"),
        {"prefixes": ["UNLOGGED"]},
    )

    kind: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RateWindow(Base):
    """The hits of one public rate-limit key inside its sliding window, oldest first."""

    __tablename__ = "rate_window"
    __table_args__ = (Index("rate_window_stale", "updated_at"), {"prefixes": ["UNLOGGED"]})

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    hits: Mapped[list[dt.datetime]] = mapped_column(ARRAY(DateTime(timezone=True)))
    admitted: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class UsedChallenge(Base):
    """A citizens' challenge ticket already tried (its nonce), kept until the ticket expires."""

    __tablename__ = "used_challenge"
    __table_args__ = (Index("used_challenge_expired", "expires_at"), {"prefixes": ["UNLOGGED"]})

    nonce: Mapped[str] = mapped_column(Text, primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
