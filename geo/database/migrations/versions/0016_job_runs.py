"""The record of scheduled work (job_run).

Revision ID: 0016_job_runs
Revises: 0014_redraw_versions
Create Date: 2026-12-03 18:30:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016_job_runs"
down_revision = "0014_redraw_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_run",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("job", sa.String(length=32), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column(
            "started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), server_default="running", nullable=False),
        sa.Column("counts", postgresql.JSONB(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("host", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('running', 'ok', 'failed', 'skipped')", name="outcome_known"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("job_run_recent", "job_run", ["county_code", "started_at"])


def downgrade() -> None:
    op.drop_index("job_run_recent", table_name="job_run")
    op.drop_table("job_run")
