"""``wangge backtest``: the risk model against baselines on any lon/lat/time CSV, no database.

Reads and checks the files, prints the table and writes the report. Gridding the points and
choosing the study cells is models/cells.py, the comparison models/cell_backtest.py; see
DESIGN.md for the options and the report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer

from api.cli.common import err_console, fail, info, progress
from core.crs import looks_swapped

DEFAULT_TEST_PERIODS = 104
DEFAULT_WORKERS = 1


class InputError(ValueError):
    """The events file cannot be used as given (the message names the row and field)."""


def read_events(path: Path) -> pd.DataFrame:
    """Read lon, lat, time from a CSV (other columns ignored), refusing bad rows by number."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: 无法按 CSV 读取 (cannot read as CSV: {exc})") from exc
    frame.columns = [c.strip().lstrip("\ufeff").lower() for c in frame.columns]
    missing = [c for c in ("lon", "lat", "time") if c not in frame.columns]
    if missing:
        names = ", ".join(missing)
        raise InputError(
            f"{path}: 缺少列 {names}，需要 lon, lat, time "
            f"(missing column(s) {names}; need lon, lat, time)"
        )
    out = pd.DataFrame(
        {
            "lon": pd.to_numeric(frame["lon"].str.strip(), errors="coerce"),
            "lat": pd.to_numeric(frame["lat"].str.strip(), errors="coerce"),
            "time": pd.to_datetime(frame["time"].str.strip(), errors="coerce", format="mixed"),
        }
    )
    for field in ("lon", "lat", "time"):
        bad = np.nonzero(out[field].isna().to_numpy())[0]
        if bad.size:
            # Row numbers as in a spreadsheet: the header is line 1.
            rows = ", ".join(str(i + 2) for i in bad[:5])
            more = f" and {bad.size - 5} more" if bad.size > 5 else ""
            raise InputError(
                f"{path}: 第 {rows} 行字段 {field} 为空或无效 "
                f"(row {rows}{more}: field {field} is empty or not valid)"
            )
    if looks_swapped(out["lon"], out["lat"]):
        raise InputError(
            f"{path}: 经纬度疑似互换，请修正列 "
            f"(lon and lat look swapped: latitudes beyond ±90; fix the columns)"
        )
    bad = np.nonzero(((out["lon"].abs() > 180) | (out["lat"].abs() > 90)).to_numpy())[0]
    if bad.size:
        row = bad[0] + 2
        raise InputError(f"{path}: 第 {row} 行经纬度超出范围 (row {row}: lon/lat out of range)")
    if out.empty:
        raise InputError(f"{path}: 没有事件 (no events)")
    return out


def read_area(path: Path):
    """The study area's polygons (lon/lat when the file names no CRS)."""
    import geopandas as gpd

    shapes = gpd.read_file(path)
    return shapes if shapes.crs is not None else shapes.set_crs("EPSG:4326")


def run_backtest(
    events: pd.DataFrame,
    *,
    cell_size: float,
    period: str = "week",
    test_periods: int = DEFAULT_TEST_PERIODS,
    area: Path | None = None,
    model_params: dict | None = None,
    show_progress: bool = True,
    hysteresis: float | None = None,
    workers: int = DEFAULT_WORKERS,
) -> dict[str, object]:
    """Grid the events, choose the study cells and the test window, run all methods.

    When the data are too short for ``test_periods``, a shorter window is chosen and said
    (``note`` in the report); ``hysteresis`` adds the model with a stable list
    (``model_hysteresis``: a flagged cell stays while it ranks within 5 % + the margin).
    The candidates run side by side on ``workers`` threads, each numeric library on one
    thread: OpenMP threads spin while they wait, and on a busy two-core machine that made the
    trees several times slower."""
    # Imported here so that other wangge commands start without loading scikit-learn.
    from threadpoolctl import threadpool_limits

    from models.cell_backtest import METHODS, compare_methods
    from models.cells import study_cells
    from models.seasons import season_flags

    study = study_cells(
        events,
        cell_size=cell_size,
        period=period,
        test_periods=test_periods,
        area=read_area(area) if area is not None else None,
    )
    n_test = len(study.test_periods)
    info(
        f"{len(events):,} events, {study.events_inside:,} in {study.col.size:,} study cells of "
        f"{cell_size:g} m (EPSG:{study.epsg}); {len(study.starts)} {period}s, "
        f"testing the last {n_test}"
    )
    if study.note:
        info(study.note)
    names = [*METHODS, *(["model_hysteresis"] if hysteresis is not None else [])]
    with progress() as bar:
        tasks = {m: bar.add_task(m, total=n_test, visible=show_progress) for m in names}

        def advance(method: str, done: int) -> None:
            bar.update(tasks[method], completed=done)

        with threadpool_limits(limits=1):
            comparison = compare_methods(
                study.counts,
                col=study.col,
                row=study.row,
                cell_size=cell_size,
                period=period,
                test_periods=study.test_periods,
                seasons=season_flags(study.starts, study.ends),
                model_params=model_params,
                progress=advance,
                hysteresis=hysteresis,
                workers=workers,
            )
    return study.report(comparison)


