"""The comparison behind ``wangge backtest``: the risk model against five baselines on cells.

``model`` is the selector (models/selector.py): every baseline, local empirical Bayes (``eb``),
a self-exciting process (``sepp``) and the gradient-boosted trees (``trees``) are candidates, and
for each period and budget the one that caught most events on the validation periods just before
it flags that budget's grids. Each candidate is also reported on its own.

Pure: counts per (period, cell) and the cell geometry (integer column/row, centroids in metres) in,
the report dictionary out. Gridding the points is models/cells.py; reading files happens in
api/cli/backtest.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from models.backtest import DEFAULT_SHARES, Forecaster, rolling_origin_backtest, summarise
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
from models.forecast import RiskForecaster
from models.parallel_scores import fill_scores
from models.selector import Remembered, SelectingForecaster
from models.spatial import grid_adjacency, row_normalise
from models.stability import HysteresisForecaster

__all__ = [
    "BASELINES",
    "CANDIDATES",
    "METHODS",
    "PER_YEAR",
    "PROSPECTIVE_WINDOW",
    "calibration_periods",
    "cell_forecasters",
    "compare_methods",
]

# The simple maps the model must never lose to, and the candidates the selector chooses among
# (simpler first: a later one must beat an earlier one by 1 % on validation to be chosen).
BASELINES = ("last_period", "long_run", "kde", "prospective", "gistar")
CANDIDATES = ("long_run", "kde", "gistar", "prospective", "last_period", "eb", "sepp", "trees")
METHODS = ("model", "trees", "eb", "sepp", *BASELINES)
PER_YEAR = {"day": 365, "week": 52, "month": 12}

# Bowers et al. (2004) looked two months back; the same span in each period length.
PROSPECTIVE_WINDOW = {"day": 61, "week": 8, "month": 2}
PROSPECTIVE_BANDWIDTH_M = 400.0
# Retrospective KDE bandwidth in cell widths (Chainey et al. 2008 tie it to the cell size).
KDE_BANDWIDTH_CELLS = 1.0
# The model's settings for the cell comparison. Chosen on NYC shootings with the 52 weeks *before*
# the test window as validation (never the test weeks): the 26-period smoothed target beat the
# one-period target; the blend weight of the long-run intensity that validation favoured at 5 % of
# area was 0.9-1.0 (the trees add little to a stable pattern), 0.75 at 1 %; 0.9 keeps both.
MODEL_DEFAULTS: dict[str, object] = {
    "zero_keep": 0.1,
    "max_iter": 100,
    "learning_rate": 0.1,
    "blend": 0.9,
}


def calibration_periods(test_periods: Sequence[int], period: str) -> list[int]:
    """The periods just before the test window (up to a year) on which probabilities are fitted."""
    first = min(test_periods)
    return list(range(max(1, first - PER_YEAR[period]), first))


def cell_forecasters(
    *,
    col: np.ndarray,
    row: np.ndarray,
    cell_size: float,
    period: str,
    seasons: pd.DataFrame | None = None,
    model_params: Mapping[str, object] | None = None,
    random_state: int = 0,
    hysteresis: float | None = None,
) -> dict[str, Forecaster]:
    """The forecasters of the report, in the order of :data:`METHODS` (plus
    ``model_hysteresis`` when a ``hysteresis`` margin is given)."""
    x = (np.asarray(col) + 0.5) * cell_size
    y = (np.asarray(row) + 0.5) * cell_size
    adjacency = grid_adjacency(col, row, queen=True)
    kde_kernel = gaussian_kernel_weights(x, y, bandwidth=KDE_BANDWIDTH_CELLS * cell_size)
    smoothing = row_normalise(gaussian_kernel_weights(x, y, bandwidth=2.0 * cell_size))
    bandwidth = max(PROSPECTIVE_BANDWIDTH_M, cell_size * 1.5)
    per_year = PER_YEAR[period]
    params = {**MODEL_DEFAULTS, **(model_params or {})}
    simple: dict[str, Forecaster] = {
        "last_period": last_period_forecaster(),
        "long_run": long_run_forecaster(),
        "kde": kde_forecaster(kde_kernel),
        "prospective": prospective_forecaster(
            prospective_weights(x, y, cell_size=cell_size, bandwidth=bandwidth),
            PROSPECTIVE_WINDOW[period],
        ),
        "gistar": gistar_forecaster(adjacency),
        "eb": empirical_bayes_forecaster(kde_kernel, half_life=per_year),
        "sepp": sepp_forecaster(
            kde_kernel, fit_periods=2 * per_year, refit_every=max(1, per_year // 4)
        ),
        "trees": RiskForecaster(
            adjacency=adjacency,
            smoothing=smoothing,
            seasons=seasons,
            refit_every=int(params.pop("refit_every", max(1, per_year // 2))),
            train_periods=int(params.pop("train_periods", 3 * per_year)),
            min_history=int(params.pop("min_history", per_year)),
            target_horizon=int(params.pop("target_horizon", max(1, per_year // 2))),
            blend=float(params.pop("blend", 0.0)),
            blend_half_life=float(params.pop("blend_half_life", 5 * per_year)),
            model_params=params,
            random_state=random_state,
        ),
    }
    shared = {name: Remembered(forecast) for name, forecast in simple.items()}
    model = Remembered(
        SelectingForecaster({name: shared[name] for name in CANDIDATES}, window=per_year)
    )
    out: dict[str, Forecaster] = {"model": model, **{name: shared[name] for name in METHODS[1:]}}
    if hysteresis is not None:
        out["model_hysteresis"] = HysteresisForecaster(model, share=0.05, margin=hysteresis)
    return out


def compare_methods(
    counts: np.ndarray,
    *,
    col: np.ndarray,
    row: np.ndarray,
    cell_size: float,
    period: str,
    test_periods: Sequence[int],
    seasons: pd.DataFrame | None = None,
    shares: Sequence[float] = DEFAULT_SHARES,
    methods: Sequence[str] = METHODS,
    model_params: Mapping[str, object] | None = None,
    progress: Callable[[str, int], None] | None = None,
    random_state: int = 0,
    hysteresis: float | None = None,
    workers: int = 1,
) -> dict[str, object]:
    """Rolling-origin backtest of the chosen methods; returns ``methods``, ``stability``
    (week-to-week Jaccard), ``calibration`` (Brier and reliability bins of the probability of at
    least one event, fitted on the year before the test window) and ``selection`` (how often
    the model chose each candidate, per share). With ``workers`` > 1 the candidates' scores are
    computed on that many threads first (models.parallel_scores; the same figures)."""
    forecasters = cell_forecasters(
        col=col,
        row=row,
        cell_size=cell_size,
        period=period,
        seasons=seasons,
        model_params=model_params,
        random_state=random_state,
        hysteresis=hysteresis,
    )
    names = [*methods, *(["model_hysteresis"] if hysteresis is not None else [])]
    chosen = {name: forecasters[name] for name in names}
    fitting = calibration_periods(test_periods, period)
    first = min([*fitting, *test_periods])
    selecting = any(n in ("model", "model_hysteresis") for n in names)
    if selecting:
        first = max(1, first - PER_YEAR[period])  # the selector's validation year
    used = set(CANDIDATES) if selecting else set()
    used |= {n for n in names if n in CANDIDATES}
    fill_scores(
        {n: forecasters[n] for n in CANDIDATES if n in used},  # type: ignore[misc]
        counts,
        range(first, max(test_periods) + 1),
        workers=workers,
    )
    result = rolling_origin_backtest(
        counts,
        test_periods,
        chosen,
        shares=shares,
        calibration_periods=fitting,
        progress=progress,
    )
    summary = summarise(result)
    return {
        "methods": {
            name: {key: block[key] for key in ("hit_rate", "pai", "pei")}
            for name, block in summary.items()
        },
        "stability": {name: block["jaccard"] for name, block in summary.items()},
        "calibration": result.calibration,
        "selection": selection_counts(forecasters["model"], test_periods),
        "events": int(result.events.sum()),
    }


def selection_counts(model: Forecaster, test_periods: Sequence[int]) -> dict[str, dict[str, int]]:
    """Per share (in %), how many test periods each candidate flagged for the model."""
    selector = getattr(model, "forecast", model)
    if not isinstance(selector, SelectingForecaster):
        return {}
    tests = set(int(t) for t in test_periods)
    out: dict[str, dict[str, int]] = {}
    for t, choice in selector.history_:
        if t in tests:
            for share, name in choice.items():
                block = out.setdefault(f"{share * 100:g}", {})
                block[name] = block.get(name, 0) + 1
    return out
