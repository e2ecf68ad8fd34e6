"""Train the risk model on one county's grids, score the coming period and flag hotspots (pure).

Frames in (grids, contiguity, disputes, signals, as services/risk.py reads them), rows out (one
score per grid and period, one flag per flagged grid, method and period). For period T (the
one holding ``as_of``) every method reads data from before T only:

- ``model``: expected disputes per grid in T (models.risk.RiskModel on the panel of
  models.panel), trained on the county's own past periods; the top ``flag_share`` of grids
  are flagged with their leading factors in words. Beside it, the chance of at least one
  dispute, calibrated (models.calibration.ChanceOfAny) on the last ``CALIBRATION_PERIODS``
  periods before T as scored by the same method trained only on the periods before those.
- ``gistar``: Getis-Ord Gi* on each grid's disputes of the trailing ``window`` periods
  (T-window … T-1), Benjamini–Hochberg FDR at 5 %; significant hot spots are flagged.
- ``emerging``: Emerging Hot Spot Analysis classes over the series of those trailing-window
  Gi* results of the last 52 periods (Mann–Kendall trend), flagged when the grid is a hot
  spot of any kind.

Scores and model/Gi* flags of the previous ``history`` periods are produced too (same model,
features from before each period), so the review map can step back through time. Periods are
counted on the county's local clock (Asia/Shanghai).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from models.calibration import ChanceOfAny
from models.candidates import decayed_rate, local_empirical_bayes
from models.flags import (
    SPAN_WORD,
    emerging_flags,
    flagged_counts,
    gistar_flags,
    model_flags,
    top_units,
    trailing_gistar,
    with_emerging_class,
)
from models.panel import (
    PanelInputs,
    assign_periods,
    build_features,
    open_case_matrices,
    panel_inputs,
    periods_through,
)
from models.risk import Factor, RiskModel

__all__ = [
    "ATTRIBUTES",
    "LOCAL_ZONE",
    "CountyPanel",
    "CountyScores",
    "county_panel",
    "score_county",
]

LOCAL_ZONE = "Asia/Shanghai"
ATTRIBUTES = ("households", "population", "dist_police", "dist_mediation", "dist_township")
GISTAR_SPAN = 52
FIRST_TRAIN_PERIOD = 8
# Fewer disputes than this in the training periods, and the trees are not trained: the grids are
# scored by the smoothed past rate instead (models.candidates.local_empirical_bayes).
MIN_TRAINING_DISPUTES = 30
BASELINE_HALF_LIFE = {"day": 180.0, "week": 26.0, "month": 6.0}
CALIBRATION_PERIODS = {"day": 182, "week": 26, "month": 12}


@dataclass
class CountyPanel:
    """The county's panel inputs, its period calendar and the period being scored."""

    inputs: PanelInputs
    grid_ids: np.ndarray
    starts: pd.DatetimeIndex
    ends: pd.DatetimeIndex
    current: int


@dataclass
class CountyScores:
    """Rows to store (``scores`` for risk_score, ``flags`` for hotspot) and a summary."""

    scores: pd.DataFrame
    flags: list[dict]
    period_start: pd.Timestamp
    training_rows: int
    flagged: dict[str, int]
    note: str | None = None


def _utc_naive(values) -> np.ndarray:
    """Timestamps (any zone) as naive UTC datetime64, NaT kept."""
    stamps = pd.to_datetime(pd.Series(values), utc=True)
    return stamps.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")


def _local_naive(values) -> pd.Series:
    """Timestamps (any zone) as naive wall-clock times of the county."""
    return pd.to_datetime(values, utc=True).dt.tz_convert(LOCAL_ZONE).dt.tz_localize(None)


