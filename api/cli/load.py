"""``wangge load admin-units | grids | addresses | facilities FILE [--crs ...] [--layer L]``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import engine_in_use, err_console, fail, info

HELP = {
    "admin-units": "County, townships and villages/communities (codes 6/9/12 digits, polygons).",
    "grids": "Grids: code = village code + sequence, polygons tiling their village.",
    "addresses": "Standard addresses (points): put on their grid, kept if outside every grid.",
    "facilities": "Centres, police stations, court stations, judicial offices … (points).",
}

CrsOption = Annotated[
    str | None,
    typer.Option(
        "--crs",
        help="CRS of the coordinates when the file names none or names a wrong one: "
        "EPSG:XXXX, or gcj02 for Amap/Tencent longitude/latitude.",
    ),
]
LayerOption = Annotated[
    str | None, typer.Option("--layer", help="Layer of a GeoPackage, or sheet of an .xlsx.")
]
ToleranceOption = Annotated[
    float,
    typer.Option("--tolerance", help="Grids: gaps, overlaps and overhangs smaller than this (m²) "
                 "are ignored."),
]  # fmt: skip


def _run(kind: str, file: Path, crs: str | None, layer: str | None, tolerance: float) -> None:
    from core.errors import ImportRejected
    from geo.database.engine import transaction
    from geo.places import import_file

    engine = engine_in_use()
    try:
        with transaction(engine) as session:
            report = import_file(
                session=session, kind=kind, path=file, crs=crs, layer=layer,
                tolerance_m2=tolerance,
            )  # fmt: skip
    except ImportRejected as rejected:
        errors = [p for p in rejected.problems if p.severity == "error"]
        for problem in errors:
            err_console.print(f"  {problem}", highlight=False, soft_wrap=True, markup=False)
        for problem in rejected.problems:
            if problem.severity != "error":  # hints such as "looks like GCJ-02" come last
                err_console.print(
                    f"warning: {problem}", highlight=False, soft_wrap=True, markup=False
                )
        raise fail(
            f"{file}: {len(errors)} problem(s); the file was refused, nothing was written"
        ) from None
    finally:
        engine.dispose()
    for problem in report.warnings:
        err_console.print(f"warning: {problem}", highlight=False, soft_wrap=True, markup=False)
    for problem in report.outside_grids:
        err_console.print(
            f"outside every grid: {problem}", highlight=False, soft_wrap=True, markup=False
        )
    if report.ignored_columns:
        info(f"columns not used: {', '.join(report.ignored_columns)}")
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
        "(checked first; all or nothing; re-loading the same file changes nothing).",
        no_args_is_help=True,
    )
    app.add_typer(load_app, name="load")

    def make(kind: str):
        def command(
            file: Annotated[Path, typer.Argument(help="The file to load.")],
            crs: CrsOption = None,
            layer: LayerOption = None,
            tolerance: ToleranceOption = 1.0,
        ) -> None:
            _run(kind, file, crs, layer, tolerance)

        command.__doc__ = HELP[kind]
        return command

    for kind in HELP:
        load_app.command(kind)(make(kind))

    from api.cli.geocode import register_aliases

    register_aliases(load_app)
