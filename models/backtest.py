"""Hot spot forecast metrics (hit rate, PAI, PEI) and the rolling-origin backtest.

References:
    Chainey, S., Tompson, L. & Uhlig, S. (2008). The utility of hotspot mapping for predicting
    spatial patterns of crime. Security Journal 21, 4-28 (hit rate, Predictive Accuracy Index).
    Hunt, J. M. (2016). Do crime hot spots move? Exploring the effects of the modifiable areal unit
    problem and modifiable temporal unit problem on crime hot spot stability. (Predictive
    Efficiency Index, PEI = PAI / PAI*.)
    Tashman, L. J. (2000). Out-of-sample tests of forecasting accuracy: an analysis and review.
    International Journal of Forecasting 16, 437-450 (rolling-origin evaluation).

Flagging rule: units are taken in decreasing score until their summed size (area, or households)
reaches the share ``k`` of the total. The group of units that straddles the cut-off (tied scores, or
a single unit) is counted in proportion to the budget left, which is the expected value when ties
are broken at random. Every flagged share is therefore exactly ``k`` and the figures do not depend
on an arbitrary tie order (persistence baselines tie on zero a lot).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from models.calibration import ProbabilityCalibrator, brier_score, reliability_bins

__all__ = [
    "BacktestResult",
    "captured",
    "flagged_set",
    "jaccard",
    "rolling_origin_backtest",
    "summarise",
]

DEFAULT_SHARES: tuple[float, ...] = (0.01, 0.05, 0.10)


def captured(
    scores: np.ndarray,
    counts: np.ndarray,
    share: float,
    sizes: np.ndarray | None = None,
) -> float:
    """Expected number of ``counts`` in the top ``share`` of total size, ranked by ``scores``."""
    scores = np.asarray(scores, dtype=np.float64)
    counts = np.asarray(counts, dtype=np.float64)
    sizes = np.ones_like(scores) if sizes is None else np.asarray(sizes, dtype=np.float64)
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    budget = share * sizes.sum()
    order = np.argsort(-scores, kind="mergesort")
    s_sorted = scores[order]
    # Boundaries of tie groups in the sorted order.
    starts = np.r_[0, np.nonzero(np.diff(s_sorted))[0] + 1]
    group_size = np.add.reduceat(sizes[order], starts)
    group_hits = np.add.reduceat(counts[order], starts)
    cum_size = np.cumsum(group_size)
    full = cum_size <= budget * (1 + 1e-12)
    hits = group_hits[full].sum()
    n_full = int(full.sum())
    if n_full < group_size.size:
        used = cum_size[n_full - 1] if n_full else 0.0
        remaining = budget - used
        if remaining > 0 and group_size[n_full] > 0:
            hits += group_hits[n_full] * remaining / group_size[n_full]
    return float(hits)


def flagged_set(scores: np.ndarray, share: float, sizes: np.ndarray | None = None) -> np.ndarray:
    """Indices of whole units flagged at ``share`` (ties broken by unit order), for stability."""
    scores = np.asarray(scores, dtype=np.float64)
    sizes = np.ones_like(scores) if sizes is None else np.asarray(sizes, dtype=np.float64)
    order = np.argsort(-scores, kind="mergesort")
    cum = np.cumsum(sizes[order])
    n_take = max(1, int(np.searchsorted(cum, share * sizes.sum() * (1 + 1e-12), side="right")))
    return np.sort(order[:n_take])


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity |a ∩ b| / |a ∪ b| of two index sets (1.0 when both are empty)."""
    a, b = set(np.asarray(a).tolist()), set(np.asarray(b).tolist())
    union = a | b
    return 1.0 if not union else len(a & b) / len(union)


@dataclass
class BacktestResult:
    """Per-method, per-period captured counts; :func:`summarise` turns them into the report."""

    periods: list[int]
    events: np.ndarray  # total events per test period
    hits: dict[str, dict[float, np.ndarray]] = field(default_factory=dict)
    best: dict[float, np.ndarray] = field(default_factory=dict)  # oracle hits (PEI denominator)
    stability: dict[str, dict[float, float]] = field(default_factory=dict)
    calibration: dict[str, dict[str, object]] = field(default_factory=dict)


