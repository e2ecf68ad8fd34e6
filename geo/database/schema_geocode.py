"""The geocoder's editable alias table (别名表): other names of places, and landmarks.

A row maps one spelling (an old village name, "X家庄" for "X家", 县医院, 城关二小 …) to a
target: an admin unit code (the spelling becomes another name of that unit) or a standard
address code (the spelling names that address). A landmark row may carry its own point: the
geocoder then lands on that point, at the level of the target unit, and gives no grid (a
hospital or a market serves many grids). Loaded with ``wangge load aliases FILE.csv``.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Double, Identity, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from geo.database.schema import Base

ALIAS_KINDS = ("alias", "landmark")


class GeocodeAlias(Base):
    """One extra spelling of a unit or an address, or a landmark, for the geocoder."""

    __tablename__ = "geocode_alias"
    __table_args__ = (
        UniqueConstraint("county_code", "alias", name="geocode_alias_once"),
        CheckConstraint("kind IN ('alias', 'landmark')", name="geocode_alias_kind_known"),
        CheckConstraint("(lon IS NULL) = (lat IS NULL)", name="geocode_alias_point_whole"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    alias: Mapped[str] = mapped_column(Text)
    target_code: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    lon: Mapped[float | None] = mapped_column(Double)
    lat: Mapped[float | None] = mapped_column(Double)
    note: Mapped[str | None] = mapped_column(Text)
