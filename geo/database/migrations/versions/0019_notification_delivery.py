"""Notification delivery and read marks.

Each reminder records how its delivery went (``delivery_status``: pending, delivered or
failed; ``attempts``; ``last_error``), and ``notification_read`` holds who has read which
(:mod:`geo.notifications`).

Revision ID: 0019_notification_delivery
Revises: 0018_citizen_reports
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_notification_delivery"
down_revision = "0018_citizen_reports"
branch_labels = None
# the notification table itself is made by 0017_case_time_limits, on another branch
depends_on = "0017_case_time_limits"


def upgrade() -> None:
    op.add_column(
        "notification",
        sa.Column(
            "delivery_status", sa.String(length=12), server_default="pending", nullable=False
        ),
    )
    op.add_column(
        "notification",
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("notification", sa.Column("last_error", sa.Text(), nullable=True))
    op.create_check_constraint(
        "delivery_status_known",
        "notification",
        "delivery_status IN ('pending', 'delivered', 'failed')",
    )
    op.create_index(
        "notification_undelivered",
        "notification",
        ["county_code", "id"],
        postgresql_where=sa.text("delivery_status <> 'delivered'"),
    )
    op.create_table(
        "notification_read",
        sa.Column("notification_id", sa.BigInteger(), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column(
            "read_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(["notification_id"], ["notification.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("notification_id", "username"),
    )


def downgrade() -> None:
    op.drop_table("notification_read")
    op.drop_index("notification_undelivered", table_name="notification")
    op.drop_constraint("delivery_status_known", "notification", type_="check")
    op.drop_column("notification", "last_error")
    op.drop_column("notification", "attempts")
    op.drop_column("notification", "delivery_status")
