"""``wangge ledger export --from DAY --to DAY [--unit CODE] -o FILE.xlsx``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import engine_in_use, fail, info


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a day like 2026-09-30") from None


def register(app: typer.Typer) -> None:
    """Add the ``ledger`` command group to ``app``."""
    ledger_app = typer.Typer(help="The dispute ledger (矛盾纠纷排查化解台账) and its report.",
                             no_args_is_help=True)  # fmt: skip
    app.add_typer(ledger_app, name="ledger")

    @ledger_app.command("export")
    def export_command(
        first_day: Annotated[str, typer.Option("--from", help="first day, e.g. 2026-01-01")],
        last_day: Annotated[str, typer.Option("--to", help="last day, included")],
        out: Annotated[Path, typer.Option("-o", "--out", help="the .xlsx file to write")],
        unit: Annotated[str | None, typer.Option(help="county/township/village code")] = None,
        filed_by: Annotated[str | None, typer.Option(help="填报人 (printed at the foot)")] = None,
        reviewed_by: Annotated[str | None, typer.Option(help="审核人 (at the foot)")] = None,
    ) -> None:
        """Write the ledger (化解台账), the report by unit and category (统计报表) and the
        overdue and suspended cases (超期及挂起案件) as .xlsx, ready to print (A4 landscape).
        Days are China time and both included; figures agree with /api/v1/stats. Overdue
        (超期) is judged at the end of the period, or now if the period has not ended."""
        from core.errors import WanggeError
        from geo.database.engine import transaction
        from geo.disputes.ledger import build_ledger
        from geo.disputes.ledger_book import ledger_workbook

        if out.suffix.lower() != ".xlsx":
            raise fail(f"{out}: the output must be an .xlsx file")
        start, end = _day(first_day), _day(last_day)
        engine = engine_in_use()
        try:
            with transaction(engine) as session:
                ledger = build_ledger(
                    session=session, first_day=start, last_day=end, unit=unit,
                    filed_by=filed_by, reviewed_by=reviewed_by,
                )  # fmt: skip
        except WanggeError as exc:
            raise fail(str(exc)) from None
        finally:
            engine.dispose()
        out.write_bytes(ledger_workbook(ledger))
        total = ledger.report[-1].figures
        info(
            f"{ledger.unit_name} {start} – {end}: {total['screened']} screened, "
            f"{total['resolved']} resolved ({total['resolution_rate']} %), "
            f"{total['overdue']} overdue, {total['still_open']} still open → {out}"
        )