def county_panel(
    grids: pd.DataFrame,
    adjacency: sp.spmatrix,
    disputes: pd.DataFrame,
    signals: pd.DataFrame,
    *,
    period: str,
    as_of: pd.Timestamp,
) -> CountyPanel:
    """Panel inputs over the county's grids (in the order of ``grids``) through ``as_of``.

    ``grids``: id and the attribute columns of :data:`ATTRIBUTES`. ``disputes``: grid_id,
    reported_at, category, closed_at, deadline. ``signals``: grid_id, observed_at. Rows on
    other grids are left out; counts of the period holding ``as_of`` are never a target.
    """
    grid_ids = grids["id"].to_numpy()
    position = {int(g): i for i, g in enumerate(grid_ids)}
    disputes = disputes[disputes["grid_id"].isin(position)].reset_index(drop=True)
    signals = signals[signals["grid_id"].isin(position)].reset_index(drop=True)
    if disputes.empty:
        raise ValueError("本县网格上没有可供学习的纠纷 (no disputes on the county's grids)")
    as_of = pd.Timestamp(as_of)
    if as_of.tzinfo is None:
        as_of = as_of.tz_localize("UTC")
    d_period, starts, ends, current = periods_through(
        _local_naive(disputes["reported_at"]),
        period,
        as_of.tz_convert(LOCAL_ZONE).tz_localize(None),
    )
    n_units = len(grid_ids)
    d_unit = disputes["grid_id"].map(position).to_numpy()
    events = pd.DataFrame({"unit": d_unit, "period": d_period, "category": disputes["category"]})
    signal_rows = None
    if not signals.empty:
        s_period = assign_periods(_local_naive(signals["observed_at"]), starts, ends)
        keep = s_period >= 0
        signal_rows = pd.DataFrame(
            {"unit": signals["grid_id"].map(position).to_numpy()[keep], "period": s_period[keep]}
        )
    open_cases, overdue = open_case_matrices(
        d_unit,
        _utc_naive(disputes["reported_at"]),
        _utc_naive(disputes["closed_at"]),
        _utc_naive(disputes["deadline"]),
        _utc_naive(ends.tz_localize(LOCAL_ZONE)),
        n_units,
    )
    attributes = grids[list(ATTRIBUTES)].astype(float).fillna(0.0).reset_index(drop=True)
    inputs = panel_inputs(
        events,
        n_units=n_units,
        period_starts=starts,
        period_ends=ends,
        adjacency=adjacency,
        unit_attributes=attributes,
        signals=signal_rows,
        open_cases=open_cases,
        overdue_cases=overdue,
    )
    inputs.counts[current:] = 0.0  # the current period is not over: never read as a target
    return CountyPanel(inputs, grid_ids, starts, ends, current)


def score_county(
    grids: pd.DataFrame,
    adjacency: sp.spmatrix,
    disputes: pd.DataFrame,
    signals: pd.DataFrame,
    *,
    period: str = "week",
    as_of: pd.Timestamp,
    window: int = 4,
    history: int = 12,
    flag_share: float = 0.025,
    random_state: int = 0,
) -> CountyScores:
    """Train on the county's past, score period T (holding ``as_of``) and the ``history``
    periods before it, and flag grids by the three methods (see the module docstring)."""
    panel = county_panel(grids, adjacency, disputes, signals, period=period, as_of=as_of)
    inputs, grid_ids, starts, current = panel.inputs, panel.grid_ids, panel.starts, panel.current
    first_train = min(FIRST_TRAIN_PERIOD, max(current - 1, 1))
    train_periods = list(range(first_train, current))
    if not train_periods:
        raise ValueError(
            "历史不足，无法训练：至少需要两个周期的纠纷 "
            "(not enough history to train: need at least two periods of disputes)"
        )
    X, y = build_features(inputs, train_periods)
    model: RiskModel | None = None
    note = None
    if y.sum() >= MIN_TRAINING_DISPUTES:
        model = RiskModel(random_state=random_state).fit(X, y)
    else:
        note = _baseline_note(int(inputs.counts[:current].sum()), current, period)
    chance = _chance_of_any(
        inputs, adjacency, train_periods, trees=model is not None, period=period,
        random_state=random_state,
    )  # fmt: skip
    score_periods = list(range(max(current - history, first_train), current + 1))
    window = min(window, current)

    flags: list[dict] = []
    series = trailing_gistar(
        inputs.counts,
        adjacency,
        window=window,
        periods=range(max(window, current - GISTAR_SPAN), current + 1),
    )
    for t, trailing, gi in zip(series.periods, series.trailing, series.results, strict=True):
        if t in score_periods:
            flags += gistar_flags(
                trailing, gi, unit_ids=grid_ids, period_start=starts[t], window=window,
                period=period,
            )  # fmt: skip

    score_frames = []
    for t in score_periods:
        if model is None:
            expected = baseline_expected(inputs.counts[:t], adjacency, period)
            top = top_units(expected, flag_share)
            explained = baseline_factors(inputs.counts[:t], adjacency, top, period)
        else:
            X_t, _ = build_features(inputs, [t])
            expected = model.predict(X_t)
            top = top_units(expected, flag_share)
            explanations = model.explain(X_t, top, period_word=SPAN_WORD[period])
            explained = {int(u): f for u, f in zip(top, explanations, strict=True)}
        rank = RiskModel.rank(expected)
        rows = _score_rows(grid_ids, starts[t], expected, rank, explained)
        score_frames.append(rows.assign(probability=chance(expected)))
        flags += model_flags(
            expected, rank, top, explained, unit_ids=grid_ids, period_start=starts[t],
            period=period,
        )  # fmt: skip

    emerging = series.emerging()
    period_start = starts[current]
    flags += emerging_flags(
        emerging, series.results[-1].z_, unit_ids=grid_ids, period_start=period_start
    )
    with_emerging_class(flags, emerging.labels_, unit_ids=grid_ids, period_start=period_start)
    return CountyScores(
        scores=pd.concat(score_frames, ignore_index=True),
        flags=flags,
        period_start=period_start,
        training_rows=len(y) if model is not None else 0,
        flagged=flagged_counts(flags, period_start),
        note=note,
    )


