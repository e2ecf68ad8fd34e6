"""Case-level escalation risk for open disputes (命案风险预警): which cases may turn violent.

One definition of the factors: :func:`escalation_features` turns raw facts (the cases, earlier
disputes, opaque party keys, risk signals) into the feature table. The live ranking
(services.escalation, from rows read in PostGIS) and the backtest (bench/escalation_demo.py, from
the synthetic county) both call it, so what is backtested is what is scored.

What the score means: ``score`` is the estimated probability, in percent, that a dispute in the
state described (category, severity, repeats, time open, overdue, signals nearby) reaches the
outcome the model was fitted on; :func:`escalation_outcome` defines the one used here: the case
ends unresolved, or a violence report is made within 1 km in the 30 days after scoring. Once
fitted, a score of 30 means: of past disputes that looked like this one, about 30 in 100
escalated. The fixed points are not calibrated to any county, so their percent is best read as
a rank (docs/risk.md has the backtest on the demo county). It is a ranking aid for the
supervision meeting, never a finding about a person. Before any outcome data exist the scorer
uses fixed actuarial points (``PRIOR_POINTS``), in the tradition of counting risk factors
(Hilton et al. 2004, ODARA, Psychological Assessment 16(3)); once fitted it is an L2-penalised
logistic regression (Hosmer, Lemeshow & Sturdivant 2013, Applied Logistic Regression) whose
coefficients give each factor's points.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from models.escalation_features import (
    COUNT_FACTORS,
    GRID_DAYS,
    LINEAR_FACTORS,
    NUMERIC_FACTORS,
    REPEAT_DAYS,
    SEVERITY_RANK,
    SIGNAL_DAYS,
    SIGNAL_RADIUS_M,
    as_of_per_case,
    escalation_features,
    event_clock,
    facts_reach,
    pairs_within,
)

__all__ = [
    "FACTOR_TEXT",
    "GRID_DAYS",
    "PRIOR_POINTS",
    "REPEAT_DAYS",
    "SEVERITY_RANK",
    "SIGNAL_DAYS",
    "SIGNAL_RADIUS_M",
    "EscalationScorer",
    "backtest_escalation",
    "escalation_features",
    "escalation_outcome",
    "facts_reach",
    "score_open_cases",
]

SEVERITY_TEXT = ("一般", "较大", "重大", "特别重大")
CATEGORY_TEXT = {
    "marriage_family": "婚姻家庭", "neighbour": "邻里纠纷", "land_forest": "土地山林",
    "debt": "债权债务", "labour_wages": "劳资纠纷", "property_management": "物业管理",
    "medical": "医疗纠纷", "traffic": "交通事故", "other": "其他",
}  # fmt: skip

FACTOR_TEXT = {
    "repeats_address": "同一地址此前已有{value:.0f}起纠纷",
    "repeats_parties": "同一当事人之间此前已有{value:.0f}起纠纷",
    "days_open": "已办理{value:.0f}天未结",
    "overdue": "已超过办结时限",
    "days_overdue": "超期{value:.0f}天",
    "signals_nearby": "周边近期风险信号{value:.0f}条",
    "severity": "严重程度：{value}",
    "category": "纠纷类别：{value}",
}

# Points before any outcome data (log-odds units; the intercept sets a 2 % base rate).
PRIOR_POINTS = {
    "intercept": np.log(0.02 / 0.98),
    "repeats_address": 0.5,
    "repeats_parties": 0.8,
    "days_open": 0.01,
    "overdue": 0.7,
    "days_overdue": 0.01,
    "signals_nearby": 0.3,
    "severity": 0.5,
    # Keyed by the stored category and by the clerks' Chinese labels.
    "category": {"婚姻家庭": 1.0, "邻里": 0.6, "土地": 0.6, "债务": 0.5, "山林水利": 0.4,
                 "marriage_family": 1.0, "neighbour": 0.6, "land_forest": 0.6, "debt": 0.5},
}  # fmt: skip


class EscalationScorer:
    """Probability that an open dispute escalates; actuarial points until fitted on outcomes.

    Parameters: ``C`` (inverse L2 strength), ``random_state``. After :meth:`fit`: ``model_``,
    ``categories_``, ``points_`` (log-odds per unit of each factor, per category).
    """

    def __init__(self, *, C: float = 1.0, random_state: int = 0) -> None:
        self.C = C
        self.random_state = random_state
        self.points_: dict[str, object] = dict(PRIOR_POINTS)

    def _matrix(self, features: pd.DataFrame, categories: Sequence[str]) -> np.ndarray:
        numeric = np.column_stack(
            [np.log1p(features[list(COUNT_FACTORS)].to_numpy(float)),
             features[list(LINEAR_FACTORS)].to_numpy(float)]
        )  # fmt: skip
        dummies = np.column_stack(
            [(features["category"] == c).to_numpy(float) for c in categories]
            or [np.zeros(len(features))]
        )
        return np.column_stack([numeric, dummies])

    def fit(self, features: pd.DataFrame, outcome: np.ndarray) -> EscalationScorer:
        """Fit on :func:`escalation_features` rows and a 0/1 outcome (escalated or not)."""
        y = np.asarray(outcome, dtype=int)
        if len(np.unique(y)) < 2:
            raise ValueError("the outcome needs both escalated and not-escalated cases")
        counts = features["category"].value_counts()
        self.categories_ = sorted(counts[counts >= 5].index)
        self.model_ = LogisticRegression(C=self.C, max_iter=1000, random_state=self.random_state)
        self.model_.fit(self._matrix(features, self.categories_), y)
        coef = self.model_.coef_[0]
        k = len(NUMERIC_FACTORS)
        self.points_ = {"intercept": float(self.model_.intercept_[0])}
        self.points_.update({n: float(c) for n, c in zip(NUMERIC_FACTORS, coef[:k], strict=True)})
        self.points_["category"] = {
            c: float(v) for c, v in zip(self.categories_, coef[k:], strict=False)
        }
        return self

    def _prior_logit(self, features: pd.DataFrame) -> np.ndarray:
        p = PRIOR_POINTS
        logit = np.full(len(features), p["intercept"])
        for name in COUNT_FACTORS:
            logit += p[name] * np.log1p(features[name].to_numpy(float))
        for name in LINEAR_FACTORS:
            logit += p[name] * features[name].to_numpy(float)
        logit += features["category"].map(p["category"]).fillna(0.0).to_numpy(float)
        return logit

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        """Probability of escalation per case (0-1)."""
        if not hasattr(self, "model_"):
            return 1.0 / (1.0 + np.exp(-self._prior_logit(features)))
        return self.model_.predict_proba(self._matrix(features, self.categories_))[:, 1]

    def score(self, features: pd.DataFrame) -> np.ndarray:
        """The score shown to users: probability in percent, rounded to one decimal."""
        return np.round(100.0 * self.predict_proba(features), 1)

    def reasons(self, features: pd.DataFrame, top: int = 3) -> list[list[str]]:
        """The factors that raise each case's score most, in plain Chinese."""
        out = []
        for _, row in features.iterrows():
            parts = []
            for name in NUMERIC_FACTORS:
                value = float(row[name])
                if value > 0 and float(self.points_.get(name, 0.0)) > 0:
                    effect = float(self.points_[name]) * (
                        value if name in LINEAR_FACTORS else np.log1p(value)
                    )
                    shown = SEVERITY_TEXT[min(int(value), 3)] if name == "severity" else value
                    parts.append((effect, FACTOR_TEXT[name].format(value=shown)))
            cat_points = self.points_.get("category", {})
            if float(cat_points.get(row["category"], 0.0)) > 0:
                label = CATEGORY_TEXT.get(row["category"], row["category"])
                text = FACTOR_TEXT["category"].format(value=label)
                parts.append((float(cat_points[row["category"]]), text))
            out.append([text for _, text in sorted(parts, reverse=True)[:top]])
        return out


