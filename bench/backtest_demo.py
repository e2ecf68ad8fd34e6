"""Backtest on the demo county (synthetic data): 770 grids, weekly, the last 52 weeks as test weeks.

    OMP_NUM_THREADS=1 uv run python bench/backtest_demo.py [--seed 623021] [--test-periods 52]

No database: the county comes from ``demo.generate(seed)`` and every dispute is put on its grid
by the generator's truth column ``true_grid_code`` (the service geocodes the intake text and GPS
instead, so this is the backtest of the model, not of geocoding). Each test week is predicted from
earlier weeks only (models.backtest.rolling_origin_backtest). The table is printed twice: flagged
by share of area (grid polygons in UTM 48N) and by share of households, since grids differ in
size; with a budget of area (households) every method except Gi* ranks grids by its score per
km² (per household).

``trees`` is the service's configuration (services/risk.py): gradient boosting with Poisson loss
on the panel of lagged disputes, neighbours, signals, households and season, one-week target,
trained on all weeks from week 8, refit every 4 weeks. ``eb`` and ``sepp`` are local empirical
Bayes and the self-exciting process of models/candidates.py. ``model`` is the selector
(models/selector.py) over all of them, choosing per budget on the 52 weeks before each test week,
with the budget's own sizes (area, households); ``model_hysteresis`` keeps a grid flagged at 5 %
while it stays within 7 %. Nothing was tuned on this county. A third run with equal sizes gives
the calibrated probability of at least one dispute per grid and week (fitted on the weeks before
the test window) and its Brier score.
"""

from __future__ import annotations

import argparse
import sys
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from rich.console import Console
from rich.table import Table
from threadpoolctl import threadpool_limits

from demo import generate
from models.backtest import rolling_origin_backtest, summarise
from models.baselines import (
    gaussian_kernel_weights,
    gistar_forecaster,
    kde_forecaster,
    last_period_forecaster,
    long_run_forecaster,
    prospective_forecaster,
    prospective_weights,
)
from models.candidates import empirical_bayes_forecaster, sepp_forecaster
from models.cell_backtest import BASELINES, CANDIDATES, PROSPECTIVE_BANDWIDTH_M, PROSPECTIVE_WINDOW
from models.forecast import RiskForecaster
from models.seasons import season_flags
from models.selector import Remembered, SelectingForecaster
from models.spatial import row_normalise
from models.stability import HysteresisForecaster

METRIC_CRS = "EPSG:32648"
TZ = "Asia/Shanghai"


