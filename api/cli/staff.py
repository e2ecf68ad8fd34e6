"""``wangge staff import FILE.xlsx [--county CODE]``: the "8+" forces from an Excel sheet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import engine_in_use, err_console, fail

SHOWN_PROBLEMS = 200


def register(app: typer.Typer) -> None:
    """Add the ``staff`` command group to ``app``."""
    staff_app = typer.Typer(help="The centre's people: grid leaders, cadres, deputies …",
                            no_args_is_help=True)  # fmt: skip
    app.add_typer(staff_app, name="staff")

    @staff_app.command("import")
    def import_command(
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
        county: Annotated[
            str | None, typer.Option(help="county code (default: the only one loaded)")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="print the counts as JSON")] = False,
    ) -> None:
        """Import staff from .xlsx with headers 姓名, 类别/身份, 单位, 联系电话, 网格编码,
        联防组编码 (人员编码, 身份证号 optional). Every row is checked first; any problem is
        listed with its row and header and nothing is written."""
        from core.errors import ImportRejected, WanggeError
        from geo.database.engine import transaction
        from geo.staff.importing import import_staff

        engine = engine_in_use()
        try:
            with transaction(engine) as session:
                counts = import_staff(session=session, path=file, county=county)
        except ImportRejected as exc:
            for problem in exc.problems[:SHOWN_PROBLEMS]:
                err_console.print(f"  {problem}", highlight=False, soft_wrap=True, markup=False)
            if len(exc.problems) > SHOWN_PROBLEMS:
                err_console.print(f"  … and {len(exc.problems) - SHOWN_PROBLEMS} more")
            raise fail(f"{file.name}: {len(exc.problems)} problem(s); nothing was written",
                       code=2) from None  # fmt: skip
        except WanggeError as exc:
            raise fail(f"{file.name}: {exc}") from None
        finally:
            engine.dispose()
        if as_json:
            typer.echo(json.dumps(counts, ensure_ascii=False))
        else:
            typer.echo(
                f"staff from {file.name}: {counts['rows']} rows; {counts['inserted']} new, "
                f"{counts['updated']} updated; {counts['grid_leaders']} grid leaders and "
                f"{counts['group_leaders']} household leaders set; "
                f"{counts['grid_links']} grid assignments"
            )
