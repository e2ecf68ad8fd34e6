"""The centre's people: the duty roster (duty_shift).

Revision ID: 0006_staff
Revises: 0001
Create Date: 2026-11-26 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_staff"
down_revision = "0001"
branch_labels = ("staff",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty_shift",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("centre_id", sa.BigInteger(), nullable=False),
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "post", sa.String(length=16), server_default=sa.text("'officer'"), nullable=False
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handover_note", sa.Text(), nullable=True),
        sa.Column("handover_by", sa.Text(), nullable=True),
        sa.Column("handover_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synthetic", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("ends_at > starts_at", name="shift_has_length"),
        sa.CheckConstraint("post IN ('leader', 'officer', 'standby')", name="post_known"),
        sa.ForeignKeyConstraint(["centre_id"], ["facility.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("duty_shift_centre_time", "duty_shift", ["centre_id", "starts_at", "ends_at"])
    op.execute(
        "CREATE INDEX duty_shift_during ON duty_shift "
        "USING gist (tstzrange(starts_at, ends_at, '[)'))"
    )
    op.create_index(op.f("ix_duty_shift_county_code"), "duty_shift", ["county_code"])
    op.create_index(op.f("ix_duty_shift_staff_id"), "duty_shift", ["staff_id"])


def downgrade() -> None:
    op.drop_table("duty_shift")
