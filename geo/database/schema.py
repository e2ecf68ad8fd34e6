"""The PostGIS data model (DESIGN.md, "Data model").

Storage is EPSG:4326. Every geometry column is called ``geom`` and carries a GiST
index (GeoAlchemy2 creates it). CHECK constraints keep geometries valid and in SRID
4326, and keep every coded value inside the vocabularies of :mod:`core.vocab`.
Rows produced by the demo generator carry ``synthetic = true`` so that every map
and export can say so.
"""

from __future__ import annotations

import datetime as dt

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core import vocab

SRID = 4326


def _in(column: str, values) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _valid_geom(nullable: bool = False) -> list[CheckConstraint]:
    prefix = "geom IS NULL OR " if nullable else ""
    return [
        CheckConstraint(f"{prefix}ST_IsValid(geom)", name="geom_valid"),
        CheckConstraint(f"{prefix}ST_SRID(geom) = {SRID}", name="geom_srid"),
    ]


class Base(DeclarativeBase):
    """Declarative base for every wangge table."""


class AdminUnit(Base):
    """County, township (乡/镇/街道) or village/community (村/社区) with its official code."""

    __tablename__ = "admin_unit"
    __table_args__ = (
        CheckConstraint(_in("level", vocab.ADMIN_LEVELS), name="level_known"),
        CheckConstraint(
            "(level = 'county' AND length(code) = 6) OR (level = 'township' AND length(code) = 9)"
            " OR (level = 'village' AND length(code) = 12)",
            name="code_length_matches_level",
        ),
        *_valid_geom(nullable=True),
    )

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(
        String(12), ForeignKey("admin_unit.code", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str] = mapped_column(Text)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    aliases: Mapped[list | None] = mapped_column(JSONB)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), nullable=True)
    synthetic_geom: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class Staff(Base):
    """A person of the "8+" forces. Contact details live in :class:`StaffContact`."""

    __tablename__ = "staff"
    __table_args__ = (CheckConstraint(_in("role", vocab.STAFF_ROLES), name="role_known"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(Text, unique=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(32), index=True)
    unit_code: Mapped[str | None] = mapped_column(String(12), ForeignKey("admin_unit.code"))
    synthetic: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class StaffContact(Base):
    """Restricted contact details of a staff member (only returned to roles that need them)."""

    __tablename__ = "staff_contact"

    staff_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    phone: Mapped[str | None] = mapped_column(Text)
    id_number: Mapped[str | None] = mapped_column(Text)


class Grid(Base):
    """A management grid (网格). Current grids have ``valid_to`` null; closed ones are history."""

    __tablename__ = "grid"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="valid_interval"),
        CheckConstraint("households >= 0 AND population >= 0", name="counts_non_negative"),
        Index("grid_code_current", "code", unique=True, postgresql_where=text("valid_to IS NULL")),
        *_valid_geom(),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(Text)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    township_code: Mapped[str] = mapped_column(
        String(12), ForeignKey("admin_unit.code"), index=True
    )
    village_code: Mapped[str] = mapped_column(String(12), ForeignKey("admin_unit.code"), index=True)
    households: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    population: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    leader_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("staff.id"))
    valid_from: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    valid_to: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    synthetic: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), nullable=False)


class StaffGrid(Base):
    """Which grids a staff member serves (a person may serve several)."""

    __tablename__ = "staff_grid"

    staff_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    grid_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("grid.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class HouseholdGroup(Base):
    """A ten-household joint-defence group (十户联防组) inside one grid."""

    __tablename__ = "household_group"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="valid_interval"),
        Index(
            "household_group_code_current",
            "code",
            unique=True,
            postgresql_where=text("valid_to IS NULL"),
        ),
        *_valid_geom(),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    grid_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("grid.id"), index=True)
    leader_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("staff.id"))
    households: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    valid_from: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    valid_to: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    synthetic: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), nullable=False)


