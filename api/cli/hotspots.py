"""``wangge hotspots``: score the county and list the flagged grids for the review meeting."""

from __future__ import annotations

import datetime as dt
import json

import typer

from api.cli.common import engine_in_use, fail, info


def register(app: typer.Typer) -> None:
    """Add ``hotspots`` to ``app``."""

    @app.command()
    def hotspots(
        county: str = typer.Option(None, help="county code (default: the only one loaded)"),
        rescore: bool = typer.Option(False, "--rescore", help="train and score again first"),
        as_of: str = typer.Option(None, help="score the period holding this date (ISO)"),
        period: str = typer.Option("week", help="day | week | month"),
        as_json: bool = typer.Option(False, "--json", help="one JSON object on stdout"),
    ) -> None:
        """List the grids flagged for the current period, with method, class and explanation."""
        from rich.console import Console
        from rich.table import Table

        from core.errors import WanggeError
        from services import risk

        if period not in ("day", "week", "month"):
            raise fail(f"--period must be day, week or month, not {period!r}")
        engine = engine_in_use()
        try:
            county = risk.county_or_default(engine, county)
            if rescore:
                when = dt.datetime.fromisoformat(as_of) if as_of else None
                report = risk.train_and_score(engine, county=county, period=period, as_of=when)
                info(
                    f"scored {report.grids} grids for the {period} of {report.period_start} "
                    f"(trained on {report.training_rows:,} rows); flagged {report.flagged}"
                )
                if report.note:
                    info(report.note)
                if report.skipped_line():
                    info(report.skipped_line())
            rows = risk.latest_flags(engine, county=county)
        except (WanggeError, ValueError) as exc:
            raise fail(str(exc)) from exc
        finally:
            engine.dispose()
        if as_json:
            typer.echo(json.dumps({"county": county, "hotspots": rows}, ensure_ascii=False))
            return
        if not rows:
            info("no flagged grids: run `wangge hotspots --rescore` after loading events")
            return
        grids = len({row["grid_code"] for row in rows})
        title = f"{county} · {rows[0]['period_start']} · {grids} grids ({len(rows)} flags)"
        table = Table(title=title)
        for column in ("id", "grid", "method", "class", "status", "explanation"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(
                str(row["id"]), row["grid"], row["method"], row["class"] or "", row["status"],
                row["explanation"] or "",
            )  # fmt: skip
        Console().print(table)
