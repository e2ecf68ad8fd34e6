"""The grid risk model: expected counts per unit and period, a rank, and the factors behind them.

The estimator is gradient-boosted trees with a Poisson deviance loss (Friedman 2001, "Greedy
function approximation", Annals of Statistics 29(5); scikit-learn's HistGradientBoostingRegressor,
after Ke et al. 2017, LightGBM), which models expected counts directly. Units without events
dominate a panel; ``zero_keep`` keeps that share of zero rows and up-weights them by its inverse
(case-control sampling with weights, so the expected counts stay unbiased) to make province-scale
training fast.

Explanations are occlusion contributions (Zeiler & Fergus 2014; a cheap stand-in for SHAP, Lundberg
& Lee 2017): for each factor group, the change in log expected count when the group's features are
set to their training medians. Positive contributions raise risk and are phrased for the review
meeting in Chinese, with a stable English key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

from core.vocab import DISPUTE_CATEGORIES

__all__ = ["FACTOR_GROUPS", "Factor", "RiskModel", "factor_group"]

ID_COLUMNS = ("period", "unit")


@dataclass(frozen=True)
class Factor:
    """One reason behind a score: a stable English key, a Chinese phrase, and its log-effect."""

    key: str
    text: str
    effect: float


FACTOR_GROUPS: dict[str, str] = {
    "recent_count": "近期本网格纠纷",
    "long_run": "长期高发",
    "trend": "上升趋势",
    "repeat": "重复发生",
    "neighbours": "邻近网格",
    "category": "类别",
    "signals": "风险信号",
    "open_cases": "在办/超期案件",
    "season": "季节",
    "households": "户数与人口",
    "facilities": "距调处机构距离",
    "area_level": "全域水平",
}


def factor_group(column: str) -> str:
    """The factor group a feature column belongs to (see FACTOR_GROUPS)."""
    if column.startswith(("nb_", "smooth_")):
        return "signals" if "sig" in column else "neighbours"
    if column.startswith("cat_"):
        return "category"
    if column.startswith("sig_"):
        return "signals"
    if column in ("open_cases", "overdue_cases"):
        return "open_cases"
    if column in ("spring_festival", "ploughing", "harvest", "month"):
        return "season"
    if column in ("households", "residents", "population", "houses"):
        return "households"
    if column.startswith("dist"):
        return "facilities"
    if column in ("lag1", "lag2", "lag4", "lag8", "decay1", "decay4"):
        return "recent_count"
    if column in ("since_last",):
        return "repeat"
    if column in ("trend13",):
        return "trend"
    if column.startswith("area_"):
        return "area_level"
    return "long_run"


def _top_percent(sorted_values: np.ndarray, value: float) -> int:
    """Share of units (in %) with a value at least as high, rounded up to a whole percent."""
    at_least = sorted_values.size - np.searchsorted(sorted_values, value, side="left")
    share = 100.0 * at_least / max(sorted_values.size, 1)
    return max(1, int(np.ceil(share)))


# What a group's phrase states about the unit; a group whose facts are absent for the unit is
# not given as a reason, so a reason never contradicts the numbers beside it.
_STATED_FACTS: dict[str, tuple[str, ...]] = {
    "recent_count": ("lag4",),
    "long_run": ("lag52",),
    "trend": ("trend13",),
    "neighbours": ("nb_lag4", "nb_lag13"),
    "signals": ("sig_lag4",),
    "open_cases": ("open_cases", "overdue_cases"),
    "households": ("households",),
}


def _holds(group: str, row: pd.Series) -> bool:
    """Whether the facts a group's phrase states are true of this unit (positive counts)."""
    columns = [c for c in _STATED_FACTS.get(group, ()) if c in row.index]
    return not columns or any(row[c] > 0 for c in columns)


def _phrase(group: str, row: pd.Series, ranked: dict[str, np.ndarray], period_word: str) -> str:
    """Plain-words description of a factor group for one unit (Chinese, for the review meeting)."""
    if group == "recent_count" and "lag4" in row:
        pct = _top_percent(ranked["lag4"], row["lag4"])
        return f"近4{period_word}纠纷{int(row['lag4'])}起（全县前{pct}%）"
    if group == "long_run" and "lag52" in row:
        pct = _top_percent(ranked["lag52"], row["lag52"])
        return f"长期高发：近52{period_word}纠纷{int(row['lag52'])}起（全县前{pct}%）"
    if group == "trend":
        return "本网格纠纷呈上升趋势"
    if group == "repeat":
        return f"距上次纠纷仅{int(row.get('since_last', 0))}{period_word}（重复发生风险）"
    if group == "neighbours":
        return "邻近网格近期纠纷增多"
    if group == "category":
        cats = [
            c for c in row.index if c.startswith("cat_") and c.endswith("_lag13") and row[c] > 0
        ]
        if cats:
            best = max(cats, key=lambda c: row[c])
            label = DISPUTE_CATEGORIES.get(best[4:-6], "其他").removesuffix("纠纷")
            return f"近13{period_word}{label}类纠纷{int(row[best])}起"
        return "纠纷类别构成"
    if group == "signals":
        return f"近4{period_word}周边风险信号{int(row.get('sig_lag4', 0))}条"
    if group == "open_cases":
        return (
            f"在办案件{int(row.get('open_cases', 0))}件、超期{int(row.get('overdue_cases', 0))}件"
        )
    if group == "season":
        if row.get("spring_festival", 0):
            return "春节返乡期"
        if row.get("ploughing", 0):
            return "春耕时节"
        if row.get("harvest", 0):
            return "秋收时节"
        return "季节因素"
    if group == "households":
        return f"户数较多（{int(row.get('households', 0))}户）"
    if group == "facilities":
        return "距派出所、调解组织较远"
    if group == "area_level":
        return "全县近期纠纷总体偏多"
    return FACTOR_GROUPS.get(group, group)


