"""``wangge notify sweep``: store the reminders due now and send them on."""

from __future__ import annotations

import json

import typer

from api.cli.common import fail, info


def register(app: typer.Typer) -> None:
    """Add the ``notify`` group to ``app``."""
    notify_app = typer.Typer(help="Reminders of time limits (催办提醒): due soon, overdue.")
    app.add_typer(notify_app, name="notify")

    @notify_app.command("sweep")
    def sweep(
        county: str = typer.Option(None, help="one county code (default: the only one loaded)"),
        as_json: bool = typer.Option(False, "--json", help="the counts as JSON on stdout"),
    ) -> None:
        """Store the reminders due now (due within 24 h, overdue, overdue beyond the escalation
        threshold), one per case, kind and deadline, and send the undelivered ones through the
        channel the settings choose (WANGGE_NOTIFY_WEBHOOK, else the log)."""
        import datetime as dt

        from api.cli.common import engine_in_use
        from core.errors import WanggeError
        from services import jobs, risk

        engine = engine_in_use()
        try:
            try:
                county = risk.county_or_default(engine, county)
            except (WanggeError, ValueError) as exc:
                raise fail(str(exc), code=2) from exc
            counts = jobs.notify(engine, county, dt.datetime.now(dt.UTC))
        finally:
            engine.dispose()
        if as_json:
            typer.echo(json.dumps({"county": county, **counts}, ensure_ascii=False))
            return
        info(
            f"{county}: 新提醒 stored {counts['notified_due_soon']} due soon (24小时内到期), "
            f"{counts['notified_overdue']} overdue (已超期), "
            f"{counts['notified_escalate']} beyond the threshold (超期超过督办阈值); "
            f"送达 delivered {counts['delivered']}, 失败 failed {counts['delivery_failed']}"
        )
        if counts["delivery_failed"]:
            raise typer.Exit(1)
