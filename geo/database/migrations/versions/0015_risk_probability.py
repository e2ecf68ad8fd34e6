"""The calibrated chance of at least one dispute per grid and period.

``risk_score.probability`` is stored beside the expected count when a county is scored
(services/risk.py, models/calibration.py); rows scored before this revision have none.

Revision ID: 0015_risk_probability
Revises: 0019_notification_delivery
Create Date: 2026-12-08 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_risk_probability"
down_revision = "0019_notification_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("risk_score", sa.Column("probability", sa.Double(), nullable=True))
    op.create_check_constraint(
        "probability_is_a_share",
        "risk_score",
        "probability IS NULL OR (probability >= 0 AND probability <= 1)",
    )


def downgrade() -> None:
    op.drop_constraint("probability_is_a_share", "risk_score", type_="check")
    op.drop_column("risk_score", "probability")
