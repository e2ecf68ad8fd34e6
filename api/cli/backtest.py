"""``wangge backtest``: the risk model against baselines on any lon/lat/time CSV, no database.

Points are projected to the UTM zone of their centroid and counted on square cells; see DESIGN.md
for the options and the report. The analysis itself lives in models/cell_backtest.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer

from api.cli.common import err_console, fail, info, progress
from core.crs import looks_swapped, utm_epsg

DEFAULT_TEST_PERIODS = 104


class InputError(ValueError):
    """The events file cannot be used as given (the message names the row and field)."""


@dataclass
class CellEvents:
    """Events on square cells: per-event cell and period, the cell list and the period calendar."""

    cell: np.ndarray  # index into col/row for each event
    period: np.ndarray
    col: np.ndarray
    row: np.ndarray
    starts: pd.DatetimeIndex
    ends: pd.DatetimeIndex
    epsg: int


def read_events(path: Path) -> pd.DataFrame:
    """Read lon, lat, time from a CSV (other columns ignored), refusing bad rows by number."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read as CSV ({exc})") from exc
    frame.columns = [c.strip().lstrip("\ufeff").lower() for c in frame.columns]
    missing = [c for c in ("lon", "lat", "time") if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}; need lon, lat, time")
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
            raise InputError(f"{path}: row {rows}{more}: field {field} is empty or not valid")
    if looks_swapped(out["lon"], out["lat"]):
        raise InputError(
            f"{path}: lon and lat look swapped (latitudes beyond ±90); fix the columns"
        )
    bad = np.nonzero(((out["lon"].abs() > 180) | (out["lat"].abs() > 90)).to_numpy())[0]
    if bad.size:
        raise InputError(f"{path}: row {bad[0] + 2}: lon/lat out of range")
    if out.empty:
        raise InputError(f"{path}: no events")
    return out


def to_cells(events: pd.DataFrame, *, cell_size: float, period: str) -> CellEvents:
    """Project to the centroid's UTM zone and index square cells and periods."""
    from pyproj import Transformer

    from models.panel import make_periods

    epsg = utm_epsg(float(events["lon"].mean()), float(events["lat"].mean()))
    transformer = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    x, y = transformer.transform(events["lon"].to_numpy(), events["lat"].to_numpy())
    col = np.floor(np.asarray(x) / cell_size).astype(np.int64)
    row = np.floor(np.asarray(y) / cell_size).astype(np.int64)
    keys, cell = np.unique(np.column_stack([col, row]), axis=0, return_inverse=True)
    index, starts, ends = make_periods(events["time"], period)
    return CellEvents(
        cell=cell.ravel(),
        period=index,
        col=keys[:, 0],
        row=keys[:, 1],
        starts=starts,
        ends=ends,
        epsg=epsg,
    )


def cells_inside(area: Path, *, epsg: int, cell_size: float) -> tuple[np.ndarray, np.ndarray]:
    """Columns and rows of the cells whose centre lies inside the polygons of ``area``."""
    import geopandas as gpd
    import shapely

    shapes = gpd.read_file(area)
    if shapes.crs is None:
        shapes = shapes.set_crs("EPSG:4326")
    geom = shapely.union_all(shapes.to_crs(epsg=epsg).geometry.to_numpy())
    minx, miny, maxx, maxy = geom.bounds
    cols = np.arange(np.floor(minx / cell_size), np.ceil(maxx / cell_size), dtype=np.int64)
    rows = np.arange(np.floor(miny / cell_size), np.ceil(maxy / cell_size), dtype=np.int64)
    cc, rr = np.meshgrid(cols, rows)
    cc, rr = cc.ravel(), rr.ravel()
    inside = shapely.contains_xy(geom, (cc + 0.5) * cell_size, (rr + 0.5) * cell_size)
    return cc[inside], rr[inside]