def report_table(report: dict[str, object]):
    """A rich table of hit rate, PAI and PEI per method, week-to-week Jaccard at 5 % and the
    Brier score of the calibrated probability."""
    from rich.table import Table

    table = Table(title=f"backtest: {report['cell_size']:g} m cells, {report['period']}")
    table.add_column("method")
    for metric in ("hit_rate", "pai", "pei"):
        for share in ("1", "5", "10"):
            table.add_column(f"{metric} {share}%", justify="right")
    table.add_column("jaccard 5%", justify="right")
    table.add_column("brier", justify="right")
    calibration = report.get("calibration") or {}
    for name, block in report["methods"].items():  # type: ignore[union-attr]
        brier = calibration.get(name, {}).get("brier")  # type: ignore[union-attr]
        table.add_row(
            name,
            *[f"{block[m][s]:.3f}" for m in ("hit_rate", "pai", "pei") for s in ("1", "5", "10")],
            f"{report['stability'][name]['5']:.2f}",  # type: ignore[index]
            "" if brier is None else f"{brier:.5f}",
        )
    return table


def register(app: typer.Typer) -> None:
    """Add ``backtest`` to the ``wangge`` command line."""

    @app.command()
    def backtest(
        events: Annotated[Path, typer.Option("--events", help="CSV with lon, lat, time")],
        cell_size: Annotated[float, typer.Option("--cell-size", help="cell side in metres")],
        period: Annotated[str, typer.Option(help="day, week or month")] = "week",
        test_periods: Annotated[
            int, typer.Option("--test-periods", help="how many final periods to test")
        ] = DEFAULT_TEST_PERIODS,
        area: Annotated[
            Path | None,
            typer.Option(help="polygon file: the study area (default: cells with data)"),
        ] = None,
        out: Annotated[Path | None, typer.Option(help="write the JSON report here")] = None,
        hysteresis: Annotated[
            float | None,
            typer.Option(help="also test a stable list: flagged cells stay within 5 % + this"),
        ] = None,
        workers: Annotated[
            int,
            typer.Option(
                help="threads computing the candidates side by side (on a busy two-core "
                "machine 2 was slower than 1)"
            ),
        ] = DEFAULT_WORKERS,
    ) -> None:
        """Rolling-origin backtest of the risk model against five baselines on square cells."""
        if period not in ("day", "week", "month"):
            raise fail(f"--period must be day, week or month, not {period!r}")
        if cell_size <= 0:
            raise fail("--cell-size must be positive")
        if test_periods < 1:
            raise fail("--test-periods must be at least 1")
        if hysteresis is not None and not 0 <= hysteresis < 1:
            raise fail("--hysteresis must be a share in [0, 1), e.g. 0.02")
        if not events.is_file():
            raise fail(f"{events}: no such file")
        if area is not None and not area.is_file():
            raise fail(f"{area}: no such file")
        from models.cells import CellStudyError

        try:
            frame = read_events(events)
            report = run_backtest(
                frame,
                cell_size=cell_size,
                period=period,
                test_periods=test_periods,
                area=area,
                hysteresis=hysteresis,
                workers=max(1, workers),
            )
        except (InputError, CellStudyError) as exc:
            raise fail(str(exc)) from exc
        err_console.print(report_table(report))
        text = json.dumps(report, indent=2, ensure_ascii=False)
        if out is None:
            typer.echo(text)
        else:
            out.write_text(text + "\n", encoding="utf-8")
            info(f"report written to {out}")