def weekly_counts(times: pd.Series, units: np.ndarray, first: pd.Timestamp, n_units: int, n: int):
    """(weeks, units) counts of events from Monday ``first``; events past week n-1 are dropped."""
    local = pd.to_datetime(times, utc=True).dt.tz_convert(TZ).dt.tz_localize(None)
    week = ((local - first) // pd.Timedelta(days=7)).to_numpy()
    keep = (week >= 0) & (week < n) & (units >= 0)
    out = np.zeros((n, n_units))
    np.add.at(out, (week[keep], units[keep]), 1.0)
    return out


def grid_inputs(seed: int):
    """Counts (weeks, grids), signals, area, households, adjacency, centroids, seasons."""
    county = generate(seed=seed)
    grids = county.grids.to_crs(METRIC_CRS).reset_index(drop=True)
    position = {code: i for i, code in enumerate(grids["code"])}
    disputes, signals = county.disputes, county.signals
    local = pd.to_datetime(disputes["reported_at"], utc=True).dt.tz_convert(TZ).dt.tz_localize(None)
    first = local.min().normalize() - pd.Timedelta(days=local.min().weekday())
    last_day = local.max().normalize()
    n_weeks = int((last_day - first).days // 7)  # whole weeks only: the last partial one is cut
    d_unit = disputes["true_grid_code"].map(position).fillna(-1).astype(int).to_numpy()
    s_unit = signals["true_grid_code"].map(position).fillna(-1).astype(int).to_numpy()
    counts = weekly_counts(disputes["reported_at"], d_unit, first, len(grids), n_weeks)
    signal_counts = weekly_counts(signals["observed_at"], s_unit, first, len(grids), n_weeks)
    pairs = gpd.sjoin(grids[["geometry"]], grids[["geometry"]], predicate="intersects")
    pairs = pairs[pairs.index != pairs["index_right"]]
    n = len(grids)
    adjacency = sp.csr_matrix(
        (np.ones(len(pairs)), (pairs.index.to_numpy(), pairs["index_right"].to_numpy())),
        shape=(n, n),
    )
    centroids = grids.geometry.centroid
    starts = pd.DatetimeIndex([first + pd.Timedelta(days=7 * k) for k in range(n_weeks)])
    return {
        "counts": counts,
        "signals": signal_counts,
        "area": grids.geometry.area.to_numpy(),
        "households": grids["households"].astype(float).to_numpy(),
        "attributes": grids[["households", "population"]].astype(float).reset_index(drop=True),
        "adjacency": adjacency,
        "x": centroids.x.to_numpy(),
        "y": centroids.y.to_numpy(),
        "seasons": season_flags(starts, starts + pd.Timedelta(days=7)),
        "first": first,
        "dropped": int((d_unit < 0).sum()),
        "total": len(disputes),
    }


def forecasters(data: dict, random_state: int = 0) -> dict:
    """The trees, eb, sepp and the five baselines of models.cell_backtest, on grid centroids."""
    x, y = data["x"], data["y"]
    # Grids are not square cells: a typical grid width is the median distance to the nearest
    # grid centroid, used where the cell methods use the cell size.
    nearest = np.sort(np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]), axis=1)[:, 1]
    width = float(np.median(nearest))
    prospective_bandwidth = max(PROSPECTIVE_BANDWIDTH_M, 1.5 * width)
    smoothing = row_normalise(gaussian_kernel_weights(x, y, bandwidth=2.0 * width))
    kernel = gaussian_kernel_weights(x, y, bandwidth=width)
    return {
        "trees": RiskForecaster(
            signal_counts=data["signals"],
            adjacency=data["adjacency"],
            smoothing=smoothing,
            seasons=data["seasons"],
            unit_attributes=data["attributes"],
            refit_every=4,
            train_periods=156,
            min_history=8,
            target_horizon=1,
            random_state=random_state,
        ),
        "last_period": last_period_forecaster(),
        "long_run": long_run_forecaster(),
        "kde": kde_forecaster(gaussian_kernel_weights(x, y, bandwidth=width)),
        "prospective": prospective_forecaster(
            prospective_weights(x, y, cell_size=width, bandwidth=prospective_bandwidth),
            PROSPECTIVE_WINDOW["week"],
        ),
        "gistar": gistar_forecaster(data["adjacency"]),
        "eb": empirical_bayes_forecaster(kernel, half_life=52),
        "sepp": sepp_forecaster(kernel, fit_periods=104, refit_every=13),
    }, width


def with_model(candidates: dict, sizes: np.ndarray | None) -> dict:
    """The selector over ``candidates`` for this budget, its hysteresis twin, and the rest."""
    model = Remembered(
        SelectingForecaster({n: candidates[n] for n in CANDIDATES}, window=52, sizes=sizes)
    )
    stable = HysteresisForecaster(model, share=0.05, margin=0.02, sizes=sizes)
    return {"model": model, **candidates, "model_hysteresis": stable}


def per_size(forecast, sizes: np.ndarray):
    """Rank by score per unit of size: with a budget of area (households) the most disputes are
    caught by flagging the highest expected disputes per km² (per household), not per grid."""

    def wrapped(past: np.ndarray, t: int) -> np.ndarray:
        return forecast(past, t) / sizes

    return wrapped


