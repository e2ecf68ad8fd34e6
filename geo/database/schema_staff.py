"""Tables of the centre's people: the duty roster (值班备勤).

Staff, their restricted contacts and their grids are in :mod:`geo.database.schema` (``staff``,
``staff_contact``, ``staff_grid``, ``grid.leader_id``, ``household_group.leader_id``).
A duty shift is one person on one post of one centre (a ``county_centre`` or
``township_centre`` facility) over the half-open interval ``[starts_at, ends_at)``: at the
instant a shift ends the next one has begun, so a look-up never finds both or neither.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from geo.database.schema import Base, _in

DUTY_POSTS = {
    "leader": "带班领导",
    "officer": "值班员",
    "standby": "备勤",
}


class DutyShift(Base):
    """One person on duty at one centre over ``[starts_at, ends_at)``, with the handover note."""

    __tablename__ = "duty_shift"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="shift_has_length"),
        CheckConstraint(_in("post", DUTY_POSTS), name="post_known"),
        Index("duty_shift_centre_time", "centre_id", "starts_at", "ends_at"),
        # one person holds one shift at a time, however many managers write at once
        ExcludeConstraint(
            ("staff_id", "="),
            (text("tstzrange(starts_at, ends_at, '[)')"), "&&"),
            name="duty_shift_no_overlap",
            using="gist",
        ),
        # "who is on duty at t" over all centres: the shift's interval contains t
        Index(
            "duty_shift_during",
            text("tstzrange(starts_at, ends_at, '[)')"),
            postgresql_using="gist",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    centre_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("facility.id", ondelete="CASCADE")
    )
    staff_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    post: Mapped[str] = mapped_column(String(16), server_default=text("'officer'"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    handover_note: Mapped[str | None] = mapped_column(Text)
    handover_by: Mapped[str | None] = mapped_column(Text)
    handover_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    synthetic: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
