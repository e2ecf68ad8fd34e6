"""``wangge serve`` and ``wangge demo``."""

from __future__ import annotations

import os
import time

import typer

from api.cli.common import fail, info


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def serve_app(host: str, port: int, workers: int = 1, *, access_log: bool = True) -> None:
    """Run the API and maps under uvicorn until interrupted: ``workers`` processes, each
    building the app from the factory ``api.app:create_app`` with its own engine, tile cache
    and version board."""
    import uvicorn

    info(
        f"serving on http://{host}:{port} with {workers} worker process(es)"
        "  (maps: /maps/command-room, API docs: /docs)"
    )
    # the app reads X-Forwarded-For itself, from WANGGE_TRUSTED_PROXIES only (api/ratelimit.py)
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
        proxy_headers=False,
        server_header=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``demo`` to ``app``."""

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="interface to listen on"),
        port: int = typer.Option(8000, help="TCP port"),
        workers: int = typer.Option(
            0, "--workers", min=0, help="worker processes (0: one per core)"
        ),
        access_log: bool = typer.Option(
            True, "--access-log/--no-access-log", help="log every request"
        ),
    ) -> None:
        """Serve the HTTP API, the OGC API, tiles and the map pages."""
        serve_app(host, port, workers or default_workers(), access_log=access_log)

    @app.command()
    def demo(
        seed: int = typer.Option(623021, help="random seed of the synthetic parts"),
        no_serve: bool = typer.Option(False, "--no-serve", help="load and train, then exit"),
        reset: bool = typer.Option(
            False, "--reset", help="empty the database first (all data is deleted)"
        ),
        host: str = typer.Option("127.0.0.1", help="interface to listen on"),
        port: int = typer.Option(8000, help="TCP port"),
    ) -> None:
        """Load the demo county (real Lintan outline and codes, synthetic rest), train, serve."""
        from demo.pipeline import DEMO_COUNTY, build
        from geo.database import maintenance, migrate
        from geo.database.engine import database_url, ensure_extensions, make_engine, transaction

        url = database_url()
        engine = make_engine(url)
        ensure_extensions(engine)
        migrate.upgrade(url)
        with transaction(engine) as session:
            present = maintenance.county_rows(session=session, county=DEMO_COUNTY)
            if reset:
                info("emptying the database (--reset)")
                maintenance.truncate_all(session=session)
        if present["admin_units"] and not reset:
            info(
                f"the demo county is already loaded ({present['grids']} grids, "
                f"{present['addresses']} addresses); use --reset to rebuild it"
            )
        else:
            started = time.perf_counter()
            try:
                report = build(engine, seed=seed, on_step=lambda step: info(f"• {step}"))
            except Exception as exc:
                raise fail(f"the demo build failed: {exc}") from exc
            counts = ", ".join(f"{k} {v:,}" for k, v in report.counts.items())
            info(f"demo county loaded in {time.perf_counter() - started:.1f} s: {counts}")
            with transaction(engine) as session:
                size = maintenance.database_size(session=session)
            info(f"database size {size / 1e6:.1f} MB")
        engine.dispose()
        if not no_serve:
            serve_app(host, port)
