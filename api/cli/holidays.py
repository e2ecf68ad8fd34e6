"""``wangge load holidays FILE [--calendar national|COUNTY]``: the working-day calendar.

Exit status: 0 loaded, 1 refused (every bad row listed, nothing written), 2 usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import engine_in_use, err_console, fail, info

CALENDAR_HELP = (
    "national (the State Council's calendar) or a county code for the county's own days, "
    "when the file has no 日历 column"
)


def register_holidays(load_app: typer.Typer) -> None:
    """Add ``holidays`` to the ``load`` command group."""

    @load_app.command("holidays")
    def holidays_command(
        file: Annotated[Path, typer.Argument(help="CSV or .xlsx: 日期, 类型, 名称 [, 日历]")],
        calendar: Annotated[str, typer.Option(help=CALENDAR_HELP)] = "national",
    ) -> None:
        """Holidays (法定节假日) and worked weekend days (调休上班) that working-day time limits
        count on. A day already stored in that calendar is replaced."""
        from core.errors import ImportRejected
        from geo.database.engine import transaction
        from geo.disputes.calendar import read_days, store_days

        if not file.exists():
            raise fail(f"找不到文件 / file not found: {file}", code=2)
        try:
            days = read_days(file, calendar=calendar)
        except ImportRejected as exc:
            for problem in exc.problems:
                err_console.print(f"  {problem}", highlight=False, soft_wrap=True)
            raise fail(f"{file}: 未写入任何日期 / nothing was written") from None
        engine = engine_in_use()
        try:
            with transaction(engine) as session:
                loaded = store_days(session=session, days=days)
        finally:
            engine.dispose()
        info(
            f"loaded {loaded.holidays} holidays and {loaded.workdays} worked weekend days "
            f"into {', '.join(loaded.calendars)} for {', '.join(map(str, loaded.years))}"
        )
