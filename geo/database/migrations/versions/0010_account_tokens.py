"""Token versions: ``app_user.token_version``, carried in every token and bumped to revoke.

Revision ID: 0010_account_tokens
Revises: 0009_rules
Create Date: 2026-12-10 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_account_tokens"
down_revision = "0009_rules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "app_user",
        sa.Column("token_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("app_user", "token_version")