def escalation_outcome(
    cases: pd.DataFrame,
    signals: pd.DataFrame,
    *,
    days: int = 30,
    radius_m: float = 1000.0,
    kinds: Sequence[str] = ("violence",),
) -> np.ndarray:
    """The outcome the scorer is fitted and backtested on: a case escalated when it ended
    unresolved (mediation failed, ``unresolved`` true) or when a signal of ``kinds`` (violence
    reports by default) was observed within ``radius_m`` of it in the ``days`` after ``as_of``.

    ``cases``: ``as_of`` (or ``reported_at``), ``lon``/``lat``, ``unresolved`` (bool).
    ``signals``: ``observed_at``, ``kind``, ``lon``/``lat``.
    """
    as_of = as_of_per_case(cases, None).to_numpy()
    escalated = cases["unresolved"].fillna(False).to_numpy(bool).copy()
    chosen = signals[signals["kind"].isin(list(kinds))]
    i, j = pairs_within(cases["lon"], cases["lat"], chosen["lon"], chosen["lat"], radius_m)
    seen = event_clock(chosen["observed_at"]).to_numpy()[j]
    after = (seen > as_of[i]) & (seen <= as_of[i] + np.timedelta64(days, "D"))
    escalated[i[after]] = True
    return escalated


def score_open_cases(
    features: pd.DataFrame,
    *,
    scorer: EscalationScorer | None = None,
    top_reasons: int = 3,
) -> pd.DataFrame:
    """Score cases from their :func:`escalation_features` and rank them, highest risk first.

    ``scorer`` defaults to the actuarial points. Returns the feature columns with ``score``
    (percent), ``reasons`` (Chinese phrases, strongest first) and ``rank`` (1 = highest),
    highest score first (ties by id).
    """
    scorer = scorer or EscalationScorer()
    ranked = features.copy()
    if ranked.empty:
        return ranked.assign(score=[], reasons=[], rank=[])
    ranked["score"] = scorer.score(ranked)
    ranked["reasons"] = scorer.reasons(ranked, top=top_reasons)
    ranked = ranked.sort_values(["score", "id"], ascending=[False, True], kind="stable")
    ranked["rank"] = np.arange(1, len(ranked) + 1)
    return ranked.reset_index(drop=True)


