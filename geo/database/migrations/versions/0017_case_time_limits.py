"""Reminders of time limits: the notification table.

Working-day deadlines, suspension and extension use the columns and the ``calendar_day`` table
of 0013; this revision adds where the notification sweep stores its reminders
(:mod:`geo.database.schema_notifications`).

Revision ID: 0017_case_time_limits
Revises: 0016_job_runs
Create Date: 2026-12-06 10:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017_case_time_limits"
down_revision = "0016_job_runs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("dispute_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=True),
        sa.Column("unit_code", sa.Text(), nullable=True),
        sa.Column("units", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.CheckConstraint("kind IN ('due_soon', 'overdue', 'escalate')", name="kind_known"),
        sa.ForeignKeyConstraint(["dispute_id"], ["dispute.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dispute_id", "kind", "deadline", name="notification_once"),
    )
    op.create_index("notification_recent", "notification", ["county_code", "created_at"])
    op.create_index("notification_units", "notification", ["units"], postgresql_using="gin")


def downgrade() -> None:
    op.drop_index("notification_units", table_name="notification")
    op.drop_index("notification_recent", table_name="notification")
    op.drop_table("notification")
