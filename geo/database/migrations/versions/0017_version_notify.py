"""Change notices: a bumped layer version or a changed account is announced on the channel
``wangge_versions`` (LISTEN/NOTIFY), so every server process keeps its version board in memory
(geo/publishing/versions.py) instead of asking the database on each request.

Payloads: ``layer:<layer>:<version>`` after ``layer_version`` changes, ``account:<username>``
after an account row is updated or deleted, ``accounts:*`` after ``app_user`` is truncated.
PostgreSQL delivers them when the writer's transaction commits, never before.

Revision ID: 0017_version_notify
Revises: 0010_account_tokens
Create Date: 2026-12-04 10:00:00
"""

from alembic import op

revision = "0017_version_notify"
down_revision = "0010_account_tokens"
branch_labels = None
depends_on = None

CHANNEL = "wangge_versions"


def upgrade() -> None:
    op.execute(
        f"""
        CREATE FUNCTION wangge_notify_layer() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', 'layer:' || NEW.layer || ':' || NEW.version);
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER layer_version_notifies AFTER INSERT OR UPDATE ON layer_version "
        "FOR EACH ROW EXECUTE FUNCTION wangge_notify_layer()"
    )
    op.execute(
        f"""
        CREATE FUNCTION wangge_notify_account() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                PERFORM pg_notify('{CHANNEL}', 'accounts:*');
            ELSE
                PERFORM pg_notify('{CHANNEL}', 'account:' || OLD.username);
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER app_user_notifies AFTER UPDATE OR DELETE ON app_user "
        "FOR EACH ROW EXECUTE FUNCTION wangge_notify_account()"
    )
    op.execute(
        "CREATE TRIGGER app_user_truncate_notifies AFTER TRUNCATE ON app_user "
        "FOR EACH STATEMENT EXECUTE FUNCTION wangge_notify_account()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS app_user_truncate_notifies ON app_user")
    op.execute("DROP TRIGGER IF EXISTS app_user_notifies ON app_user")
    op.execute("DROP FUNCTION IF EXISTS wangge_notify_account()")
    op.execute("DROP TRIGGER IF EXISTS layer_version_notifies ON layer_version")
    op.execute("DROP FUNCTION IF EXISTS wangge_notify_layer()")
