"""Province scale: index grids by township.

``/api/v1/grids?township=…`` and the township views filter current grids by
``township_code``, which had no index: the query scanned every grid of the province
(4.9 ms at 7,700 grids, 22.9 ms at 38,500, growing linearly; 3.8 ms at both with the index,
bench/scale_province.py).

Revision ID: 0008_scale
Revises: 0001
Create Date: 2026-11-26 12:15:00
"""

from alembic import op

revision = "0008_scale"
down_revision = "0001"
branch_labels = ("scale",)
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_grid_township_code"), "grid", ["township_code"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_grid_township_code"), table_name="grid")
