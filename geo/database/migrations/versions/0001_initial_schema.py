"""Initial schema: admin units, grids, groups, staff, addresses, facilities, disputes,
signals, risk scores, hotspots and grid plans.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 10:17:12.546700
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_geospatial_table(
        "admin_unit",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("short_name", sa.Text(), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("aliases", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("synthetic_geom", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.CheckConstraint(
            "(level = 'county' AND length(code) = 6) OR (level = 'township' AND length(code) = 9) OR (level = 'village' AND length(code) = 12)",
            name="code_length_matches_level",
        ),
        sa.CheckConstraint("level IN ('county', 'township', 'village')", name="level_known"),
        sa.CheckConstraint("geom IS NULL OR ST_IsValid(geom)", name="geom_valid"),
        sa.CheckConstraint("geom IS NULL OR ST_SRID(geom) = 4326", name="geom_srid"),
        sa.ForeignKeyConstraint(["parent_code"], ["admin_unit.code"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_geospatial_index(
        "idx_admin_unit_geom",
        "admin_unit",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_admin_unit_county_code"), "admin_unit", ["county_code"], unique=False)
    op.create_index(op.f("ix_admin_unit_parent_code"), "admin_unit", ["parent_code"], unique=False)
    op.create_geospatial_table(
        "facility",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("admin_code", sa.String(length=12), nullable=True),
        sa.Column("synthetic", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('county_centre', 'township_centre', 'village_centre', 'police_station', 'court_station', 'judge_contact_point', 'judicial_office', 'mediation_committee', 'legal_adviser')",
            name="kind_known",
        ),
        sa.CheckConstraint("ST_IsValid(geom)", name="geom_valid"),
        sa.CheckConstraint("ST_SRID(geom) = 4326", name="geom_srid"),
        sa.ForeignKeyConstraint(
            ["admin_code"],
            ["admin_unit.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_geospatial_index(
        "idx_facility_geom",
        "facility",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_facility_county_code"), "facility", ["county_code"], unique=False)
    op.create_index(op.f("ix_facility_kind"), "facility", ["kind"], unique=False)
    op.create_table(
        "grid_plan",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("scope_code", sa.String(length=12), nullable=False),
        sa.Column(
            "status", sa.String(length=16), server_default=sa.text("'proposed'"), nullable=False
        ),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("base_fingerprint", sa.Text(), nullable=False),
        sa.Column("proposal", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("metrics", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("reviewed_by", sa.Text(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'applied', 'rejected', 'stale')", name="status_known"
        ),
        sa.ForeignKeyConstraint(
            ["scope_code"],
            ["admin_unit.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("unit_code", sa.String(length=12), nullable=True),
        sa.Column("synthetic", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.CheckConstraint(
            "role IN ('prefecture_cadre', 'county_cadre', 'party_delegate', 'npc_deputy', 'cppcc_member', 'village_committee', 'militia', 'grid_leader', 'household_leader')",
            name="role_known",
        ),
        sa.ForeignKeyConstraint(
            ["unit_code"],
            ["admin_unit.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index(op.f("ix_staff_county_code"), "staff", ["county_code"], unique=False)
    op.create_index(op.f("ix_staff_role"), "staff", ["role"], unique=False)
    op.create_geospatial_table(
        "grid",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("households", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("population", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("leader_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "valid_from",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synthetic", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("ST_IsValid(geom)", name="geom_valid"),
        sa.CheckConstraint("ST_SRID(geom) = 4326", name="geom_srid"),
        sa.CheckConstraint("households >= 0 AND population >= 0", name="counts_non_negative"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="valid_interval"),
        sa.ForeignKeyConstraint(
            ["leader_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["township_code"],
            ["admin_unit.code"],
        ),
        sa.ForeignKeyConstraint(
            ["village_code"],
            ["admin_unit.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "grid_code_current",
        "grid",
        ["code"],
        unique=True,
        postgresql_where=sa.text("valid_to IS NULL"),
    )
    op.create_geospatial_index(
        "idx_grid_geom", "grid", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_grid_code"), "grid", ["code"], unique=False)
    op.create_index(op.f("ix_grid_county_code"), "grid", ["county_code"], unique=False)
    op.create_index(op.f("ix_grid_village_code"), "grid", ["village_code"], unique=False)
    op.create_table(
        "staff_contact",
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("id_number", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("staff_id"),
    )
    op.create_table(
        "hotspot",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("grid_id", sa.BigInteger(), nullable=False),
        sa.Column("period", sa.String(length=8), server_default=sa.text("'week'"), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("z", sa.Double(), nullable=True),
        sa.Column("p", sa.Double(), nullable=True),
        sa.Column("hotspot_class", sa.Text(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column(
            "status", sa.String(length=16), server_default=sa.text("'pending'"), nullable=False
        ),
        sa.Column("reviewer", sa.Text(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("action_taken", sa.Text(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("status IN ('pending', 'confirmed', 'dismissed')", name="status_known"),
        sa.ForeignKeyConstraint(["grid_id"], ["grid.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("grid_id", "period", "period_start", "method"),
    )
    op.create_index(op.f("ix_hotspot_grid_id"), "hotspot", ["grid_id"], unique=False)
    op.create_index(op.f("ix_hotspot_period_start"), "hotspot", ["period_start"], unique=False)
    op.create_geospatial_table(
        "household_group",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("grid_id", sa.BigInteger(), nullable=False),
        sa.Column("leader_id", sa.BigInteger(), nullable=True),
        sa.Column("households", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "valid_from",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synthetic", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("ST_IsValid(geom)", name="geom_valid"),
        sa.CheckConstraint("ST_SRID(geom) = 4326", name="geom_srid"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="valid_interval"),
        sa.ForeignKeyConstraint(
            ["grid_id"],
            ["grid.id"],
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "household_group_code_current",
        "household_group",
        ["code"],
        unique=True,
        postgresql_where=sa.text("valid_to IS NULL"),
    )
    op.create_geospatial_index(
        "idx_household_group_geom",
        "household_group",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(
        op.f("ix_household_group_county_code"), "household_group", ["county_code"], unique=False
    )
    op.create_index(
        op.f("ix_household_group_grid_id"), "household_group", ["grid_id"], unique=False
    )
    op.create_table(
        "risk_score",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("grid_id", sa.BigInteger(), nullable=False),
        sa.Column("period", sa.String(length=8), server_default=sa.text("'week'"), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("expected", sa.Double(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("factors", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["grid_id"], ["grid.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("grid_id", "period", "period_start", "model"),
    )
    op.create_index(op.f("ix_risk_score_grid_id"), "risk_score", ["grid_id"], unique=False)
    op.create_index(
        op.f("ix_risk_score_period_start"), "risk_score", ["period_start"], unique=False
    )
    op.create_geospatial_table(
        "signal",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), server_default=sa.text("'manual'"), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("weight", sa.Double(), server_default=sa.text("1"), nullable=False),
        sa.Column("location_text", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("geocode_level", sa.String(length=16), nullable=True),
        sa.Column("grid_id", sa.BigInteger(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.CheckConstraint(
            "kind IN ('hazard', 'petition', 'public_security', 'violence', 'alert')",
            name="kind_known",
        ),
        sa.CheckConstraint("geom IS NULL OR ST_IsValid(geom)", name="geom_valid"),
        sa.CheckConstraint("geom IS NULL OR ST_SRID(geom) = 4326", name="geom_srid"),
        sa.CheckConstraint("weight >= 0", name="weight_non_negative"),
        sa.ForeignKeyConstraint(
            ["grid_id"],
            ["grid.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    op.create_geospatial_index(
        "idx_signal_geom",
        "signal",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_signal_county_code"), "signal", ["county_code"], unique=False)
    op.create_index(op.f("ix_signal_grid_id"), "signal", ["grid_id"], unique=False)
    op.create_index("signal_observed_at", "signal", ["county_code", "observed_at"], unique=False)
    op.create_table(
        "staff_grid",
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column("grid_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["grid_id"], ["grid.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("staff_id", "grid_id"),
    )
    op.create_index(op.f("ix_staff_grid_grid_id"), "staff_grid", ["grid_id"], unique=False)
    op.create_geospatial_table(
        "address",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("village_code", sa.String(length=12), nullable=True),
        sa.Column("full_text", sa.Text(), nullable=False),
        sa.Column("township", sa.Text(), nullable=True),
        sa.Column("village", sa.Text(), nullable=True),
        sa.Column("group_no", sa.SmallInteger(), nullable=True),
        sa.Column("road", sa.Text(), nullable=True),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("building", sa.Text(), nullable=True),
        sa.Column("houses", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("residents", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("grid_id", sa.BigInteger(), nullable=True),
        sa.Column("household_group_id", sa.BigInteger(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("ST_IsValid(geom)", name="geom_valid"),
        sa.CheckConstraint("ST_SRID(geom) = 4326", name="geom_srid"),
        sa.CheckConstraint("houses >= 0 AND residents >= 0", name="counts_non_negative"),
        sa.ForeignKeyConstraint(
            ["grid_id"],
            ["grid.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_group_id"],
            ["household_group.id"],
        ),
        sa.ForeignKeyConstraint(
            ["township_code"],
            ["admin_unit.code"],
        ),
        sa.ForeignKeyConstraint(
            ["village_code"],
            ["admin_unit.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_geospatial_index(
        "idx_address_geom",
        "address",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_address_county_code"), "address", ["county_code"], unique=False)
    op.create_index(op.f("ix_address_grid_id"), "address", ["grid_id"], unique=False)
    op.create_index(
        op.f("ix_address_household_group_id"), "address", ["household_group_id"], unique=False
    )
    op.create_index(op.f("ix_address_village_code"), "address", ["village_code"], unique=False)
    op.create_geospatial_table(
        "dispute",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), server_default=sa.text("'manual'"), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column(
            "severity", sa.String(length=16), server_default=sa.text("'minor'"), nullable=False
        ),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location_text", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("geocode_level", sa.String(length=16), nullable=True),
        sa.Column("geocode_score", sa.Double(), nullable=True),
        sa.Column("address_id", sa.BigInteger(), nullable=True),
        sa.Column("grid_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "status", sa.String(length=16), server_default=sa.text("'received'"), nullable=False
        ),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee", sa.Text(), nullable=True),
        sa.Column("assigned_facility_id", sa.BigInteger(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=True),
        sa.Column("supervision", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("duplicate_of", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("synthetic", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.CheckConstraint(
            "category IN ('marriage_family', 'neighbour', 'land_forest', 'debt', 'labour_wages', 'property_management', 'medical', 'traffic', 'other')",
            name="category_known",
        ),
        sa.CheckConstraint(
            "geocode_level IS NULL OR geocode_level IN ('address', 'group', 'village', 'township', 'county', 'none')",
            name="geocode_level_known",
        ),
        sa.CheckConstraint(
            "severity IN ('minor', 'serious', 'major', 'critical')", name="severity_known"
        ),
        sa.CheckConstraint(
            "status IN ('received', 'routed', 'in_progress', 'resolved', 'unresolved', 'rated', 'archived', 'followed_up')",
            name="status_known",
        ),
        sa.CheckConstraint("geom IS NULL OR ST_IsValid(geom)", name="geom_valid"),
        sa.CheckConstraint("geom IS NULL OR ST_SRID(geom) = 4326", name="geom_srid"),
        sa.CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="rating"),
        sa.ForeignKeyConstraint(
            ["address_id"],
            ["address.id"],
        ),
        sa.ForeignKeyConstraint(
            ["assigned_facility_id"],
            ["facility.id"],
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"],
            ["dispute.id"],
        ),
        sa.ForeignKeyConstraint(
            ["grid_id"],
            ["grid.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    op.create_index("dispute_reported_at", "dispute", ["county_code", "reported_at"], unique=False)
    op.create_geospatial_index(
        "idx_dispute_geom",
        "dispute",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_dispute_county_code"), "dispute", ["county_code"], unique=False)
    op.create_index(op.f("ix_dispute_grid_id"), "dispute", ["grid_id"], unique=False)
    op.create_index(op.f("ix_dispute_status"), "dispute", ["status"], unique=False)
    op.create_table(
        "dispute_event",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("dispute_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), server_default=sa.text("'transition'"), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "from_status IS NULL OR from_status IN ('received', 'routed', 'in_progress', 'resolved', 'unresolved', 'rated', 'archived', 'followed_up')",
            name="from_known",
        ),
        sa.CheckConstraint(
            "to_status IN ('received', 'routed', 'in_progress', 'resolved', 'unresolved', 'rated', 'archived', 'followed_up')",
            name="to_known",
        ),
        sa.ForeignKeyConstraint(["dispute_id"], ["dispute.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_dispute_event_dispute_id"), "dispute_event", ["dispute_id"], unique=False
    )
    op.create_table(
        "dispute_party",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("dispute_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.Text(), server_default=sa.text("'party'"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("id_number", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("address_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["dispute_id"], ["dispute.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_dispute_party_dispute_id"), "dispute_party", ["dispute_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_dispute_party_dispute_id"), table_name="dispute_party")
    op.drop_table("dispute_party")
    op.drop_index(op.f("ix_dispute_event_dispute_id"), table_name="dispute_event")
    op.drop_table("dispute_event")
    op.drop_index(op.f("ix_dispute_status"), table_name="dispute")
    op.drop_index(op.f("ix_dispute_grid_id"), table_name="dispute")
    op.drop_index(op.f("ix_dispute_county_code"), table_name="dispute")
    op.drop_geospatial_index(
        "idx_dispute_geom", table_name="dispute", postgresql_using="gist", column_name="geom"
    )
    op.drop_index("dispute_reported_at", table_name="dispute")
    op.drop_geospatial_table("dispute")
    op.drop_index(op.f("ix_address_village_code"), table_name="address")
    op.drop_index(op.f("ix_address_household_group_id"), table_name="address")
    op.drop_index(op.f("ix_address_grid_id"), table_name="address")
    op.drop_index(op.f("ix_address_county_code"), table_name="address")
    op.drop_geospatial_index(
        "idx_address_geom", table_name="address", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("address")
    op.drop_index(op.f("ix_staff_grid_grid_id"), table_name="staff_grid")
    op.drop_table("staff_grid")
    op.drop_index("signal_observed_at", table_name="signal")
    op.drop_index(op.f("ix_signal_grid_id"), table_name="signal")
    op.drop_index(op.f("ix_signal_county_code"), table_name="signal")
    op.drop_geospatial_index(
        "idx_signal_geom", table_name="signal", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("signal")
    op.drop_index(op.f("ix_risk_score_period_start"), table_name="risk_score")
    op.drop_index(op.f("ix_risk_score_grid_id"), table_name="risk_score")
    op.drop_table("risk_score")
    op.drop_index(op.f("ix_household_group_grid_id"), table_name="household_group")
    op.drop_index(op.f("ix_household_group_county_code"), table_name="household_group")
    op.drop_geospatial_index(
        "idx_household_group_geom",
        table_name="household_group",
        postgresql_using="gist",
        column_name="geom",
    )
    op.drop_index(
        "household_group_code_current",
        table_name="household_group",
        postgresql_where=sa.text("valid_to IS NULL"),
    )
    op.drop_geospatial_table("household_group")
    op.drop_index(op.f("ix_hotspot_period_start"), table_name="hotspot")
    op.drop_index(op.f("ix_hotspot_grid_id"), table_name="hotspot")
    op.drop_table("hotspot")
    op.drop_table("staff_contact")
    op.drop_index(op.f("ix_grid_village_code"), table_name="grid")
    op.drop_index(op.f("ix_grid_county_code"), table_name="grid")
    op.drop_index(op.f("ix_grid_code"), table_name="grid")
    op.drop_geospatial_index(
        "idx_grid_geom", table_name="grid", postgresql_using="gist", column_name="geom"
    )
    op.drop_index(
        "grid_code_current", table_name="grid", postgresql_where=sa.text("valid_to IS NULL")
    )
    op.drop_geospatial_table("grid")
    op.drop_index(op.f("ix_staff_role"), table_name="staff")
    op.drop_index(op.f("ix_staff_county_code"), table_name="staff")
    op.drop_table("staff")
    op.drop_table("grid_plan")
    op.drop_index(op.f("ix_facility_kind"), table_name="facility")
    op.drop_index(op.f("ix_facility_county_code"), table_name="facility")
    op.drop_geospatial_index(
        "idx_facility_geom", table_name="facility", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("facility")
    op.drop_index(op.f("ix_admin_unit_parent_code"), table_name="admin_unit")
    op.drop_index(op.f("ix_admin_unit_county_code"), table_name="admin_unit")
    op.drop_geospatial_index(
        "idx_admin_unit_geom", table_name="admin_unit", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("admin_unit")
