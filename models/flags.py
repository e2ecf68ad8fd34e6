"""Which grids are flagged for the review meeting, by which method, and why (in Chinese).

Three methods flag grids for a period (see services/risk.py for how they are run):

- ``model``: the top share of grids by expected disputes, with the model's leading factors;
- ``gistar``: Getis-Ord Gi* significant hot spots of the trailing window's disputes;
- ``emerging``: grids whose series of trailing-window Gi* results is a hot spot pattern of
  Emerging Hot Spot Analysis (models.emerging).

A flag is a dict with ``grid_id``, ``period_start``, ``method``, ``score``, optionally ``z``,
``p`` and ``hotspot_class``, and ``explanation``: the row the hotspot table stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from models.emerging import EmergingHotSpots
from models.gistar import GiStar
from models.risk import Factor

__all__ = [
    "EMERGING_ZH",
    "PERIOD_WORD",
    "SPAN_WORD",
    "TrailingGiStar",
    "emerging_flags",
    "flagged_counts",
    "gistar_flags",
    "model_flags",
    "top_units",
    "trailing_gistar",
    "with_emerging_class",
]

PERIOD_WORD = {"day": "日", "week": "周", "month": "月"}
# The same periods counted: "近4周", "近4个月", "近4天".
SPAN_WORD = {"day": "天", "week": "周", "month": "个月"}

EMERGING_ZH = {
    "new": "新热点",
    "consecutive": "连续热点",
    "intensifying": "加剧热点",
    "persistent": "持续热点",
    "diminishing": "减弱热点",
    "sporadic": "零星热点",
    "oscillating": "振荡热点",
    "historical": "历史热点",
}


class TrailingGiStar:
    """Gi* on each unit's events of the ``window`` periods before each period of a run.

    ``periods[i]`` was scored on ``trailing[i]`` (sum of counts over t - window … t - 1) with
    the result ``results[i]``.
    """

    def __init__(self, periods: list[int], trailing: list[np.ndarray], results: list[GiStar]):
        self.periods = periods
        self.trailing = trailing
        self.results = results

    def emerging(self) -> EmergingHotSpots:
        """Emerging Hot Spot classes over the run (the last period is the final time step)."""
        z = np.vstack([gi.z_ for gi in self.results])
        significant = np.vstack([gi.significant_ for gi in self.results])
        return EmergingHotSpots().fit(z, significant)


def trailing_gistar(
    counts: np.ndarray, adjacency: sp.spmatrix, *, window: int, periods: Iterable[int]
) -> TrailingGiStar:
    """Gi* (FDR 5 %) of the trailing ``window`` periods' counts, for each of ``periods``.

    ``counts`` is (periods, units); period t reads rows t - window … t - 1 only.
    """
    chosen, trailing, results = [], [], []
    for t in periods:
        summed = counts[t - window : t].sum(axis=0)
        chosen.append(int(t))
        trailing.append(summed)
        results.append(GiStar().fit(summed.astype(float), adjacency))
    return TrailingGiStar(chosen, trailing, results)


def gistar_flags(
    trailing: np.ndarray,
    gi: GiStar,
    *,
    unit_ids: Sequence,
    period_start: pd.Timestamp,
    window: int,
    period: str,
) -> list[dict]:
    """A ``gistar`` flag for every significant hot spot of one period's trailing counts."""
    word = SPAN_WORD[period]
    return [
        {
            "grid_id": unit_ids[u],
            "period_start": period_start,
            "method": "gistar",
            "score": float(trailing[u]),
            "z": float(gi.z_[u]),
            "p": float(gi.p_[u]),
            "explanation": (
                f"Gi* z={gi.z_[u]:.2f}：近{window}{word}本网格及相邻网格纠纷集中"
                f"（本网格{int(trailing[u])}起）"
            ),
        }
        for u in np.flatnonzero(gi.labels_ > 0)
    ]


def top_units(expected: np.ndarray, share: float) -> np.ndarray:
    """Indices of the ``share`` of units with the highest expected count (at least one)."""
    n_flag = max(1, round(share * len(expected)))
    return np.argsort(-np.asarray(expected), kind="stable")[:n_flag]


def model_flags(
    expected: np.ndarray,
    rank: np.ndarray,
    top: np.ndarray,
    factors: Mapping[int, list[Factor]],
    *,
    unit_ids: Sequence,
    period_start: pd.Timestamp,
    period: str,
) -> list[dict]:
    """A ``model`` flag for each unit of ``top``, its expected count, rank and factors in words."""
    word = PERIOD_WORD[period]
    flags = []
    for u in top:
        reasons = "；".join(f.text for f in factors[int(u)]) or "综合风险较高"
        flags.append(
            {
                "grid_id": unit_ids[u],
                "period_start": period_start,
                "method": "model",
                "score": float(expected[u]),
                "explanation": (
                    f"预计本{word}纠纷{expected[u]:.2f}起（全县第{rank[u]}位）：{reasons}"
                ),
            }
        )
    return flags


def emerging_flags(
    emerging: EmergingHotSpots,
    final_z: np.ndarray,
    *,
    unit_ids: Sequence,
    period_start: pd.Timestamp,
) -> list[dict]:
    """An ``emerging`` flag for each unit whose pattern is a hot spot of any kind.

    ``final_z`` is the Gi* z-score of the last time step.
    """
    flags = []
    for u, label in enumerate(emerging.labels_):
        if not label.endswith("hot spot"):
            continue
        kind = label.removesuffix(" hot spot")
        flags.append(
            {
                "grid_id": unit_ids[u],
                "period_start": period_start,
                "method": "emerging",
                "score": float(emerging.trend_z_[u]),
                "z": float(final_z[u]),
                "p": float(emerging.trend_p_[u]),
                "hotspot_class": label,
                "explanation": f"{EMERGING_ZH.get(kind, kind)}（{label}）：Mann–Kendall 趋势 "
                f"z={emerging.trend_z_[u]:.2f}",
            }
        )
    return flags


def with_emerging_class(
    flags: list[dict], labels: Sequence[str], *, unit_ids: Sequence, period_start: pd.Timestamp
) -> list[dict]:
    """Every flag of ``period_start`` without a class gets its grid's emerging class (None for
    "no pattern"); flags of other periods are left as they are."""
    classes = {int(g): label for g, label in zip(unit_ids, labels, strict=True)}
    for flag in flags:
        if flag["period_start"] == period_start and "hotspot_class" not in flag:
            label = classes.get(int(flag["grid_id"]))
            flag["hotspot_class"] = label if label and label != "no pattern" else None
    return flags


def flagged_counts(flags: Iterable[dict], period_start: pd.Timestamp) -> dict[str, int]:
    """Number of flags per method in the period starting ``period_start``."""
    counted: dict[str, int] = {}
    for flag in flags:
        if flag["period_start"] == period_start:
            counted[flag["method"]] = counted.get(flag["method"], 0) + 1
    return counted
