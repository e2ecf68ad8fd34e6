"""``wangge load admin-units | grids | addresses | facilities FILE [--crs ...] [--layer L]``.

Exit status: 0 loaded, 1 refused (every problem listed, nothing written), 2 usage (a missing
file, an unknown option).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import engine_in_use, err_console, fail, info

HELP = {
    "admin-units": "County, townships and villages/communities (codes 6/9/12 digits, polygons).",
    "grids": "Grids: code = village code + sequence, polygons tiling their village.",
    "addresses": "Standard addresses (points): put on their grid, kept if outside every grid.",
    "facilities": "Centres, police stations, court stations, judicial offices … (points; "
    "Amap/Tencent/Baidu POI exports too).",
}
EXIT_REFUSED = 1
EXIT_USAGE = 2

CrsOption = Annotated[
    str | None,
    typer.Option(
        "--crs",
        help="CRS of the coordinates when the file names none or names a wrong one: "
        "EPSG:XXXX, gcj02 for Amap/Tencent, bd09 for Baidu longitude/latitude.",
    ),
]
LayerOption = Annotated[
    str | None, typer.Option("--layer", help="Layer of a GeoPackage, or sheet of an .xlsx.")
]
ToleranceOption = Annotated[
    float,
    typer.Option("--tolerance", help="Grids: gaps, overlaps and overhangs smaller than this (m²) "
                 "are snapped to the neighbouring grid (so are slivers thinner than 5 cm)."),
]  # fmt: skip
ReplaceOption = Annotated[
    bool,
    typer.Option("--replace", help="Allow the file to move stored units, grids or points by "
                 "more than 100 m (or keep less than 75 % of an area in place); each change is "
                 "listed."),
]  # fmt: skip
KindsOption = Annotated[
    Path | None,
    typer.Option("--kinds", help="Facilities: a CSV (keyword,kind) mapping web-map type "
                 "strings to facility kinds, instead of the shipped geo/places/poi_kinds.csv."),
]  # fmt: skip


def problem_line(problem) -> str:
    """One problem as the clerk reads it: the row and column in Chinese, then in English."""
    where_zh, where_en = [], []
    if problem.row is not None:
        where_zh.append(f"第 {problem.row} 行")
        where_en.append(f"row {problem.row}")
    if problem.field:
        where_zh.append(f"“{problem.field}”列")
        where_en.append(f"field '{problem.field}'")
    if not where_zh:
        return problem.reason
    return f"{'，'.join(where_zh)} / {', '.join(where_en)}: {problem.reason}"


def _say(prefix: str, problem) -> None:
    err_console.print(
        f"{prefix}{problem_line(problem)}", highlight=False, soft_wrap=True, markup=False
    )


def _run(kind: str, file: Path, crs, layer, tolerance: float, replace: bool, kinds) -> None:
    from core.errors import ImportRejected
    from geo.database.engine import transaction
    from geo.places import import_file

    if not file.exists():
        raise fail(f"找不到文件 / no such file: {file}", EXIT_USAGE)
    engine = engine_in_use()
    try:
        with transaction(engine) as session:
            report = import_file(
                session=session, kind=kind, path=file, crs=crs, layer=layer,
                tolerance_m2=tolerance, replace=replace, kinds=kinds,
            )  # fmt: skip
    except ImportRejected as rejected:
        errors = [p for p in rejected.problems if p.severity == "error"]
        for problem in errors:
            _say("  ", problem)
        for problem in rejected.problems:
            if problem.severity != "error":  # hints such as "looks like GCJ-02" come last
                _say("提示 / warning: ", problem)
        raise fail(
            f"{file}: {len(errors)} 个问题，文件被拒绝，未写入任何数据 / {len(errors)} problem(s); "
            "the file was refused, nothing was written",
            EXIT_REFUSED,
        ) from None
    finally:
        engine.dispose()
    for problem in report.warnings:
        _say("提示 / warning: ", problem)
    for problem in report.outside_grids:
        _say("不在任何网格内 / outside every grid: ", problem)
    if report.skipped_rows:
        names = {"title": "标题 title", "totals": "合计 totals", "footer": "落款/注 footer"}
        rows = ", ".join(f"{row} ({names[kind]})" for row, kind in report.skipped_rows.items())
        info(f"跳过的行 / rows skipped: {rows}")
    if report.ignored_columns:
        info(f"未使用的列 / columns not used: {', '.join(report.ignored_columns)}")
    line = (
        f"{kind} from {file.name}: {report.rows} rows; inserted {report.inserted}, "
        f"updated {report.updated}, unchanged {report.unchanged}, "
        f"warnings {len(report.warnings) + len(report.outside_grids)}"
    )
    if report.closed:
        line += f"; {report.closed} grid geometries replaced (old rows closed, kept as history)"
    if report.outside_grids:
        line += f"; {len(report.outside_grids)} outside every grid (kept, no grid)"
    typer.echo(line)


def register(app: typer.Typer) -> None:
    """Add the ``load`` command group to ``app``."""
    load_app = typer.Typer(
        help="Load a county's own data from .gpkg, .shp, .geojson, .csv or .xlsx "
        "(checked first; all or nothing; re-loading the same file changes nothing). "
        "Exit status 0 loaded, 1 refused, 2 usage.",
        no_args_is_help=True,
    )
    app.add_typer(load_app, name="load")

    def make(kind: str):
        def command(
            file: Annotated[Path, typer.Argument(help="The file to load.")],
            crs: CrsOption = None,
            layer: LayerOption = None,
            tolerance: ToleranceOption = 1.0,
            replace: ReplaceOption = False,
            kinds: KindsOption = None,
        ) -> None:
            _run(kind, file, crs, layer, tolerance, replace, kinds)

        command.__doc__ = HELP[kind]
        return command

    for kind in HELP:
        load_app.command(kind)(make(kind))

    from api.cli.geocode import register_aliases
    from api.cli.holidays import register_holidays

    register_aliases(load_app)
    register_holidays(load_app)
