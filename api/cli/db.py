"""``wangge db up | down | url | migrate``."""

from __future__ import annotations

import typer

from api.cli.common import fail, info


def register(app: typer.Typer) -> None:
    """Add the ``db`` command group to ``app``."""
    db_app = typer.Typer(help="The database: start, stop, migrate, show its URL.")
    app.add_typer(db_app, name="db")

    @db_app.command("up")
    def up() -> None:
        """Start the embedded PostGIS (unless DATABASE_URL is set), create extensions, migrate."""
        from geo.database import cluster, migrate
        from geo.database.engine import database_url, ensure_extensions, make_engine
        from geo.database.settings import DatabaseSettings

        settings = DatabaseSettings()
        try:
            url = database_url(settings)
            engine = make_engine(url)
            ensure_extensions(engine)
            engine.dispose()
            migrate.upgrade(url)
        except cluster.ClusterError as exc:
            raise fail(str(exc)) from exc
        where = (
            "DATABASE_URL" if settings.database_url else f"embedded cluster in {settings.data_dir}"
        )
        info(f"database ready ({where}), schema at revision {migrate.current(url)}")

    @db_app.command("down")
    def down() -> None:
        """Stop the embedded PostGIS (nothing to do with DATABASE_URL set)."""
        from geo.database import cluster
        from geo.database.settings import DatabaseSettings

        settings = DatabaseSettings()
        if settings.database_url:
            info("DATABASE_URL is set: the external server is not managed by wangge")
            return
        info("stopped" if cluster.stop(settings) else "the embedded cluster was not running")

    @db_app.command("url")
    def url() -> None:
        """Print the SQLAlchemy URL in use."""
        from geo.database.engine import database_url

        typer.echo(database_url(start=False))

    @db_app.command("migrate")
    def migrate_cmd(revision: str = typer.Argument("heads")) -> None:
        """Run the Alembic migrations up to REVISION (default: every head)."""
        from geo.database import migrate
        from geo.database.engine import database_url

        target = database_url()
        migrate.upgrade(target, revision)
        info(f"schema at revision {migrate.current(target)}")
