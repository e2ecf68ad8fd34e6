"""Counters of the login throttle and the public rate limits, shared by every server process.

``wangge serve --workers N`` runs N processes (and a county may run several machines); counts
kept in each process's memory gave an attacker N times the attempts. Both tables are UNLOGGED:
counters are not worth a WAL write per request, and after a crash they start again empty,
which only forgives recent failures.

``login_failure``: one row per account (``kind = 'account'``, the lower-cased name) or client
address (``'client'``): the failures counted and when the last one happened.
``rate_window``: one row per public rate-limit key (``read:<address>``, ``key:<id>`` …): the
times of the hits inside the window, oldest first, and whether the last hit was let through.

Revision ID: 0021_shared_throttle
Revises: 0020_intake_probe_index
Create Date: 2026-12-10 10:00:00
"""

from alembic import op

revision = "0021_shared_throttle"
down_revision = "0020_intake_probe_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE UNLOGGED TABLE IF NOT EXISTS login_failure ("
        " kind text NOT NULL CONSTRAINT kind_known CHECK (kind IN ('account', 'client')),"
        " key text NOT NULL,"
        " failures integer NOT NULL CONSTRAINT failures_positive CHECK (failures > 0),"
        " last_failed_at timestamptz NOT NULL,"
        " PRIMARY KEY (kind, key))"
    )
    op.execute("CREATE INDEX IF NOT EXISTS login_failure_stale ON login_failure (last_failed_at)")
    op.execute(
        "CREATE UNLOGGED TABLE IF NOT EXISTS rate_window ("
        " key text PRIMARY KEY,"
        " hits timestamptz[] NOT NULL,"
        " admitted boolean NOT NULL,"
        " updated_at timestamptz NOT NULL)"
    )
    op.execute("CREATE INDEX IF NOT EXISTS rate_window_stale ON rate_window (updated_at)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS rate_window")
    op.execute("DROP TABLE IF EXISTS login_failure")