def table(title: str, summary: dict) -> Table:
    """Hit rate / PAI / PEI at 1, 5, 10 % and the week-to-week Jaccard at 5 %."""
    out = Table(title=title)
    out.add_column("method")
    for metric in ("hit", "PAI", "PEI"):
        for share in ("1", "5", "10"):
            out.add_column(f"{metric}@{share}%", justify="right")
    out.add_column("Jaccard@5%", justify="right")
    for name, block in summary.items():
        cells = [f"{block['hit_rate'][s]:.3f}" for s in ("1", "5", "10")]
        cells += [f"{block['pai'][s]:.2f}" for s in ("1", "5", "10")]
        cells += [f"{block['pei'][s]:.2f}" for s in ("1", "5", "10")]
        out.add_row(name, *cells, f"{block['jaccard']['5']:.2f}")
    return out


def ratios(label: str, summary: dict) -> None:
    """The model's PAI against the best baseline at each share."""
    for share in ("1", "5", "10"):
        best = max(BASELINES, key=lambda m: summary[m]["pai"][share])
        model_pai, best_pai = summary["model"]["pai"][share], summary[best]["pai"][share]
        print(
            f"  by {label}, PAI at {share:>2}%: model {model_pai:.2f}, best baseline {best} "
            f"{best_pai:.2f}, ratio {model_pai / best_pai:.3f}"
            f"; with hysteresis {summary['model_hysteresis']['pai'][share]:.2f}"
        )


def main() -> None:
    """Run both backtests (by area, by households) and print the tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=623021)
    parser.add_argument("--test-periods", type=int, default=52)
    args = parser.parse_args()
    started, cpu_started = time.perf_counter(), time.process_time()
    data = grid_inputs(args.seed)
    counts = data["counts"]
    n_weeks = counts.shape[0]
    test = list(range(n_weeks - args.test_periods, n_weeks))
    print(
        f"Demo county (SYNTHETIC, demo.generate(seed={args.seed})): {counts.shape[1]} grids, "
        f"{n_weeks} whole weeks from {data['first'].date()}, {int(counts.sum())} of "
        f"{data['total']} disputes (the rest fall in the unfinished last week) put on grids by "
        f"the truth column true_grid_code; test weeks "
        f"{test[0]}-{test[-1]} ({int(counts[test].sum())} disputes), each from earlier weeks only"
    )
    console = Console(file=sys.stdout, width=160)
    raw, width = forecasters(data)
    raw = {name: Remembered(forecast) for name, forecast in raw.items()}
    with threadpool_limits(limits=1):
        for label, sizes in (("area", data["area"]), ("households", data["households"])):
            # Gi* z-scores are a test statistic, not an intensity: ranked as they are.
            ranked = {n: f if n == "gistar" else per_size(f, sizes) for n, f in raw.items()}
            result = rolling_origin_backtest(counts, test, with_model(ranked, sizes), sizes=sizes)
            summary = summarise(result)
            console.print(table(f"Demo county (synthetic), flagged by share of {label}", summary))
            ratios(label, summary)
        calibration = list(range(max(1, test[0] - 52), test[0]))
        result = rolling_origin_backtest(
            counts, test, with_model(raw, None), calibration_periods=calibration
        )
    reference = result.calibration["long_run"]["brier"]
    print(f"calibrated P(at least one dispute) per grid and week, fitted on weeks "
          f"{calibration[0]}-{calibration[-1]}; Brier (skill against long_run):")  # fmt: skip
    for name, block in result.calibration.items():
        print(f"  {name:<16} {block['brier']:.5f} ({1 - block['brier'] / reference:+.3f})")
    print(f"  model bins [predicted, observed, n]: {result.calibration['model']['bins']}")
    print(f"typical grid width (median nearest-centroid distance) {width:.0f} m")
    print(
        f"wall {time.perf_counter() - started:.0f} s, "
        f"CPU {time.process_time() - cpu_started:.0f} s (one thread)"
    )


if __name__ == "__main__":
    main()
