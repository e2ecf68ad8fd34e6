"""One person holds one shift at a time: an exclusion constraint on duty_shift.

Two managers adding overlapping shifts for one person at the same moment both passed the
application's overlap check; the constraint (``btree_gist`` for the ``=`` on ``staff_id``)
refuses the second in the database, whatever the timing.

Revision ID: 0011_scope_races
Revises: 0017_version_notify
Create Date: 2026-12-04 10:00:00
"""

from alembic import op

revision = "0011_scope_races"
down_revision = "0017_version_notify"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(
        "ALTER TABLE duty_shift ADD CONSTRAINT duty_shift_no_overlap EXCLUDE USING gist "
        "(staff_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE duty_shift DROP CONSTRAINT IF EXISTS duty_shift_no_overlap")
