"""Train the risk model on a county's own data, score the coming period, flag hotspots.

Composition only: rows come from geo.risk.scores, numbers from models/, results go back
through geo.risk.scores. For period T (the one holding ``as_of``) every method reads data
from before T only:

- ``model``: expected disputes per grid in T (models.risk.RiskModel on the panel of
  models.panel), trained on the county's own past periods; the top ``flag_share`` of grids
  are flagged with their leading factors in words.
- ``gistar``: Getis-Ord Gi* on each grid's disputes of the trailing ``window`` periods
  (T-window … T-1), Benjamini–Hochberg FDR at 5 %; significant hot spots are flagged.
- ``emerging``: Emerging Hot Spot Analysis classes over the series of those trailing-window
  Gi* results (Mann–Kendall trend), flagged when the grid is a hot spot of any kind.

Scores of the previous ``history`` periods are stored too (same model, features from before
each period), so the review map can step back through time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine
from threadpoolctl import threadpool_limits

from geo.database.engine import transaction
from geo.risk import scores
from models.emerging import EmergingHotSpots
from models.gistar import GiStar
from models.panel import (
    PanelInputs,
    assign_periods,
    build_features,
    count_matrix,
    make_periods,
    open_case_matrices,
)
from models.risk import RiskModel
from models.seasons import season_flags

MODEL_NAME = "hgb-poisson-v1"

EMERGING_ZH = {
    "new": "新热点", "consecutive": "连续热点", "intensifying": "加剧热点",
    "persistent": "持续热点", "diminishing": "减弱热点", "sporadic": "零星热点",
    "oscillating": "振荡热点", "historical": "历史热点",
}  # fmt: skip


@dataclass
class ScoringReport:
    """What one training and scoring run produced."""

    county: str
    period: str
    period_start: dt.date
    grids: int
    training_rows: int
    flagged: dict[str, int]


def _period_axis(times: pd.Series, period: str, as_of: pd.Timestamp):
    """Period index of each time, and period starts/ends running through ``as_of``."""
    stamps = pd.concat([pd.Series(times), pd.Series([as_of])], ignore_index=True)
    index, starts, ends = make_periods(stamps, period)
    return index[:-1], starts, ends, int(index[-1])


def _utc_naive(values) -> np.ndarray:
    """Timestamps (any zone) as naive UTC datetime64, NaT kept."""
    stamps = pd.to_datetime(pd.Series(values), utc=True)
    return stamps.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")


def train_and_score(engine: Engine, **kwargs) -> ScoringReport:
    """Train on the county's past, score period T (holding ``as_of``), store scores and flags.

    Runs the numeric work on one OpenMP thread: gradient boosting's threads spin while they
    wait, and on a busy two-core server that made training ten times slower, not faster.
    Keyword arguments: see :func:`_train_and_score`.
    """
    with threadpool_limits(limits=1):
        return _train_and_score(engine, **kwargs)


def _train_and_score(
    engine: Engine,
    *,
    county: str,
    period: str = "week",
    as_of: dt.datetime | None = None,
    window: int = 4,
    history: int = 12,
    flag_share: float = 0.025,
    random_state: int = 0,
) -> ScoringReport:
    with transaction(engine) as session:
        grids = scores.grid_frame(session=session, county=county)
        if grids.empty:
            raise ValueError(f"county {county} has no current grids")
        grid_ids = grids["id"].to_numpy()
        adjacency = scores.adjacency(session=session, county=county, grid_ids=grid_ids)
        disputes = scores.disputes_frame(session=session, county=county)
        signals = scores.signals_frame(session=session, county=county)
    if disputes.empty:
        raise ValueError(f"county {county} has no disputes on grids to learn from")
    position = {int(g): i for i, g in enumerate(grid_ids)}
    disputes = disputes[disputes["grid_id"].isin(position)].reset_index(drop=True)
    signals = signals[signals["grid_id"].isin(position)].reset_index(drop=True)
    as_of_ts = pd.Timestamp(as_of or dt.datetime.now(dt.UTC))
    if as_of_ts.tzinfo is None:
        as_of_ts = as_of_ts.tz_localize("UTC")
    local = "Asia/Shanghai"
    reported = pd.to_datetime(disputes["reported_at"], utc=True).dt.tz_convert(local)
    d_period, starts, ends, current = _period_axis(
        reported.dt.tz_localize(None), period, as_of_ts.tz_convert(local).tz_localize(None)
    )
    n_units, n_periods = len(grid_ids), len(starts)
    d_unit = disputes["grid_id"].map(position).to_numpy()
    counts = count_matrix(d_unit, d_period, n_units=n_units, n_periods=n_periods)
    counts[current:] = 0.0  # the current period is not over: never read as a target
    category_counts = {
        str(name): count_matrix(d_unit[idx], d_period[idx], n_units=n_units, n_periods=n_periods)
        for name, idx in disputes.groupby("category").indices.items()
    }
    signal_counts = None
    if not signals.empty:
        observed = pd.to_datetime(signals["observed_at"], utc=True).dt.tz_convert(local)
        s_period = assign_periods(observed.dt.tz_localize(None), starts, ends)
        keep = s_period >= 0
        signal_counts = count_matrix(
            signals["grid_id"].map(position).to_numpy()[keep], s_period[keep],
            n_units=n_units, n_periods=n_periods,
        )  # fmt: skip
    open_cases, overdue = open_case_matrices(
        d_unit,
        _utc_naive(disputes["reported_at"]),
        _utc_naive(disputes["closed_at"]),
        _utc_naive(disputes["deadline"]),
        _utc_naive(ends.tz_localize(local)),
        n_units,
    )
    attributes = grids[["households", "population", "dist_police", "dist_mediation",
                        "dist_township"]].astype(float).fillna(0.0)  # fmt: skip
    inputs = PanelInputs(
        counts=counts,
        adjacency=adjacency,
        category_counts=category_counts,
        signal_counts=signal_counts,
        open_cases=open_cases,
        overdue_cases=overdue,
        unit_attributes=attributes.reset_index(drop=True),
        seasons=season_flags(starts, ends),
    )
    first_train = min(8, max(current - 1, 1))
    train_periods = list(range(first_train, current))
    if not train_periods:
        raise ValueError("not enough history to train: need at least two periods of disputes")
    X, y = build_features(inputs, train_periods)
    model = RiskModel(random_state=random_state).fit(X, y)

    score_periods = list(range(max(current - history, first_train), current + 1))
    score_rows = []
    flags: list[dict] = []
    gi_series_z, gi_series_sig = [], []
    for t in range(max(window, current - 52), current + 1):
        trailing = counts[t - window : t].sum(axis=0)
        gi = GiStar().fit(trailing.astype(float), adjacency)
        gi_series_z.append(gi.z_)
        gi_series_sig.append(gi.significant_)
        if t in score_periods:
            hot = np.flatnonzero(gi.labels_ > 0)
            for u in hot:
                flags.append({
                    "grid_id": grid_ids[u], "period_start": starts[t], "method": "gistar",
                    "score": float(trailing[u]), "z": float(gi.z_[u]), "p": float(gi.p_[u]),
                    "explanation": (
                        f"Gi* z={gi.z_[u]:.2f}：近{window}{_word(period)}本网格及相邻网格纠纷集中"
                        f"（本网格{int(trailing[u])}起）"
                    ),
                })  # fmt: skip
    emerging = EmergingHotSpots().fit(np.vstack(gi_series_z), np.vstack(gi_series_sig))

    for t in score_periods:
        X_t, _ = build_features(inputs, [t])
        expected = model.predict(X_t)
        rank = RiskModel.rank(expected)
        n_flag = max(1, round(flag_share * n_units))
        top = np.argsort(-expected, kind="stable")[:n_flag]
        explained = {int(u): f for u, f in zip(top, model.explain(X_t, top), strict=True)}
        for u in range(n_units):
            factors = explained.get(u)
            score_rows.append({
                "grid_id": grid_ids[u], "period_start": starts[t], "expected": expected[u],
                "score": expected[u], "rank": rank[u],
                "factors": [{"key": f.key, "text": f.text, "effect": round(f.effect, 3)}
                            for f in factors] if factors else None,
            })  # fmt: skip
        for u in top:
            reasons = "；".join(f.text for f in explained[int(u)]) or "综合风险较高"
            flags.append({
                "grid_id": grid_ids[u], "period_start": starts[t], "method": "model",
                "score": float(expected[u]),
                "explanation": (
                    f"预计本{_word(period)}纠纷{expected[u]:.2f}起（全县第{rank[u]}位）：{reasons}"
                ),
            })  # fmt: skip
    for u, label in enumerate(emerging.labels_):
        if label.endswith("hot spot"):
            kind = label.removesuffix(" hot spot")
            flags.append({
                "grid_id": grid_ids[u], "period_start": starts[current], "method": "emerging",
                "score": float(emerging.trend_z_[u]), "z": float(gi_series_z[-1][u]),
                "p": float(emerging.trend_p_[u]), "hotspot_class": label,
                "explanation": f"{EMERGING_ZH.get(kind, kind)}（{label}）：Mann–Kendall 趋势 "
                               f"z={emerging.trend_z_[u]:.2f}",
            })  # fmt: skip
    # Every flagged row of a grid in the current period carries its emerging class.
    classes = {int(grid_ids[u]): lab for u, lab in enumerate(emerging.labels_)}
    for flag in flags:
        if flag["period_start"] == starts[current] and "hotspot_class" not in flag:
            label = classes.get(int(flag["grid_id"]))
            flag["hotspot_class"] = label if label and label != "no pattern" else None

    with transaction(engine) as session:
        scores.write_risk_scores(
            session=session, county=county, period=period, model=MODEL_NAME,
            scores=pd.DataFrame(score_rows),
        )  # fmt: skip
        scores.write_hotspots(session=session, period=period, rows=flags)
    counted: dict[str, int] = {}
    for flag in flags:
        if flag["period_start"] == starts[current]:
            counted[flag["method"]] = counted.get(flag["method"], 0) + 1
    return ScoringReport(
        county=county, period=period, period_start=starts[current].date(), grids=n_units,
        training_rows=len(y), flagged=counted,
    )  # fmt: skip


def _word(period: str) -> str:
    return {"day": "日", "week": "周", "month": "月"}[period]


def demo_step(engine: Engine, county) -> dict[str, int]:
    """Pipeline step of the demo: train and score the demo county as of its last event day."""
    as_of = pd.Timestamp(county.disputes["reported_at"].max()).floor("s") + pd.Timedelta(days=1)
    report = train_and_score(engine, county=county.county_code, as_of=as_of.to_pydatetime())
    return {f"flagged_{k}": v for k, v in report.flagged.items()} | {
        "risk_training_rows": report.training_rows
    }
