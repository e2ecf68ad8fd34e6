"""Hand-edited versions of redraw plans (grid_plan_version).

Revision ID: 0014_redraw_versions
Revises: 0013_case_assignment
Create Date: 2026-12-04 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_redraw_versions"
down_revision = "0013_case_assignment"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grid_plan_version",
        sa.Column("plan_id", sa.BigInteger(), nullable=False),
        sa.Column("parent_id", sa.BigInteger(), nullable=False),
        sa.Column("root_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("units_moved", sa.Integer(), nullable=False),
        sa.Column("edited_by", sa.Text(), nullable=False),
        sa.Column(
            "edited_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["grid_plan.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["grid_plan.id"]),
        sa.ForeignKeyConstraint(["root_id"], ["grid_plan.id"]),
        sa.PrimaryKeyConstraint("plan_id"),
    )
    op.create_index("ix_grid_plan_version_parent_id", "grid_plan_version", ["parent_id"])
    op.create_index("ix_grid_plan_version_root_id", "grid_plan_version", ["root_id"])


def downgrade() -> None:
    op.drop_table("grid_plan_version")
