"""``wangge ingest disputes | signals FILE [--crs wgs84|gcj02] [--county CODE] [--layer L]``.

Exit status: 0 every row taken in, 1 rows refused (the good ones are committed) or the file
refused whole, 2 usage (a missing file, an unknown option).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import engine_in_use, err_console, fail, info, progress
from api.cli.load import EXIT_REFUSED, EXIT_USAGE

HELP = {
    "disputes": "Disputes (矛盾纠纷): external_id/编号, reported_at/受理时间, category/类别, "
    "severity/等级, address/地址 and/or lon/经度, lat/纬度, description/简要情况.",
    "signals": "Risk signals: external_id/编号, observed_at/发现时间, kind/类型, weight/权重, "
    "address/地址 and/or lon/经度, lat/纬度, description/简要情况.",
}
SHOWN_PROBLEMS = 200
SHOWN_IDS = 50


def row_line(report, problem) -> str:
    """One refused row as the clerk reads it: the row as Excel shows it, the column as the file
    writes it, then the reason (value and what would be accepted), Chinese first."""
    where_zh, where_en = [], []
    if problem.row is not None:
        where_zh.append(f"第 {problem.row} 行")
        where_en.append(f"row {problem.row}")
    written = report.column(problem.field)
    if written:
        where_zh.append(f"“{written}”列")
        english = f" ({problem.field})" if written != problem.field else ""
        where_en.append(f"column '{written}'{english}")
    if not where_zh:
        return problem.reason
    return f"{'，'.join(where_zh)} / {', '.join(where_en)}: {problem.reason}"


def _listed(ids: list) -> str:
    shown = ", ".join(str(i) for i in ids[:SHOWN_IDS])
    return shown + (f" … (+{len(ids) - SHOWN_IDS})" if len(ids) > SHOWN_IDS else "")


def _say(text: str) -> None:
    err_console.print(text, highlight=False, soft_wrap=True, markup=False)


def _run(kind: str, file: Path, crs: str | None, county: str | None, layer: str | None,
         as_json: bool) -> None:  # fmt: skip
    from core.errors import InvalidRequest
    from geo.disputes.intake import ingest_file

    if not file.exists():
        raise fail(f"找不到文件 / no such file: {file}", EXIT_USAGE)
    engine = engine_in_use()
    try:
        with progress() as bar:
            task = bar.add_task(f"ingest {kind}", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = ingest_file(
                engine=engine, path=file, kind=kind, crs=crs, county=county, layer=layer,
                actor="wangge ingest", on_progress=advance,
            )  # fmt: skip
    except InvalidRequest as exc:
        raise fail(f"{file}: {exc}；未写入任何数据 / nothing was written", EXIT_REFUSED) from None
    finally:
        engine.dispose()
    _report(report)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        accepted, present = len(report.accepted), len(report.already_present)
        rejected, unplaced = len(report.rejected), len(report.needs_location)
        duplicates = len(report.flagged_duplicates)
        typer.echo(
            f"{file.name}：共 {report.received} 行；受理 {accepted}，已登记 {present}，"
            f"拒收 {rejected}，待定位 {unplaced}，疑似重复 {duplicates} / "
            f"{kind} from {file.name}: {report.received} rows; accepted {accepted}, "
            f"already present {present}, rejected {rejected}, needing a location {unplaced}, "
            f"flagged as likely duplicates {duplicates}"
        )
    if report.rejected:
        info("已接收的行已保存；请改正被拒收的行后重新发送（已保存的行会跳过）/ accepted rows are "
             "committed; fix the rejected rows and send the file again (rows already stored "
             "are skipped)")  # fmt: skip
        raise typer.Exit(EXIT_REFUSED)


def _report(report) -> None:
    """Every row that was not simply taken in, on stderr: skipped, refused, already stored,
    without a grid, likely duplicates."""
    from geo.disputes.intake_messages import skipped_rows

    if report.skipped_rows:
        info(skipped_rows(report.skipped_rows))
    for problem in report.rejected[:SHOWN_PROBLEMS]:
        _say(f"  拒收 / rejected: {row_line(report, problem)}")
    if len(report.rejected) > SHOWN_PROBLEMS:
        info(f"  … 另有 {len(report.rejected) - SHOWN_PROBLEMS} 行被拒收 / and "
             f"{len(report.rejected) - SHOWN_PROBLEMS} more rejected rows")  # fmt: skip
    if report.already_present:
        _say(f"  已登记，未再写入 / already stored, not written again: "
             f"{_listed(report.already_present)}")  # fmt: skip
    for external_id in report.needs_location[:SHOWN_PROBLEMS]:
        _say(f"  待定位（不在任何网格内，可能在县外）/ needs a location (on no grid, perhaps "
             f"outside the county): {external_id}")  # fmt: skip
    if report.flagged_duplicates:
        by_case = {case_id: external_id for external_id, case_id in report.accepted.items()}
        flagged = [by_case.get(case_id, case_id) for case_id in report.flagged_duplicates]
        _say(f"  疑似重复（已受理，待核实）/ likely duplicates (stored, to be checked): "
             f"{_listed(flagged)}")  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add the ``ingest`` command group to ``app``."""
    ingest_app = typer.Typer(
        help="Take in disputes or risk signals from .csv, .xlsx or .geojson: good rows are "
        "committed, bad rows listed with row and reason; re-sending never duplicates.",
        no_args_is_help=True,
    )
    app.add_typer(ingest_app, name="ingest")

    def make(kind: str):
        def command(
            file: Annotated[Path, typer.Argument(help="The file to take in.")],
            crs: Annotated[
                str | None,
                typer.Option(
                    "--crs",
                    help="Datum of lon/lat when not WGS84: gcj02 (Amap, "
                    "Tencent). A crs column overrides it per row.",
                ),
            ] = None,
            county: Annotated[
                str | None,
                typer.Option(
                    "--county",
                    help="County code for rows that land on no grid "
                    "(default: the only county stored).",
                ),
            ] = None,
            layer: Annotated[str | None, typer.Option("--layer", help="GeoPackage layer.")] = None,
            as_json: Annotated[
                bool, typer.Option("--json", help="Print the full report as JSON.")
            ] = False,
        ) -> None:
            _run(kind, file, crs, county, layer, as_json)

        command.__doc__ = HELP[kind]
        return command

    for kind in HELP:
        ingest_app.command(kind)(make(kind))
