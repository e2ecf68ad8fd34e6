"""The unit × period feature panel for the risk model (pure: arrays and DataFrames in and out).

A row (t, u) describes unit u at the *start* of period t and is built from periods < t only: the
count matrix is cut at the last requested period before anything is computed, and every feature of
period t reads cumulative sums or recursions that stop at t - 1. The target of the row is the count
in period t itself. Near-repeat terms follow Johnson & Bowers (2004), "The burglary as a clue to the
future", European Journal of Criminology 1(2): risk next door rises for a few weeks after an event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from core.cases import deadline_passed
from models.seasons import season_flags

__all__ = [
    "LAGS",
    "PanelInputs",
    "assign_periods",
    "build_features",
    "build_panel",
    "count_matrix",
    "make_periods",
    "open_case_matrices",
    "panel_inputs",
    "periods_through",
]

LAGS: tuple[int, ...] = (1, 2, 4, 8, 13, 26, 52)
CATEGORY_LAGS: tuple[int, ...] = (4, 13, 52)
SIGNAL_LAGS: tuple[int, ...] = (1, 4, 13)
HALF_LIVES: tuple[int, ...] = (1, 4, 13, 52, 156)
_SINCE_CAP = 260.0

RowSelector = Callable[[int, np.ndarray | None], np.ndarray | None]
"""Given period t and its targets (or None), return the unit indices to keep (None keeps all)."""


def make_periods(
    times: pd.Series | pd.DatetimeIndex, period: str
) -> tuple[np.ndarray, pd.DatetimeIndex, pd.DatetimeIndex]:
    """Period number of each time (0 = the first period with data), and period starts and ends.

    Weeks start on Monday; months on the first. Ends are exclusive.
    """
    stamps = pd.DatetimeIndex(pd.to_datetime(times))
    if period == "day":
        first = stamps.min().normalize()
        index = ((stamps.normalize() - first) // pd.Timedelta(days=1)).to_numpy()
        starts = pd.date_range(first, periods=int(index.max()) + 1, freq="D")
        ends = starts + pd.Timedelta(days=1)
    elif period == "week":
        first = (stamps.min() - pd.Timedelta(days=stamps.min().weekday())).normalize()
        index = ((stamps.normalize() - first) // pd.Timedelta(days=7)).to_numpy()
        starts = pd.date_range(first, periods=int(index.max()) + 1, freq="7D")
        ends = starts + pd.Timedelta(days=7)
    elif period == "month":
        months = stamps.year.to_numpy() * 12 + stamps.month.to_numpy() - 1
        index = months - months.min()
        first = pd.Timestamp(year=int(stamps.min().year), month=int(stamps.min().month), day=1)
        starts = pd.date_range(first, periods=int(index.max()) + 1, freq="MS")
        ends = starts + pd.offsets.MonthBegin(1)
    else:
        raise ValueError(f"period must be day, week or month, got {period!r}")
    return np.asarray(index, dtype=np.int64), starts, pd.DatetimeIndex(ends)


def assign_periods(
    times: pd.Series | pd.DatetimeIndex, starts: pd.DatetimeIndex, ends: pd.DatetimeIndex
) -> np.ndarray:
    """Index of the period (given by ``starts``/``ends``) holding each time; -1 outside them."""
    values = pd.DatetimeIndex(times).to_numpy()
    index = np.searchsorted(starts.to_numpy(), values, side="right") - 1
    outside = (index < 0) | (values >= ends.to_numpy()[-1])
    return np.where(outside, -1, index).astype(np.int64)


def open_case_matrices(
    unit: np.ndarray,
    reported: np.ndarray,
    closed: np.ndarray,
    deadline: np.ndarray,
    ends: np.ndarray,
    n_units: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Cases open, and open past their deadline, at the end of each period: two (periods, units).

    All times are datetime64 on one clock; a missing ``closed`` means still open, a missing
    ``deadline`` means none.
    """
    open_cases = np.zeros((len(ends), n_units), dtype=np.float32)
    overdue = np.zeros((len(ends), n_units), dtype=np.float32)
    for t, end in enumerate(ends):
        is_open = (reported < end) & (np.isnat(closed) | (closed >= end))
        np.add.at(open_cases[t], unit[is_open], 1.0)
        late = is_open & deadline_passed(deadline, end)
        np.add.at(overdue[t], unit[late], 1.0)
    return open_cases, overdue


