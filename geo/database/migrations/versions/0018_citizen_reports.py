"""The citizens' channel: public reports with hashed follow-up tokens, partner API keys.

Revision ID: 0018_citizen_reports
Revises: 0017_case_time_limits
Create Date: 2026-12-04 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_citizen_reports"
down_revision = "0017_case_time_limits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "citizen_api_key",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=12), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_table(
        "citizen_report",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("dispute_id", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("follow_token_hash", sa.String(length=64), nullable=True),
        sa.Column("api_key_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("rating_comment", sa.Text(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("channel IN ('web', 'open311')", name="channel_known"),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        sa.ForeignKeyConstraint(["dispute_id"], ["dispute.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["api_key_id"], ["citizen_api_key.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dispute_id"),
        sa.UniqueConstraint("follow_token_hash"),
    )
    op.create_index("ix_citizen_report_api_key_id", "citizen_report", ["api_key_id"])


def downgrade() -> None:
    op.drop_index("ix_citizen_report_api_key_id", table_name="citizen_report")
    op.drop_table("citizen_report")
    op.drop_table("citizen_api_key")
