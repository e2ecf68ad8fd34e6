"""Case-level escalation risk for open disputes (命案风险预警): which cases may turn violent.

What the score means: ``score`` is the estimated probability, in percent, that a dispute in the
state described (category, repeats, time open, overdue, signals nearby) reaches the outcome the
model was fitted on, for example "escalated to violence or a criminal case" within the follow-up
window of the training data. A score of 30 means: of past disputes that looked like this one,
about 30 in 100 escalated. It is a ranking aid for the supervision meeting, never a finding about
a person. Before any outcome data exist the scorer uses fixed actuarial points (``PRIOR_POINTS``),
in the tradition of counting risk factors (Hilton et al. 2004, ODARA, Psychological Assessment
16(3)); once fitted it is an L2-penalised logistic regression (Hosmer, Lemeshow & Sturdivant 2013,
Applied Logistic Regression) whose coefficients give each factor's points.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

__all__ = [
    "FACTOR_TEXT",
    "PRIOR_POINTS",
    "EscalationScorer",
    "backtest_escalation",
    "case_features",
]

NUMERIC_FACTORS = (
    "repeats_address",
    "repeats_parties",
    "days_open",
    "overdue",
    "days_overdue",
    "signals_nearby",
)

FACTOR_TEXT = {
    "repeats_address": "同一地址此前已有{value:.0f}起纠纷",
    "repeats_parties": "同一当事人之间此前已有{value:.0f}起纠纷",
    "days_open": "已办理{value:.0f}天未结",
    "overdue": "已超过办结时限",
    "days_overdue": "超期{value:.0f}天",
    "signals_nearby": "周边近期风险信号{value:.0f}条",
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
    "category": {"婚姻家庭": 1.0, "邻里": 0.6, "土地": 0.6, "债务": 0.5, "山林水利": 0.4},
}


def _prior_count(
    keys: pd.Series, times: pd.Series, history_keys: pd.Series, history_times: pd.Series, days: int
) -> np.ndarray:
    """For each (key, time): history rows with the same key strictly before time, within days."""
    out = np.zeros(len(keys))
    window = pd.Timedelta(days=days)
    grouped = {
        k: np.sort(g.to_numpy(dtype="datetime64[ns]"))
        for k, g in history_times.groupby(history_keys.to_numpy())
    }
    for i, (key, when) in enumerate(zip(keys.to_numpy(), times.to_numpy(), strict=True)):
        if pd.isna(key) or key not in grouped:
            continue
        stamps = grouped[key]
        lo = np.searchsorted(stamps, np.datetime64(when - window), side="left")
        hi = np.searchsorted(stamps, np.datetime64(when), side="left")
        out[i] = hi - lo
    return out


def case_features(
    cases: pd.DataFrame,
    *,
    history: pd.DataFrame | None = None,
    signals: pd.DataFrame | None = None,
    repeat_days: int = 365,
    signal_days: int = 30,
    signal_radius_m: float = 500.0,
) -> pd.DataFrame:
    """The factors of each case as known at its ``as_of`` time (default: ``reported_at``).

    ``cases``: ``category``, ``reported_at``, optional ``as_of``, ``deadline``, ``address_code``,
    ``parties_key`` (an opaque key for the pair of parties, never names), ``x``/``y`` in metres.
    ``history``: earlier disputes with ``reported_at``, ``address_code``, ``parties_key`` (defaults
    to ``cases``). ``signals``: ``observed_at``, ``x``, ``y``. Only rows before ``as_of`` count.
    """
    as_of = pd.to_datetime(cases["as_of"] if "as_of" in cases else cases["reported_at"])
    reported = pd.to_datetime(cases["reported_at"])
    history = cases if history is None else history
    hist_time = pd.to_datetime(history["reported_at"])
    out = pd.DataFrame(index=cases.index)
    out["category"] = cases["category"].astype(str).to_numpy()
    for column, name in (("address_code", "repeats_address"), ("parties_key", "repeats_parties")):
        if column in cases and column in history:
            out[name] = _prior_count(
                cases[column], reported, history[column], hist_time, repeat_days
            )
        else:
            out[name] = 0.0
    out["days_open"] = ((as_of - reported) / pd.Timedelta(days=1)).clip(lower=0).to_numpy()
    if "deadline" in cases:
        late = (as_of - pd.to_datetime(cases["deadline"])) / pd.Timedelta(days=1)
        out["overdue"] = (late > 0).astype(float).to_numpy()
        out["days_overdue"] = late.clip(lower=0).fillna(0).to_numpy()
    else:
        out["overdue"] = 0.0
        out["days_overdue"] = 0.0
    out["signals_nearby"] = 0.0
    if signals is not None and len(signals) and {"x", "y"} <= set(cases.columns):
        tree = cKDTree(signals[["x", "y"]].to_numpy(float))
        seen = pd.to_datetime(signals["observed_at"]).to_numpy()
        near = tree.query_ball_point(cases[["x", "y"]].to_numpy(float), r=signal_radius_m)
        window = np.timedelta64(signal_days, "D")
        counts = []
        for hits, when in zip(near, as_of.to_numpy(), strict=True):
            times = seen[hits] if hits else seen[:0]
            counts.append(float(((times < when) & (times >= when - window)).sum()))
        out["signals_nearby"] = counts
    return out


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
        numeric = features[list(NUMERIC_FACTORS)].to_numpy(float)
        numeric = np.column_stack([np.log1p(numeric[:, [0, 1, 2, 4, 5]]), numeric[:, 3]])
        dummies = np.column_stack(
            [(features["category"] == c).to_numpy(float) for c in categories]
            or [np.zeros(len(features))]
        )
        return np.column_stack([numeric, dummies])

    def fit(self, features: pd.DataFrame, outcome: np.ndarray) -> EscalationScorer:
        """Fit on :func:`case_features` rows and a 0/1 outcome (escalated or not)."""
        y = np.asarray(outcome, dtype=int)
        if len(np.unique(y)) < 2:
            raise ValueError("the outcome needs both escalated and not-escalated cases")
        counts = features["category"].value_counts()
        self.categories_ = sorted(counts[counts >= 5].index)
        self.model_ = LogisticRegression(C=self.C, max_iter=1000, random_state=self.random_state)
        self.model_.fit(self._matrix(features, self.categories_), y)
        coef = self.model_.coef_[0]
        names = ["repeats_address", "repeats_parties", "days_open", "days_overdue"]
        names += ["signals_nearby", "overdue"]
        self.points_ = {"intercept": float(self.model_.intercept_[0])}
        self.points_.update({n: float(c) for n, c in zip(names, coef[:6], strict=True)})
        self.points_["category"] = {
            c: float(v) for c, v in zip(self.categories_, coef[6:], strict=False)
        }
        return self

    def _prior_logit(self, features: pd.DataFrame) -> np.ndarray:
        p = PRIOR_POINTS
        logit = np.full(len(features), p["intercept"])
        for name in NUMERIC_FACTORS:
            logit += p[name] * np.log1p(features[name].to_numpy(float))
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
                        value if name == "overdue" else np.log1p(value)
                    )
                    parts.append((effect, FACTOR_TEXT[name].format(value=value)))
            cat_points = self.points_.get("category", {})
            if float(cat_points.get(row["category"], 0.0)) > 0:
                text = FACTOR_TEXT["category"].format(value=row["category"])
                parts.append((float(cat_points[row["category"]]), text))
            out.append([text for _, text in sorted(parts, reverse=True)[:top]])
        return out


def backtest_escalation(
    disputes: pd.DataFrame,
    *,
    outcome: str,
    time_column: str = "reported_at",
    folds: int = 4,
    top_share: float = 0.1,
    random_state: int = 0,
) -> pd.DataFrame:
    """Rolling-origin backtest on past disputes: each fold is scored by a model fitted only on
    disputes reported before it. ``disputes`` holds :func:`case_features` columns plus ``outcome``
    and ``time_column``. Returns one row per fold: AUC, Brier score, the share of escalations
    caught in the top ``top_share`` of scores, and the same for the unfitted actuarial points."""
    ordered = disputes.sort_values(time_column).reset_index(drop=True)
    edges = np.linspace(0, len(ordered), folds + 2).astype(int)
    rows = []
    for k in range(1, folds + 1):
        train = ordered.iloc[: edges[k]]
        test = ordered.iloc[edges[k] : edges[k + 1]]
        y_train, y_test = train[outcome].to_numpy(int), test[outcome].to_numpy(int)
        if len(np.unique(y_train)) < 2 or len(np.unique(y_test)) < 2:
            continue
        fitted = EscalationScorer(random_state=random_state).fit(train, y_train)
        row = {"fold": k, "train": len(train), "test": len(test), "escalated": int(y_test.sum())}
        for name, scorer in (("model", fitted), ("prior", EscalationScorer())):
            p = scorer.predict_proba(test)
            n_top = max(1, round(top_share * len(test)))
            top = np.argsort(-p, kind="mergesort")[:n_top]
            row[f"{name}_auc"] = float(roc_auc_score(y_test, p))
            row[f"{name}_brier"] = float(brier_score_loss(y_test, p))
            row[f"{name}_caught_top"] = float(y_test[top].sum() / y_test.sum())
        rows.append(row)
    return pd.DataFrame(rows)