def run_backtest(
    events: pd.DataFrame,
    *,
    cell_size: float,
    period: str = "week",
    test_periods: int = DEFAULT_TEST_PERIODS,
    area: Path | None = None,
    model_params: dict | None = None,
    show_progress: bool = True,
) -> dict[str, object]:
    """Grid the events, choose the study cells and the test window, run all methods."""
    # Imported here so that other wangge commands start without loading scikit-learn.
    from models.cell_backtest import METHODS, compare_methods
    from models.panel import count_matrix
    from models.seasons import season_flags

    cells = to_cells(events, cell_size=cell_size, period=period)
    n_periods = len(cells.starts)
    n_test = min(test_periods, n_periods - 1)
    if n_test < 1:
        raise InputError("the events span a single period: nothing to test against")
    first_test = n_periods - n_test
    if area is not None:
        study_col, study_row = cells_inside(area, epsg=cells.epsg, cell_size=cell_size)
    else:
        before = np.unique(cells.cell[cells.period < first_test])
        study_col, study_row = cells.col[before], cells.row[before]
    if study_col.size == 0:
        raise InputError("the study area holds no cells")
    # Map each event's cell onto the study cells; events outside the study area are left out.
    study_key = pd.MultiIndex.from_arrays([study_col, study_row])
    event_key = pd.MultiIndex.from_arrays([cells.col[cells.cell], cells.row[cells.cell]])
    position = study_key.get_indexer(event_key)
    inside = position >= 0
    counts = count_matrix(
        position[inside], cells.period[inside], n_units=study_col.size, n_periods=n_periods
    )
    tests = list(range(first_test, n_periods))
    info(
        f"{len(events):,} events, {inside.sum():,} in {study_col.size:,} study cells of "
        f"{cell_size:g} m (EPSG:{cells.epsg}); {n_periods} {period}s, testing the last {n_test}"
    )
    with progress() as bar:
        tasks = {m: bar.add_task(m, total=n_test, visible=show_progress) for m in METHODS}

        def advance(method: str, done: int) -> None:
            bar.update(tasks[method], completed=done)

        result = compare_methods(
            counts,
            col=study_col,
            row=study_row,
            cell_size=cell_size,
            period=period,
            test_periods=tests,
            seasons=season_flags(cells.starts, cells.ends),
            model_params=model_params,
            progress=advance,
        )
    return {
        "cell_size": cell_size,
        "period": period,
        "study_cells": int(study_col.size),
        "test_periods": [s.date().isoformat() for s in cells.starts[tests]],
        "methods": result["methods"],
        "stability": result["stability"],
        "crs": f"EPSG:{cells.epsg}",
        "test_events": result["events"],
    }


def report_table(report: dict[str, object]):
    """A rich table of hit rate, PAI and PEI per method."""
    from rich.table import Table

    table = Table(title=f"backtest: {report['cell_size']:g} m cells, {report['period']}")
    table.add_column("method")
    for metric in ("hit_rate", "pai", "pei"):
        for share in ("1", "5", "10"):
            table.add_column(f"{metric} {share}%", justify="right")
    for name, block in report["methods"].items():  # type: ignore[union-attr]
        table.add_row(
            name,
            *[f"{block[m][s]:.3f}" for m in ("hit_rate", "pai", "pei") for s in ("1", "5", "10")],
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
    ) -> None:
        """Rolling-origin backtest of the risk model against five baselines on square cells."""
        if period not in ("day", "week", "month"):
            raise fail(f"--period must be day, week or month, not {period!r}")
        if cell_size <= 0:
            raise fail("--cell-size must be positive")
        if test_periods < 1:
            raise fail("--test-periods must be at least 1")
        if not events.is_file():
            raise fail(f"{events}: no such file")
        if area is not None and not area.is_file():
            raise fail(f"{area}: no such file")
        try:
            frame = read_events(events)
            report = run_backtest(
                frame, cell_size=cell_size, period=period, test_periods=test_periods, area=area
            )
        except InputError as exc:
            raise fail(str(exc)) from exc
        err_console.print(report_table(report))
        text = json.dumps(report, indent=2, ensure_ascii=False)
        if out is None:
            typer.echo(text)
        else:
            out.write_text(text + "\n", encoding="utf-8")
            info(f"report written to {out}")
