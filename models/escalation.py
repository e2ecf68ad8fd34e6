"""Case-level escalation risk for open disputes (命案风险预警): which cases may turn violent.

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
from scipy.spatial import cKDTree
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

__all__ = [
    "FACTOR_TEXT",
    "PRIOR_POINTS",
    "SEVERITY_RANK",
    "EscalationScorer",
    "backtest_escalation",
    "case_features",
    "escalation_outcome",
    "rank_open_cases",
    "score_open_cases",
]

# Counts enter as log(1 + value) (diminishing returns); flags and ordinal levels linearly.
COUNT_FACTORS = (
    "repeats_address",
    "repeats_parties",
    "days_open",
    "days_overdue",
    "signals_nearby",
)
LINEAR_FACTORS = ("overdue", "severity")
NUMERIC_FACTORS = COUNT_FACTORS + LINEAR_FACTORS

SEVERITY_RANK = {"minor": 0, "serious": 1, "major": 2, "critical": 3}
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

    ``cases``: ``category``, ``reported_at``, optional ``severity`` (minor … critical),
    ``as_of``, ``deadline``, ``address_code``, ``parties_key`` (an opaque key for the pair of
    parties, never names), ``x``/``y`` in metres.
    ``history``: earlier disputes with ``reported_at``, ``address_code``, ``parties_key`` (defaults
    to ``cases``). ``signals``: ``observed_at``, ``x``, ``y``. Only rows before ``as_of`` count.
    """
    as_of = pd.to_datetime(cases["as_of"] if "as_of" in cases else cases["reported_at"])
    reported = pd.to_datetime(cases["reported_at"])
    history = cases if history is None else history
    hist_time = pd.to_datetime(history["reported_at"])
    out = pd.DataFrame(index=cases.index)
    out["category"] = cases["category"].astype(str).to_numpy()
    if "severity" in cases:
        severity = cases["severity"]
        if not pd.api.types.is_numeric_dtype(severity):
            severity = severity.map(SEVERITY_RANK)
        out["severity"] = severity.fillna(0).astype(float).to_numpy()
    else:
        out["severity"] = 0.0
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
        """Fit on :func:`case_features` rows and a 0/1 outcome (escalated or not)."""
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

    ``cases``: ``as_of`` (or ``reported_at``), ``x``/``y`` in metres, ``unresolved`` (bool).
    ``signals``: ``observed_at``, ``kind``, ``x``/``y`` in metres.
    """
    as_of = pd.to_datetime(cases["as_of"] if "as_of" in cases else cases["reported_at"])
    escalated = cases["unresolved"].fillna(False).to_numpy(bool).copy()
    chosen = signals[signals["kind"].isin(list(kinds))]
    if len(chosen) and len(cases):
        tree = cKDTree(chosen[["x", "y"]].to_numpy(float))
        seen = pd.to_datetime(chosen["observed_at"]).to_numpy()
        near = tree.query_ball_point(cases[["x", "y"]].to_numpy(float), r=radius_m)
        window = np.timedelta64(days, "D")
        for i, (hits, when) in enumerate(zip(near, as_of.to_numpy(), strict=True)):
            if hits:
                times = seen[hits]
                escalated[i] |= bool(((times > when) & (times <= when + window)).any())
    return escalated


def rank_open_cases(
    open_cases: pd.DataFrame,
    *,
    history: pd.DataFrame | None = None,
    signals: pd.DataFrame | None = None,
    as_of: pd.Timestamp,
    scorer: EscalationScorer | None = None,
    top_reasons: int = 3,
) -> pd.DataFrame:
    """Score open disputes as of ``as_of`` from raw rows and rank them, highest risk first.

    ``open_cases`` as for :func:`case_features` plus an ``id`` column; ``history`` (all disputes
    of the area, open or closed) gives the repeats, ``signals`` the nearby signals. See
    :func:`score_open_cases` for the result.
    """
    cases = open_cases.assign(as_of=pd.Timestamp(as_of))
    features = case_features(cases, history=history, signals=signals)
    return _ranked(features, cases["id"], scorer or EscalationScorer(), top_reasons)


def score_open_cases(
    cases: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    scorer: EscalationScorer | None = None,
    top_reasons: int = 3,
) -> pd.DataFrame:
    """Score open disputes whose counts were already taken (by the database) and rank them.

    ``cases``: ``id``, ``category``, ``severity``, ``reported_at``, ``deadline`` (may be empty),
    ``repeats_address``, ``repeats_parties``, ``signals_nearby``. Time open and overdue are
    measured at ``as_of``. ``scorer`` defaults to the actuarial points. Returns ``id``,
    ``score`` (percent), ``rank`` (1 = highest), ``reasons`` (Chinese phrases, strongest first)
    and the factor columns, highest score first (ties by id).
    """
    as_of = pd.Timestamp(as_of)
    features = pd.DataFrame(index=cases.index)
    features["category"] = cases["category"].astype(str)
    severity = cases["severity"]
    if not pd.api.types.is_numeric_dtype(severity):
        severity = severity.map(SEVERITY_RANK)
    features["severity"] = severity.fillna(0).astype(float)
    for name in ("repeats_address", "repeats_parties", "signals_nearby"):
        features[name] = pd.to_numeric(cases[name]).fillna(0).astype(float)
    reported = pd.to_datetime(cases["reported_at"], utc=True)
    when = as_of.tz_localize("UTC") if as_of.tzinfo is None else as_of
    features["days_open"] = ((when - reported) / pd.Timedelta(days=1)).clip(lower=0)
    late = (when - pd.to_datetime(cases["deadline"], utc=True)) / pd.Timedelta(days=1)
    features["overdue"] = (late > 0).astype(float)
    features["days_overdue"] = late.clip(lower=0).fillna(0.0)
    return _ranked(features, cases["id"], scorer or EscalationScorer(), top_reasons)


def _ranked(
    features: pd.DataFrame, ids: pd.Series, scorer: EscalationScorer, top_reasons: int
) -> pd.DataFrame:
    features = features.copy()
    features.insert(0, "id", ids.to_numpy())
    if features.empty:
        return features.assign(score=[], reasons=[], rank=[])
    features["score"] = scorer.score(features)
    features["reasons"] = scorer.reasons(features, top=top_reasons)
    features = features.sort_values(["score", "id"], ascending=[False, True], kind="stable")
    features["rank"] = np.arange(1, len(features) + 1)
    return features.reset_index(drop=True)


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
    disputes reported before it. ``disputes`` holds :func:`case_features` columns plus ``outcome``
    and ``time_column``. With ``known_column`` (when each outcome became known), training rows
    are further limited to outcomes known before the fold starts. Returns one row per fold: AUC,
    Brier score, the share of escalations caught in the top ``top_share`` of scores, and the same
    for the unfitted actuarial points and for each of ``baseline_columns`` taken as the score
    (for example severity alone; no Brier score, it is not a probability)."""
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
