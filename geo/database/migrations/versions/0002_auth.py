"""Access control: users, audit log, layer change counters and their triggers.

Revision ID: 0002_auth
Revises: 0001
Create Date: 2026-11-26 10:30:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_auth"
down_revision = "0001"
branch_labels = ("auth",)
depends_on = None

# layer name -> the tables whose changes alter what the layer shows
LAYER_SOURCES = {
    "admin_units": ("admin_unit",),
    "grids": ("grid", "staff_grid"),
    "addresses": ("address",),
    "disputes": ("dispute",),
    "signals": ("signal",),
    "hotspots": ("hotspot",),
    "facilities": ("facility",),
}
# a table's trigger bumps every layer it feeds (grid geometry is drawn by several layers)
EXTRA_LAYERS = {"grid": ("hotspots", "disputes", "signals")}


def _layers_of(table: str) -> list[str]:
    layers = [layer for layer, tables in LAYER_SOURCES.items() if table in tables]
    return layers + list(EXTRA_LAYERS.get(table, ()))


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("scope_code", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "role IN ('county_centre', 'township', 'grid_leader', 'partner', 'viewer')",
            name="role_known",
        ),
        sa.CheckConstraint(
            "role IN ('county_centre', 'viewer') OR scope_code IS NOT NULL", name="scope_needed"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.Text(), nullable=True),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("client", sa.Text(), nullable=True),
        sa.CheckConstraint("action IN ('read', 'change', 'login', 'denied')", name="action_known"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("audit_log_object", "audit_log", ["object_type", "object_id"])
    op.create_index(op.f("ix_audit_log_username"), "audit_log", ["username"])
    op.create_table(
        "layer_version",
        sa.Column("layer", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default=sa.text("1"), nullable=False),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("layer"),
    )
    op.execute(
        "INSERT INTO layer_version (layer) VALUES "
        + ", ".join(f"('{layer}')" for layer in LAYER_SOURCES)
    )
    # One UPDATE per statement (not per row): a COPY of 10,000 rows bumps once. The counter
    # changes inside the writer's transaction, so readers see the new rows and the new
    # version together, never one without the other.
    op.execute(
        """
        CREATE FUNCTION bump_layer_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE layer_version SET version = version + 1, changed_at = now()
            WHERE layer = ANY (TG_ARGV);
            RETURN NULL;
        END $$
        """
    )
    tables = sorted({t for ts in LAYER_SOURCES.values() for t in ts})
    for table in tables:
        args = ", ".join(f"'{layer}'" for layer in _layers_of(table))
        op.execute(
            f"CREATE TRIGGER {table}_bumps_layers AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version({args})"
        )


def downgrade() -> None:
    tables = sorted({t for ts in LAYER_SOURCES.values() for t in ts})
    for table in tables:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_bumps_layers ON {table}")
    op.execute("DROP FUNCTION IF EXISTS bump_layer_version()")
    op.drop_table("layer_version")
    op.drop_index(op.f("ix_audit_log_username"), table_name="audit_log")
    op.drop_index("audit_log_object", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("app_user")
