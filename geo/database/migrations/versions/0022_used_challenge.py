"""Citizens' challenge tickets already used, shared by every server process.

The public report form's challenge ticket is good for one try. The nonces already tried were
kept in each process's memory, so ``wangge serve --workers N`` took one ticket up to N times.
The table is UNLOGGED like the throttle's (``0021_shared_throttle``): a used nonce is not worth
a WAL write, and after a crash the table starts again empty, which only lets tickets from the
last ten minutes be tried once more.

``used_challenge``: one row per nonce tried (primary key: a second use of the same ticket finds
it), and when the ticket expires; rows past their expiry are swept (``expires_at`` index).

Revision ID: 0022_used_challenge
Revises: 0021_shared_throttle
Create Date: 2026-12-11 10:00:00
"""

from alembic import op

revision = "0022_used_challenge"
down_revision = "0021_shared_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE UNLOGGED TABLE IF NOT EXISTS used_challenge ("
        " nonce text PRIMARY KEY,"
        " expires_at timestamptz NOT NULL)"
    )
    op.execute("CREATE INDEX IF NOT EXISTS used_challenge_expired ON used_challenge (expires_at)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS used_challenge")