class Address(Base):
    """A standard address (标准地址): full text, parsed parts, a point, its grid and counts."""

    __tablename__ = "address"
    __table_args__ = (
        CheckConstraint("houses >= 0 AND residents >= 0", name="counts_non_negative"),
        *_valid_geom(),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(Text, unique=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    township_code: Mapped[str | None] = mapped_column(String(12), ForeignKey("admin_unit.code"))
    village_code: Mapped[str | None] = mapped_column(
        String(12), ForeignKey("admin_unit.code"), index=True
    )
    full_text: Mapped[str] = mapped_column(Text)
    township: Mapped[str | None] = mapped_column(Text)
    village: Mapped[str | None] = mapped_column(Text)
    group_no: Mapped[int | None] = mapped_column(SmallInteger)
    road: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(Text)
    building: Mapped[str | None] = mapped_column(Text)
    houses: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    residents: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    grid_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("grid.id"), index=True)
    household_group_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("household_group.id"), index=True
    )
    synthetic: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    geom = mapped_column(Geometry("POINT", srid=SRID, spatial_index=True), nullable=False)


class Facility(Base):
    """A centre, police station, court station, judicial office, mediation committee …"""

    __tablename__ = "facility"
    __table_args__ = (
        CheckConstraint(_in("kind", vocab.FACILITY_KINDS), name="kind_known"),
        *_valid_geom(),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(Text, unique=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(Text)
    admin_code: Mapped[str | None] = mapped_column(String(12), ForeignKey("admin_unit.code"))
    synthetic: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    geom = mapped_column(Geometry("POINT", srid=SRID, spatial_index=True), nullable=False)


class Dispute(Base):
    """A citizen dispute (矛盾纠纷) and where it stands in the closed loop."""

    __tablename__ = "dispute"
    __table_args__ = (
        CheckConstraint(_in("category", vocab.DISPUTE_CATEGORIES), name="category_known"),
        CheckConstraint(_in("severity", vocab.DISPUTE_SEVERITIES), name="severity_known"),
        CheckConstraint(_in("status", vocab.DISPUTE_STATUSES), name="status_known"),
        CheckConstraint(
            f"geocode_level IS NULL OR {_in('geocode_level', vocab.GEOCODE_LEVELS)}",
            name="geocode_level_known",
        ),
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="rating"),
        CheckConstraint(
            f"rating_source IS NULL OR {_in('rating_source', vocab.RATING_SOURCES)}",
            name="rating_source_known",
        ),
        Index("dispute_reported_at", "county_code", "reported_at"),
        *_valid_geom(nullable=True),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    external_id: Mapped[str] = mapped_column(Text, unique=True)
    source: Mapped[str] = mapped_column(Text, server_default=text("'manual'"))
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16), server_default=text("'minor'"))
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    location_text: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    geocode_level: Mapped[str | None] = mapped_column(String(16))
    geocode_score: Mapped[float | None] = mapped_column(Double)
    address_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("address.id"))
    grid_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("grid.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), server_default=text("'received'"), index=True)
    deadline: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    assignee: Mapped[str | None] = mapped_column(Text)
    assigned_facility_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("facility.id"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    # Assignment (core/permissions.py): the unit holding the case (facility, grid, township or
    # county code), the person, and the centre that routed it (a unit key, role:scope).
    assignee_unit: Mapped[str | None] = mapped_column(Text)
    assignee_staff: Mapped[str | None] = mapped_column(Text)
    routed_by: Mapped[str | None] = mapped_column(Text)
    rating_source: Mapped[str | None] = mapped_column(String(16))
    # 挂起: while suspended the deadline is held here and ``deadline`` is empty (never late).
    suspended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    held_deadline: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    supervision: Mapped[dict | None] = mapped_column(JSONB)
    duplicate_of: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("dispute.id"))
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    synthetic: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    geom = mapped_column(Geometry("POINT", srid=SRID, spatial_index=True), nullable=True)
    # 位置待核实: the village/township a case goes to when no grid is certain, and why
    location_admin_code: Mapped[str | None] = mapped_column(
        String(12), ForeignKey("admin_unit.code")
    )
    location_check: Mapped[dict | None] = mapped_column(JSONB)


class DisputeParty(Base):
    """Personal details of a dispute's parties. Restricted: read only through the role check."""

    __tablename__ = "dispute_party"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    dispute_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("dispute.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(Text, server_default=text("'party'"))
    name: Mapped[str] = mapped_column(Text)
    id_number: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    address_text: Mapped[str | None] = mapped_column(Text)


class DisputeEvent(Base):
    """One state change of a dispute: who, when, from, to, note."""

    __tablename__ = "dispute_event"
    __table_args__ = (
        CheckConstraint(
            f"from_status IS NULL OR {_in('from_status', vocab.DISPUTE_STATUSES)}",
            name="from_known",
        ),
        CheckConstraint(_in("to_status", vocab.DISPUTE_STATUSES), name="to_known"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    dispute_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("dispute.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text, server_default=text("'transition'"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class Signal(Base):
    """A risk signal: hazard, petition, public-security incident, alert from another system."""

    __tablename__ = "signal"
    __table_args__ = (
        CheckConstraint(_in("kind", vocab.SIGNAL_KINDS), name="kind_known"),
        CheckConstraint("weight >= 0", name="weight_non_negative"),
        Index("signal_observed_at", "county_code", "observed_at"),
        *_valid_geom(nullable=True),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    external_id: Mapped[str] = mapped_column(Text, unique=True)
    source: Mapped[str] = mapped_column(Text, server_default=text("'manual'"))
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    observed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    weight: Mapped[float] = mapped_column(Double, server_default=text("1"))
    location_text: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    geocode_level: Mapped[str | None] = mapped_column(String(16))
    grid_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("grid.id"), index=True)
    synthetic: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    geom = mapped_column(Geometry("POINT", srid=SRID, spatial_index=True), nullable=True)


class RiskScore(Base):
    """The model's expected count, chance of any dispute and rank for one grid and period."""

    __tablename__ = "risk_score"
    __table_args__ = (
        UniqueConstraint("grid_id", "period", "period_start", "model"),
        CheckConstraint(
            "probability IS NULL OR (probability >= 0 AND probability <= 1)",
            name="probability_is_a_share",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    grid_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("grid.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(8), server_default=text("'week'"))
    period_start: Mapped[dt.date] = mapped_column(Date, index=True)
    model: Mapped[str] = mapped_column(Text)
    expected: Mapped[float] = mapped_column(Double)
    # The calibrated chance of at least one dispute in the period (models/calibration.py).
    probability: Mapped[float | None] = mapped_column(Double)
    score: Mapped[float] = mapped_column(Double)
    rank: Mapped[int] = mapped_column(Integer)
    factors: Mapped[list | None] = mapped_column(JSONB)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class Hotspot(Base):
    """A grid flagged for one period by one method, with its early-warning review."""

    __tablename__ = "hotspot"
    __table_args__ = (
        CheckConstraint(_in("status", vocab.HOTSPOT_REVIEW_STATUSES), name="status_known"),
        UniqueConstraint("grid_id", "period", "period_start", "method"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    grid_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("grid.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(8), server_default=text("'week'"))
    period_start: Mapped[dt.date] = mapped_column(Date, index=True)
    method: Mapped[str] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Double)
    z: Mapped[float | None] = mapped_column(Double)
    p: Mapped[float | None] = mapped_column(Double)
    hotspot_class: Mapped[str | None] = mapped_column(Text)
    explanation: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), server_default=text("'pending'"))
    reviewer: Mapped[str | None] = mapped_column(Text)
    review_note: Mapped[str | None] = mapped_column(Text)
    action_taken: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class GridPlan(Base):
    """A redraw proposal: its scope, parameters, proposed grids, metrics and fate."""

    __tablename__ = "grid_plan"
    __table_args__ = (
        CheckConstraint(_in("status", vocab.GRID_PLAN_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    scope_code: Mapped[str] = mapped_column(String(12), ForeignKey("admin_unit.code"))
    status: Mapped[str] = mapped_column(String(16), server_default=text("'proposed'"))
    params: Mapped[dict | None] = mapped_column(JSONB)
    base_fingerprint: Mapped[str] = mapped_column(Text)
    proposal: Mapped[dict] = mapped_column(JSONB)
    metrics: Mapped[dict | None] = mapped_column(JSONB)
    created_by: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    reviewed_by: Mapped[str | None] = mapped_column(Text)
    applied_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# The other tables register on Base when imported: users, audit log, layer versions, roster.
from geo.database import (  # noqa: E402, F401
    schema_auth,
    schema_calendar,
    schema_citizens,
    schema_geocode,
    schema_jobs,
    schema_notifications,
    schema_redraw,
    schema_staff,
    schema_throttle,
)