def _chance_of_any(
    inputs: PanelInputs,
    adjacency: sp.spmatrix,
    train_periods: list[int],
    *,
    trees: bool,
    period: str,
    random_state: int,
) -> ChanceOfAny:
    """Expected disputes -> calibrated chance of at least one, fitted on the last training
    periods as the scoring method would have scored them from the periods before them only
    (the trees refitted on those earlier periods; the smoothed rate reads only the past)."""
    n_held = min(CALIBRATION_PERIODS[period], len(train_periods) // 2)
    if n_held == 0:
        return ChanceOfAny([], [])
    held = train_periods[-n_held:]
    earlier = [t for t in train_periods if t < held[0]]
    if trees:
        X, y = build_features(inputs, earlier)
        if y.sum() < MIN_TRAINING_DISPUTES:
            return ChanceOfAny([], [])
        fitted = RiskModel(random_state=random_state).fit(X, y)
        X_held, _ = build_features(inputs, held)
        expected = np.split(fitted.predict(X_held), len(held))
    else:
        expected = [baseline_expected(inputs.counts[:t], adjacency, period) for t in held]
    return ChanceOfAny(expected, [inputs.counts[t] for t in held])


def _baseline_note(disputes: int, periods: int, period: str) -> str:
    """The sentence saying why a young county is scored without the trees."""
    word = SPAN_WORD[period]
    return (
        f"本县此前{periods}{word}仅有{disputes}起纠纷，不足以训练模型（至少需要"
        f"{MIN_TRAINING_DISPUTES}起）：按各网格及相邻网格的历史纠纷率（经验贝叶斯平滑）评分 "
        f"(only {disputes} disputes over {periods} {period}s, too few to train the model "
        f"(it needs {MIN_TRAINING_DISPUTES}): grids are scored by their past dispute rate "
        f"smoothed with their neighbours' (empirical Bayes))"
    )


def baseline_expected(past: np.ndarray, adjacency: sp.spmatrix, period: str) -> np.ndarray:
    """Expected disputes per grid from the decayed past rate, shrunk toward the neighbours'
    (local empirical Bayes over the grid and its contiguous grids)."""
    rate, exposure = decayed_rate(past, BASELINE_HALF_LIFE[period])
    neighbourhood = sp.csr_matrix(adjacency) + sp.identity(past.shape[1], format="csr")
    return local_empirical_bayes(rate, exposure, neighbourhood)


def baseline_factors(
    past: np.ndarray, adjacency: sp.spmatrix, top: np.ndarray, period: str
) -> dict[int, list[Factor]]:
    """The reasons of a baseline score in words: the grid's own and its neighbours' disputes."""
    own = past.sum(axis=0)
    around = sp.csr_matrix(adjacency) @ own
    word = SPAN_WORD[period]
    out = {}
    for u in top:
        factors = []
        if own[u] > 0:
            text = f"近{past.shape[0]}{word}本网格纠纷{int(own[u])}起"
            factors.append(Factor("long_run", text, float(own[u])))
        if around[u] > 0:
            text = f"相邻网格纠纷{int(around[u])}起"
            factors.append(Factor("neighbours", text, float(around[u])))
        out[int(u)] = factors
    return out


def _score_rows(grid_ids, period_start, expected, rank, explained) -> pd.DataFrame:
    """One risk_score row per grid; the factors only for the flagged ones."""
    factors = [
        [{"key": f.key, "text": f.text, "effect": round(f.effect, 3)} for f in explained[u]]
        if explained.get(u)
        else None
        for u in range(len(grid_ids))
    ]
    return pd.DataFrame({
        "grid_id": grid_ids, "period_start": period_start, "expected": expected,
        "score": expected, "rank": rank, "factors": factors,
    })  # fmt: skip
