"""Explicit assignment of cases, rating source, suspension, and the working-day calendar.

``dispute`` gains ``assignee_unit`` and ``assignee_staff`` (who holds the case),
``routed_by`` (the centre that routed it, ``role:scope``), ``rating_source`` (phone, visit,
SMS, in person, citizen), ``suspended_at`` and ``held_deadline`` (挂起: the deadline is held
while the case waits on a party). Existing assignments are carried over: a case's staff
``assignee`` becomes ``assignee_staff``, its facility's code ``assignee_unit``.
``calendar_day`` holds the holidays and worked weekend days of the national calendar and of
counties that add their own.

Revision ID: 0013_case_assignment
Revises: 0012_geocode_evidence
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_case_assignment"
down_revision = "0012_geocode_evidence"
branch_labels = None
depends_on = None

RATING_SOURCES = ("phone", "visit", "sms", "in_person", "citizen")


def upgrade() -> None:
    op.add_column("dispute", sa.Column("assignee_unit", sa.Text(), nullable=True))
    op.add_column("dispute", sa.Column("assignee_staff", sa.Text(), nullable=True))
    op.add_column("dispute", sa.Column("routed_by", sa.Text(), nullable=True))
    op.add_column("dispute", sa.Column("rating_source", sa.String(16), nullable=True))
    op.add_column("dispute", sa.Column("suspended_at", sa.DateTime(timezone=True)))
    op.add_column("dispute", sa.Column("held_deadline", sa.DateTime(timezone=True)))
    quoted = ", ".join(f"'{s}'" for s in RATING_SOURCES)
    op.create_check_constraint(
        "rating_source_known", "dispute", f"rating_source IS NULL OR rating_source IN ({quoted})"
    )
    op.execute(
        "UPDATE dispute d SET assignee_staff = d.assignee, "
        "assignee_unit = (SELECT f.code FROM facility f WHERE f.id = d.assigned_facility_id) "
        "WHERE d.assignee IS NOT NULL OR d.assigned_facility_id IS NOT NULL"
    )
    op.create_table(
        "calendar_day",
        sa.Column("calendar", sa.String(12), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('holiday', 'workday')", name="kind_known"),
    )


def downgrade() -> None:
    op.drop_table("calendar_day")
    op.drop_constraint("rating_source_known", "dispute", type_="check")
    for column in (
        "held_deadline", "suspended_at", "rating_source", "routed_by", "assignee_staff",
        "assignee_unit",
    ):  # fmt: skip
        op.drop_column("dispute", column)
