"""Hand-edited versions of redraw plans: one ``grid_plan_version`` row per plan saved at the desk.

An edited plan is an ordinary ``grid_plan`` row (status ``proposed``, same base fingerprint as
the plan it was edited from), so review and apply take it as they take any proposal; this row
says which plan it was edited from, its version number in that line, who saved it and when.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from geo.database.schema import Base


class GridPlanVersion(Base):
    """A plan saved at the redraw desk: its parent, its line's first plan, version, who, when."""

    __tablename__ = "grid_plan_version"

    plan_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("grid_plan.id", ondelete="CASCADE"), primary_key=True
    )
    parent_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("grid_plan.id"), index=True)
    root_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("grid_plan.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    units_moved: Mapped[int] = mapped_column(Integer)
    edited_by: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
