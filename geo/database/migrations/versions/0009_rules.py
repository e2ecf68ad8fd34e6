"""Case rules as SQL functions: the open set, overdue and the caller's scope.

Installs ``wangge_is_open``, ``wangge_is_open_past_deadline``, ``wangge_is_resolved_late``,
``wangge_is_overdue``, ``wangge_covers_area`` and ``wangge_in_scope``, generated from
:mod:`core.cases` and :mod:`core.principal` by :mod:`geo.database.rules`, for the ``.sql``
files to call instead of spelling the rules out. Joins the branches (auth, staff, scale) into
one head.

Revision ID: 0009_rules
Revises: 0002_auth, 0006_staff, 0008_scale
Create Date: 2026-12-03 16:30:00
"""

from alembic import op

from geo.database import rules

revision = "0009_rules"
down_revision = ("0002_auth", "0006_staff", "0008_scale")
branch_labels = None
depends_on = None


def upgrade() -> None:
    rules.install(op.execute)


def downgrade() -> None:
    rules.uninstall(op.execute)