def backtest_escalation(
    disputes: pd.DataFrame,
    *,
    outcome: str,
    time_column: str = "reported_at",
    known_column: str | None = None,
    baseline_columns: Sequence[str] = (),
    folds: int = 4,
    top_share: float = 0.1,
    random_state: int = 0,
) -> pd.DataFrame:
    """Rolling-origin backtest on past disputes: each fold is scored by a model fitted only on
    disputes reported before it. ``disputes`` holds :func:`escalation_features` columns plus
    ``outcome`` and ``time_column``. With ``known_column`` (when each outcome became known),
    training rows are further limited to outcomes known before the fold starts. Returns one row
    per fold: AUC, Brier score, the share of escalations caught in the top ``top_share`` of
    scores, and the same for the unfitted actuarial points and for each of ``baseline_columns``
    taken as the score (for example severity alone; no Brier score, it is not a probability)."""
    ordered = disputes.sort_values(time_column).reset_index(drop=True)
    edges = np.linspace(0, len(ordered), folds + 2).astype(int)
    rows = []
    for k in range(1, folds + 1):
        train = ordered.iloc[: edges[k]]
        test = ordered.iloc[edges[k] : edges[k + 1]]
        if known_column is not None:
            start = pd.to_datetime(test[time_column]).min()
            train = train[pd.to_datetime(train[known_column]) < start]
        y_train, y_test = train[outcome].to_numpy(int), test[outcome].to_numpy(int)
        if len(np.unique(y_train)) < 2 or len(np.unique(y_test)) < 2:
            continue
        fitted = EscalationScorer(random_state=random_state).fit(train, y_train)
        row = {"fold": k, "train": len(train), "test": len(test), "escalated": int(y_test.sum())}
        scores = {
            "model": fitted.predict_proba(test),
            "prior": EscalationScorer().predict_proba(test),
        }
        scores.update({c: test[c].to_numpy(float) for c in baseline_columns})
        n_top = max(1, round(top_share * len(test)))
        for name, p in scores.items():
            top = np.argsort(-p, kind="mergesort")[:n_top]
            row[f"{name}_auc"] = float(roc_auc_score(y_test, p))
            if name in ("model", "prior"):
                row[f"{name}_brier"] = float(brier_score_loss(y_test, p))
            row[f"{name}_caught_top"] = float(y_test[top].sum() / y_test.sum())
            row[f"{name}_precision_top"] = float(y_test[top].sum() / n_top)
        rows.append(row)
    return pd.DataFrame(rows)
