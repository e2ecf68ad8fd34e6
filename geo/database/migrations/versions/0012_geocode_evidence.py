"""Geocoding evidence: the alias table, the level address_near, and a case's location check.

- ``geocode_alias``: extra spellings and landmarks the county maintains (``wangge load
  aliases``).
- ``dispute.location_admin_code``: the village or township a case is routed to when the
  evidence does not place it in one grid (位置待核实).
- ``dispute.location_check``: JSON with ``unverified`` (位置待核实), the reason, conflict flags
  (text against the matched unit, text against GPS with the distance) and the candidates.
- ``geocode_level`` of a dispute may be ``address_near`` (nearest house number on
  the same road).

Revision ID: 0012_geocode_evidence
Revises: 0011_scope_races
Create Date: 2026-12-10 10:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012_geocode_evidence"
down_revision = "0011_scope_races"
branch_labels = None
depends_on = None

OLD_LEVELS = "('address', 'group', 'village', 'township', 'county', 'none')"
NEW_LEVELS = "('address', 'address_near', 'group', 'village', 'township', 'county', 'none')"


def _levels(levels: str) -> None:
    op.execute("ALTER TABLE dispute DROP CONSTRAINT IF EXISTS geocode_level_known")
    op.execute(
        "ALTER TABLE dispute ADD CONSTRAINT geocode_level_known CHECK "
        f"(geocode_level IS NULL OR geocode_level IN {levels})"
    )


def upgrade() -> None:
    op.create_table(
        "geocode_alias",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.Column("target_code", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.UniqueConstraint("county_code", "alias", name="geocode_alias_once"),
        sa.CheckConstraint("kind IN ('alias', 'landmark')", name="geocode_alias_kind_known"),
        sa.CheckConstraint("(lon IS NULL) = (lat IS NULL)", name="geocode_alias_point_whole"),
    )
    op.create_index("ix_geocode_alias_county_code", "geocode_alias", ["county_code"])
    op.add_column(
        "dispute",
        sa.Column(
            "location_admin_code",
            sa.String(length=12),
            sa.ForeignKey("admin_unit.code"),
            nullable=True,
        ),
    )
    op.add_column("dispute", sa.Column("location_check", postgresql.JSONB(), nullable=True))
    _levels(NEW_LEVELS)


def downgrade() -> None:
    op.execute("UPDATE dispute SET geocode_level = 'address' WHERE geocode_level = 'address_near'")
    _levels(OLD_LEVELS)
    op.drop_column("dispute", "location_check")
    op.drop_column("dispute", "location_admin_code")
    op.drop_index("ix_geocode_alias_county_code", table_name="geocode_alias")
    op.drop_table("geocode_alias")