class RiskModel:
    """Expected event counts per unit and period from the panel (models.panel).

    Parameters mirror HistGradientBoostingRegressor; ``loss`` is "poisson" by default.
    ``zero_keep`` in (0, 1] subsamples rows with a zero target (weights restore the balance).

    After :meth:`fit`: ``estimator_``, ``feature_names_``, ``reference_`` (training medians used to
    explain scores).
    """

    def __init__(
        self,
        *,
        loss: str = "poisson",
        learning_rate: float = 0.05,
        max_iter: int = 300,
        max_leaf_nodes: int = 31,
        min_samples_leaf: int = 50,
        l2_regularization: float = 1.0,
        zero_keep: float = 1.0,
        early_stopping: bool = False,
        random_state: int = 0,
    ) -> None:
        self.loss = loss
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.zero_keep = zero_keep
        self.early_stopping = early_stopping
        self.random_state = random_state

    @staticmethod
    def _features(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.drop(columns=[c for c in ID_COLUMNS if c in frame.columns])

    def fit(
        self, panel: pd.DataFrame, y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> RiskModel:
        """Fit on panel rows (feature columns; ``period``/``unit`` are ignored) and counts ``y``."""
        X = self._features(panel)
        y = np.asarray(y, dtype=np.float64)
        weight = None if sample_weight is None else np.asarray(sample_weight, float)
        if self.zero_keep < 1.0:
            weight = np.ones(len(y)) if weight is None else weight
            rng = np.random.default_rng(self.random_state)
            keep = (y > 0) | (rng.random(len(y)) < self.zero_keep)
            weight = np.where(y > 0, weight, weight / self.zero_keep)[keep]
            X, y = X.iloc[np.nonzero(keep)[0]], y[keep]
        self.estimator_ = HistGradientBoostingRegressor(
            loss=self.loss,
            learning_rate=self.learning_rate,
            max_iter=self.max_iter,
            max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            early_stopping=self.early_stopping,
            random_state=self.random_state,
        )
        # No weights rather than unit weights: the trees come out the same, but given weights
        # the binning takes a weighted percentile per threshold, a third of the fitting time.
        self.estimator_.fit(X, y, sample_weight=weight)
        self.feature_names_ = list(X.columns)
        self.reference_ = X.median(axis=0)
        return self

    def predict(self, panel: pd.DataFrame) -> np.ndarray:
        """Expected counts for each row."""
        return self.estimator_.predict(self._features(panel)[self.feature_names_])

    @staticmethod
    def rank(expected: np.ndarray) -> np.ndarray:
        """Rank 1 = highest expected count (ties share the better rank)."""
        order = pd.Series(np.asarray(expected)).rank(method="min", ascending=False)
        return order.to_numpy(dtype=np.int64)

    def explain(
        self,
        panel: pd.DataFrame,
        rows: Sequence[int] | None = None,
        *,
        top: int = 3,
        period_word: str = "周",
    ) -> list[list[Factor]]:
        """For each selected row of ``panel`` (one period), its ``top`` factors raising the score.

        ``panel`` should hold all units of one period, so that "全县前5%" compares like with like.
        """
        X = self._features(panel)[self.feature_names_]
        idx = np.arange(len(X)) if rows is None else np.asarray(rows, dtype=np.int64)
        subset = X.iloc[idx]
        base = np.log(np.maximum(self.estimator_.predict(subset), 1e-9))
        groups: dict[str, list[str]] = {}
        for column in self.feature_names_:
            groups.setdefault(factor_group(column), []).append(column)
        effects = {}
        for group, columns in groups.items():
            occluded = subset.copy()
            for column in columns:
                occluded[column] = self.reference_[column]
            pred = np.log(np.maximum(self.estimator_.predict(occluded), 1e-9))
            effects[group] = base - pred
        names = list(effects)
        matrix = np.column_stack([effects[g] for g in names])
        ranked = {c: np.sort(X[c].to_numpy()) for c in ("lag4", "lag52") if c in X.columns}
        out: list[list[Factor]] = []
        for i in range(len(idx)):
            row = subset.iloc[i]
            order = [
                j for j in np.argsort(-matrix[i]) if matrix[i, j] > 0 and _holds(names[j], row)
            ][:top]
            out.append(
                [
                    Factor(
                        names[j], _phrase(names[j], row, ranked, period_word), float(matrix[i, j])
                    )
                    for j in order
                ]
            )
        return out