def count_matrix(
    unit: np.ndarray,
    period: np.ndarray,
    *,
    n_units: int,
    n_periods: int,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    """Counts (or summed weights) as a dense float32 array of shape (n_periods, n_units)."""
    unit = np.asarray(unit, dtype=np.int64)
    period = np.asarray(period, dtype=np.int64)
    flat = period * n_units + unit
    out = np.bincount(flat, weights=weight, minlength=n_periods * n_units)
    return out.reshape(n_periods, n_units).astype(np.float32)


@dataclass
class PanelInputs:
    """Everything the panel is built from, as arrays over (period, unit) or (unit,).

    counts: the target events, (T, N). category_counts: the same events split by category.
    signal_counts: risk signals, (T, N). open_cases / overdue_cases: cases open / overdue at the
    *end* of each period, (T, N). adjacency: binary contiguity (N, N), no self. smoothing: optional
    kernel weights (N, N) for multi-scale smoothed counts. unit_attributes: N rows (households,
    residents, distance to facilities, ...). seasons: one row per period (see models.seasons).
    """

    counts: np.ndarray
    adjacency: sp.spmatrix | None = None
    smoothing: sp.spmatrix | None = None
    category_counts: Mapping[str, np.ndarray] | None = None
    signal_counts: np.ndarray | None = None
    open_cases: np.ndarray | None = None
    overdue_cases: np.ndarray | None = None
    unit_attributes: pd.DataFrame | None = None
    seasons: pd.DataFrame | None = None


class _History:
    """Window sums, decayed sums and time since the last event of a (T, N) array, at period t,
    from rows < t only. Many periods: cumulative sums and recursions computed once. A few periods
    (scoring): direct sums over the rows before t, which is cheaper than the full recursions."""

    def __init__(self, counts: np.ndarray, periods: Sequence[int], *, with_decay: bool) -> None:
        self.counts = counts
        self.direct = len(periods) <= 4
        self.cum: np.ndarray | None = None
        self.decays: dict[int, np.ndarray] = {}
        self.since_rows: np.ndarray | None = None
        if not self.direct:
            self.cum = np.zeros((counts.shape[0] + 1, counts.shape[1]), dtype=np.float64)
            np.cumsum(counts, axis=0, out=self.cum[1:])
            if with_decay:
                self.decays = {h: self._decay_rows(h) for h in HALF_LIVES}
                self.since_rows = self._since_rows()

    def _decay_rows(self, half_life: float) -> np.ndarray:
        factor = np.float32(0.5 ** (1.0 / half_life))
        out = np.zeros((self.counts.shape[0] + 1, self.counts.shape[1]), dtype=np.float32)
        for t in range(1, out.shape[0]):
            out[t] = factor * out[t - 1] + self.counts[t - 1]
        return out

    def _since_rows(self) -> np.ndarray:
        out = np.full((self.counts.shape[0] + 1, self.counts.shape[1]), _SINCE_CAP, np.float32)
        for t in range(1, out.shape[0]):
            out[t] = np.where(self.counts[t - 1] > 0, 1.0, np.minimum(out[t - 1] + 1.0, _SINCE_CAP))
        return out

    def window(self, t: int, k: int) -> np.ndarray:
        """Sum over periods [t - k, t - 1]."""
        if self.cum is None:
            return self.counts[max(t - k, 0) : t].sum(axis=0, dtype=np.float64).astype(np.float32)
        return (self.cum[t] - self.cum[max(t - k, 0)]).astype(np.float32)

    def total(self, t: int) -> np.ndarray:
        """Sum over all periods before t."""
        return self.window(t, t)

    def decayed(self, t: int, half_life: int) -> np.ndarray:
        """Sum over s < t of counts[s] * 0.5 ** ((t - 1 - s) / half_life)."""
        if half_life in self.decays:
            return self.decays[half_life][t]
        ages = np.arange(t)[::-1]
        weights = (0.5 ** (ages / half_life)).astype(np.float32)
        return (weights @ self.counts[:t]).astype(np.float32)

    def since_last(self, t: int) -> np.ndarray:
        """Periods since the latest event before t (1 = last period), capped."""
        if self.since_rows is not None:
            return self.since_rows[t]
        recent = self.counts[max(t - int(_SINCE_CAP), 0) : t][::-1] > 0
        found = recent.any(axis=0)
        return np.where(found, recent.argmax(axis=0) + 1.0, _SINCE_CAP).astype(np.float32)


def build_features(
    inputs: PanelInputs,
    periods: Sequence[int],
    *,
    lags: Sequence[int] = LAGS,
    select_rows: RowSelector | None = None,
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Feature rows for the given periods, and their targets (None when a period has no count yet).

    Returns a DataFrame with columns ``period``, ``unit`` and the features, and the target vector
    aligned with it (counts in period t), or None if any requested period lies past the data.
    """
    periods = [int(t) for t in periods]
    if not periods:
        raise ValueError("no periods requested")
    horizon = max(periods)
    full = np.asarray(inputs.counts, dtype=np.float32)
    n_units = full.shape[1]
    # Cut every time-varying input at the horizon: nothing at or after it can reach a feature.
    past = full[:horizon]
    history = _History(past, periods, with_decay=True)
    categories = {
        name: _History(np.asarray(c, np.float32)[:horizon], periods, with_decay=False)
        for name, c in (inputs.category_counts or {}).items()
    }
    signals = None
    if inputs.signal_counts is not None:
        signals = _History(
            np.asarray(inputs.signal_counts, np.float32)[:horizon], periods, with_decay=False
        )
    adjacency = sp.csr_matrix(inputs.adjacency) if inputs.adjacency is not None else None
    smoothing = sp.csr_matrix(inputs.smoothing) if inputs.smoothing is not None else None
    attributes = inputs.unit_attributes
    if attributes is not None and len(attributes) != n_units:
        raise ValueError(f"unit_attributes has {len(attributes)} rows for {n_units} units")

    has_targets = horizon < full.shape[0]
    frames: list[pd.DataFrame] = []
    targets: list[np.ndarray] = []
    for t in periods:
        target = full[t] if t < full.shape[0] else None
        rows = select_rows(t, target) if select_rows is not None else None
        cols: dict[str, np.ndarray] = {}
        for k in lags:
            cols[f"lag{k}"] = history.window(t, k)
        cols["long_run_rate"] = (history.total(t) / max(t, 1)).astype(np.float32)
        for h in HALF_LIVES:
            cols[f"decay{h}"] = history.decayed(t, h)
        cols["since_last"] = history.since_last(t)
        cols["trend13"] = 2 * history.window(t, 13) - history.window(t, 26)
        total_recent = float(history.window(t, 4).sum())
        cols["area_lag4_mean"] = np.full(n_units, total_recent / n_units, np.float32)
        lag52 = history.window(t, 52)
        cols["lag52_share"] = lag52 * (n_units / max(float(lag52.sum()), 1.0))
        if adjacency is not None:
            for name in ("lag1", "lag4", "lag13", "lag52", "long_run_rate", "decay1"):
                cols[f"nb_{name}"] = (adjacency @ cols[name]).astype(np.float32)
            cols["nb_trend13"] = (adjacency @ cols["trend13"]).astype(np.float32)
        if smoothing is not None:
            for name in ("lag13", "lag52", "long_run_rate", "decay4", "decay156"):
                cols[f"smooth_{name}"] = (smoothing @ cols[name]).astype(np.float32)
        for name, cat_history in categories.items():
            for k in CATEGORY_LAGS:
                cols[f"cat_{name}_lag{k}"] = cat_history.window(t, k)
        if signals is not None:
            for k in SIGNAL_LAGS:
                cols[f"sig_lag{k}"] = signals.window(t, k)
            if adjacency is not None:
                cols["nb_sig_lag4"] = (adjacency @ cols["sig_lag4"]).astype(np.float32)
        for name, state in (
            ("open_cases", inputs.open_cases),
            ("overdue_cases", inputs.overdue_cases),
        ):
            if state is not None:
                # Cases open at the end of period t - 1 are known when period t starts.
                cols[name] = (
                    np.asarray(state[t - 1], np.float32) if t > 0 else np.zeros(n_units, np.float32)
                )
        if inputs.seasons is not None:
            for name in inputs.seasons.columns:
                cols[name] = np.full(n_units, inputs.seasons[name].iloc[t], dtype=np.float32)
        if attributes is not None:
            for name in attributes.columns:
                cols[name] = attributes[name].to_numpy(dtype=np.float32)
        frame = pd.DataFrame(cols)
        frame.insert(0, "unit", np.arange(n_units, dtype=np.int64))
        frame.insert(0, "period", np.full(n_units, t, dtype=np.int64))
        if rows is not None:
            frame = frame.iloc[rows]
        frames.append(frame)
        if target is not None:
            targets.append(target if rows is None else target[rows])
    features = pd.concat(frames, ignore_index=True)
    y = np.concatenate(targets).astype(np.float64) if has_targets else None
    return features, y


def periods_through(
    times: pd.Series, period: str, as_of: pd.Timestamp
) -> tuple[np.ndarray, pd.DatetimeIndex, pd.DatetimeIndex, int]:
    """Period of each time, period starts and ends running through ``as_of``, and the period
    holding ``as_of`` (all naive times on one clock)."""
    stamps = pd.concat([pd.Series(times), pd.Series([as_of])], ignore_index=True)
    index, starts, ends = make_periods(stamps, period)
    return index[:-1], starts, ends, int(index[-1])


def panel_inputs(
    events: pd.DataFrame,
    *,
    n_units: int,
    period_starts: pd.DatetimeIndex,
    period_ends: pd.DatetimeIndex,
    adjacency: sp.spmatrix | None = None,
    unit_attributes: pd.DataFrame | None = None,
    signals: pd.DataFrame | None = None,
    open_cases: np.ndarray | None = None,
    overdue_cases: np.ndarray | None = None,
    smoothing: sp.spmatrix | None = None,
) -> PanelInputs:
    """The panel's arrays from event rows: ``events`` has ``unit`` (0..n_units-1), ``period``
    (index into ``period_starts``) and optionally ``category``; ``signals`` has ``unit`` and
    ``period``. Seasons come from the period calendar."""
    n_periods = len(period_starts)

    def counts_of(rows: pd.DataFrame) -> np.ndarray:
        return count_matrix(
            rows["unit"].to_numpy(), rows["period"].to_numpy(), n_units=n_units, n_periods=n_periods
        )

    counts = counts_of(events)
    category_counts = None
    if "category" in events.columns:
        category_counts = {
            str(name): counts_of(group) for name, group in events.groupby("category", sort=True)
        }
    signal_counts = counts_of(signals) if signals is not None else None
    return PanelInputs(
        counts=counts,
        adjacency=adjacency,
        smoothing=smoothing,
        category_counts=category_counts,
        signal_counts=signal_counts,
        open_cases=open_cases,
        overdue_cases=overdue_cases,
        unit_attributes=unit_attributes,
        seasons=season_flags(period_starts, period_ends),
    )


def build_panel(
    events: pd.DataFrame,
    *,
    n_units: int,
    period_starts: pd.DatetimeIndex,
    period_ends: pd.DatetimeIndex,
    periods: Sequence[int],
    adjacency: sp.spmatrix | None = None,
    unit_attributes: pd.DataFrame | None = None,
    signals: pd.DataFrame | None = None,
    open_cases: np.ndarray | None = None,
    overdue_cases: np.ndarray | None = None,
    smoothing: sp.spmatrix | None = None,
    select_rows: RowSelector | None = None,
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """Panel from event rows (see :func:`panel_inputs` for ``events`` and ``signals``).
    See :func:`build_features` for the columns and the no-future rule."""
    inputs = panel_inputs(
        events,
        n_units=n_units,
        period_starts=period_starts,
        period_ends=period_ends,
        adjacency=adjacency,
        unit_attributes=unit_attributes,
        signals=signals,
        open_cases=open_cases,
        overdue_cases=overdue_cases,
        smoothing=smoothing,
    )
    return build_features(inputs, periods, select_rows=select_rows)
