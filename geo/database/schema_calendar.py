"""The working-day calendar (工作日历) that working-day time limits count on.

One row per day that differs from the plain week: a public holiday on a weekday
(``holiday``) or a weekend day worked in exchange (``workday``, 调休上班). ``calendar`` is
``national`` for the State Council's calendar (shipped for the demo years by
:mod:`core.holidays`) or a county code for days a county adds (a local festival).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from geo.database.schema import Base, _in

DAY_KINDS = {"holiday": "法定节假日", "workday": "调休上班"}


class CalendarDay(Base):
    """A day off on a weekday, or a working weekend day, of one calendar."""

    __tablename__ = "calendar_day"
    __table_args__ = (CheckConstraint(_in("kind", DAY_KINDS), name="kind_known"),)

    calendar: Mapped[str] = mapped_column(String(12), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str | None] = mapped_column(Text)
