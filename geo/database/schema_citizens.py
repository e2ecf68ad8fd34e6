"""The citizens' channel (群众自主上报): public reports, their follow-up links, partner API keys.

A citizen's report is an ordinary ``dispute`` (it enters the loop as ``received``); the row here
says which channel it came through and holds the SHA-256 of its private follow-up token, never
the token itself. Partner systems (the 12345 hotline, the provincial grid app) post through
Open311 with a key issued by the county centre, stored hashed as well and revocable.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from geo.database.schema import Base

REPORT_CHANNELS = ("web", "open311")


class CitizenApiKey(Base):
    """A partner system's Open311 key: its name, the key's hash and when it was revoked."""

    __tablename__ = "citizen_api_key"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CitizenReport(Base):
    """How a case came from the public: channel, follow-up token hash, the citizen's rating."""

    __tablename__ = "citizen_report"
    __table_args__ = (
        CheckConstraint(
            "channel IN (" + ", ".join(f"'{c}'" for c in REPORT_CHANNELS) + ")",
            name="channel_known",
        ),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    dispute_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("dispute.id", ondelete="CASCADE"), unique=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    follow_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    api_key_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("citizen_api_key.id"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
