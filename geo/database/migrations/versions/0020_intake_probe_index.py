"""An index for the duplicate probe of intake.

The probe (``geo/disputes/sql/disputes_flag_duplicates.sql``) pairs each new dispute with the
earlier ones of its county and category reported in the days before it, within a small
lon/lat box, then measures the distance. ``dispute_duplicate_probe`` serves exactly that:
(county, category, reported_at) bound the time window and the lon, lat keys let the box be
tested on the index entries, so only the few cases inside it are read from the table. Only
disputes with a point are indexed (the others can never be paired).

Revision ID: 0020_intake_probe_index
Revises: 0015_risk_probability
Create Date: 2026-12-09 10:00:00
"""

from alembic import op

revision = "0020_intake_probe_index"
down_revision = "0015_risk_probability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS dispute_duplicate_probe"
        " ON dispute (county_code, category,"
        " date_part('epoch', reported_at - timestamptz '2000-01-01 00:00+00'),"
        " ST_X(geom), ST_Y(geom))"
        " WHERE geom IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS dispute_duplicate_probe")
