"""Point events on square cells for ``wangge backtest``: cells, study area, counts, test window.

Pure: lon/lat/time rows (and optionally the study area's polygons) in, a count matrix over the
study cells and the test periods out. Points are projected to the UTM zone of their centroid.
Reading the CSV and the polygon file happens in api/cli/backtest.py; the comparison of methods
is models/cell_backtest.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.crs import utm_epsg
from models.panel import count_matrix, make_periods

__all__ = [
    "CellEvents",
    "CellStudy",
    "CellStudyError",
    "cells_inside",
    "choose_test_window",
    "study_cells",
    "to_cells",
]


class CellStudyError(ValueError):
    """The events or the study area leave nothing to test (the message says why)."""


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


@dataclass
class CellStudy:
    """Counts per (period, study cell), the study cells, the calendar and the test periods."""

    counts: np.ndarray
    col: np.ndarray
    row: np.ndarray
    starts: pd.DatetimeIndex
    ends: pd.DatetimeIndex
    test_periods: list[int]
    epsg: int
    cell_size: float
    period: str
    events_inside: int
    note: str | None = None

    def report(self, comparison: dict[str, object]) -> dict[str, object]:
        """The backtest report: this study's description and the comparison of methods
        (the result of models.cell_backtest.compare_methods)."""
        return {
            "cell_size": self.cell_size,
            "period": self.period,
            "study_cells": int(self.col.size),
            "test_periods": [s.date().isoformat() for s in self.starts[self.test_periods]],
            "methods": comparison["methods"],
            "stability": comparison["stability"],
            "calibration": comparison.get("calibration", {}),
            "selection": comparison.get("selection", {}),
            "crs": f"EPSG:{self.epsg}",
            "test_events": comparison["events"],
            "note": self.note,
        }


def to_cells(events: pd.DataFrame, *, cell_size: float, period: str) -> CellEvents:
    """Project ``events`` (lon, lat, time) to the centroid's UTM zone; index cells and periods."""
    from pyproj import Transformer

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


def cells_inside(area, *, epsg: int, cell_size: float) -> tuple[np.ndarray, np.ndarray]:
    """Columns and rows of the cells whose centre lies inside the polygons of ``area`` (a
    GeoSeries or GeoDataFrame with its CRS set)."""
    import shapely

    geom = shapely.union_all(area.to_crs(epsg=epsg).geometry.to_numpy())
    minx, miny, maxx, maxy = geom.bounds
    cols = np.arange(np.floor(minx / cell_size), np.ceil(maxx / cell_size), dtype=np.int64)
    rows = np.arange(np.floor(miny / cell_size), np.ceil(maxy / cell_size), dtype=np.int64)
    cc, rr = np.meshgrid(cols, rows)
    cc, rr = cc.ravel(), rr.ravel()
    inside = shapely.contains_xy(geom, (cc + 0.5) * cell_size, (rr + 0.5) * cell_size)
    return cc[inside], rr[inside]


PERIOD_ZH = {"day": "天", "week": "周", "month": "个月"}


def choose_test_window(n_periods: int, requested: int, period: str) -> tuple[int, str | None]:
    """How many final periods to test, and a sentence when that is not ``requested``.

    The requested window is kept when at least half as many periods come before it; otherwise
    the last third of the periods is tested (at least one), training on the rest. Fewer than
    two periods leave no honest split: refused, saying so.
    """
    if n_periods < 2:
        raise CellStudyError(
            "事件只跨一个周期，无可检验的周期：至少需要两个周期（一个学习、一个检验）"
            "(the events span a single period: nothing to test against; at least two periods "
            "are needed, one to learn from and one to test)"
        )
    if n_periods - requested >= requested / 2:
        return requested, None
    chosen = max(1, n_periods // 3)
    word = PERIOD_ZH[period]
    note = (
        f"数据只有{n_periods}{word}，不足以检验最后{requested}{word}；改为检验最后{chosen}{word}，"
        f"用之前的{n_periods - chosen}{word}学习 (the data span {n_periods} {period}s, too few "
        f"to test the last {requested}: testing the last {chosen} instead, learning from the "
        f"{n_periods - chosen} before them)"
    )
    return chosen, note


def study_cells(
    events: pd.DataFrame,
    *,
    cell_size: float,
    period: str,
    test_periods: int,
    area=None,
) -> CellStudy:
    """Grid the events, choose the study cells and the last ``test_periods`` periods to test.

    The study cells are those inside ``area`` (see :func:`cells_inside`), or else those with an
    event before the test window; events outside the study cells are left out.
    """
    cells = to_cells(events, cell_size=cell_size, period=period)
    n_periods = len(cells.starts)
    n_test, note = choose_test_window(n_periods, test_periods, period)
    first_test = n_periods - n_test
    if area is not None:
        study_col, study_row = cells_inside(area, epsg=cells.epsg, cell_size=cell_size)
    else:
        before = np.unique(cells.cell[cells.period < first_test])
        study_col, study_row = cells.col[before], cells.row[before]
    if study_col.size == 0:
        raise CellStudyError("研究区内没有网格单元 (the study area holds no cells)")
    study_key = pd.MultiIndex.from_arrays([study_col, study_row])
    event_key = pd.MultiIndex.from_arrays([cells.col[cells.cell], cells.row[cells.cell]])
    position = study_key.get_indexer(event_key)
    inside = position >= 0
    counts = count_matrix(
        position[inside], cells.period[inside], n_units=study_col.size, n_periods=n_periods
    )
    return CellStudy(
        counts=counts,
        col=study_col,
        row=study_row,
        starts=cells.starts,
        ends=cells.ends,
        test_periods=list(range(first_test, n_periods)),
        epsg=cells.epsg,
        cell_size=cell_size,
        period=period,
        events_inside=int(inside.sum()),
        note=note,
    )