Forecaster = Callable[[np.ndarray, int], np.ndarray]
"""A forecaster gets the counts array (periods, units) *truncated to periods < t* and t."""


def rolling_origin_backtest(
    counts: np.ndarray,
    test_periods: Sequence[int],
    forecasters: dict[str, Forecaster],
    *,
    shares: Sequence[float] = DEFAULT_SHARES,
    sizes: np.ndarray | None = None,
    calibration_periods: Sequence[int] = (),
    progress: Callable[[str, int], None] | None = None,
) -> BacktestResult:
    """Score every test period t with each forecaster given only ``counts[:t]``.

    The slice handed to a forecaster physically ends before t, so no forecaster can read the period
    it predicts or anything later. ``sizes`` (area or households per unit) sets what "k % of area"
    means; equal sizes by default. With ``calibration_periods`` (all before the first test
    period), each method's scores on them are turned into a probability of at least one event
    (models.calibration) that is then scored on the test periods: ``result.calibration``.
    """
    counts = np.asarray(counts)
    periods = [int(t) for t in test_periods]
    if any(t <= 0 or t >= counts.shape[0] for t in periods):
        raise ValueError("test periods must lie in 1..n_periods-1 (period 0 has no past)")
    calibrate = sorted(int(t) for t in calibration_periods if 0 < int(t) < min(periods))
    result = BacktestResult(periods=periods, events=counts[periods].sum(axis=1).astype(float))
    density = counts / (np.ones(counts.shape[1]) if sizes is None else np.asarray(sizes, float))
    for share in shares:
        result.best[share] = np.array(
            [captured(density[t], counts[t], share, sizes) for t in periods]
        )
    for name, forecast in forecasters.items():
        fitting = [_forecast(forecast, counts, t) for t in calibrate]
        per_share = {share: np.zeros(len(periods)) for share in shares}
        previous: dict[float, np.ndarray] = {}
        overlaps: dict[float, list[float]] = {share: [] for share in shares}
        test_scores = []
        for k, t in enumerate(periods):
            scores = _forecast(forecast, counts, t)
            test_scores.append(scores)
            for share in shares:
                per_share[share][k] = captured(scores, counts[t], share, sizes)
                flagged = flagged_set(scores, share, sizes)
                if share in previous:
                    overlaps[share].append(jaccard(previous[share], flagged))
                previous[share] = flagged
            if progress is not None:
                progress(name, k + 1)
        result.hits[name] = per_share
        result.stability[name] = {
            s: float(np.mean(v)) if v else float("nan") for s, v in overlaps.items()
        }
        if calibrate:
            calibrator = ProbabilityCalibrator().fit(fitting, [counts[t] for t in calibrate])
            probability = np.concatenate([calibrator.predict(s) for s in test_scores])
            happened = counts[periods].ravel()
            result.calibration[name] = {
                "brier": brier_score(probability, happened),
                "bins": reliability_bins(probability, happened),
            }
    return result


def _forecast(forecast: Forecaster, counts: np.ndarray, t: int) -> np.ndarray:
    """One forecast of period t from a read-only view of the periods before it."""
    past = counts[:t]
    past.setflags(write=False)
    return np.asarray(forecast(past, t), dtype=np.float64)


def _share_key(share: float) -> str:
    return f"{share * 100:g}"


def summarise(result: BacktestResult) -> dict[str, dict[str, dict[str, float]]]:
    """Pool the test periods: hit rate = Σ hits / Σ events, PAI = hit rate / share, PEI = Σ hits /
    Σ oracle hits. Keys are shares in percent as strings ("1", "5", "10")."""
    total = float(result.events.sum())
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for name, per_share in result.hits.items():
        block: dict[str, dict[str, float]] = {"hit_rate": {}, "pai": {}, "pei": {}, "jaccard": {}}
        for share, hits in per_share.items():
            key = _share_key(share)
            hit_rate = float(hits.sum() / total) if total else float("nan")
            best = float(result.best[share].sum())
            block["hit_rate"][key] = hit_rate
            block["pai"][key] = hit_rate / share
            block["pei"][key] = float(hits.sum() / best) if best else float("nan")
            block["jaccard"][key] = result.stability[name][share]
        summary[name] = block
    return summary
