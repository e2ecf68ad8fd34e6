"""Choose among forecasters per budget by rolling validation strictly before the period predicted.

For period t, every candidate is scored on each validation period v in [t - window, t - 1] from
the counts before v only, and the events it would have caught at each budget share are summed.
The winner at each share gives the flagged units of that tier: the smallest share's winner picks
its top units, the next share's winner adds its best units not yet taken, and so on; the rest
follow the largest share's winner. One score vector therefore serves every budget, each budget's
flags come from the method that did best on it just before, and nothing at or after t is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.stats import rankdata

from models.backtest import DEFAULT_SHARES, Forecaster, captured, flagged_set

__all__ = ["Remembered", "SelectingForecaster", "tiered_scores"]


class Remembered:
    """A forecaster whose forecast of each period is computed once: within one backtest (fixed
    counts), the selector's validation and the report share the same scores."""

    def __init__(self, forecast: Forecaster) -> None:
        self.forecast = forecast
        self.scores: dict[int, np.ndarray] = {}

    def __call__(self, past: np.ndarray, t: int) -> np.ndarray:
        if t not in self.scores:
            self.scores[t] = np.asarray(self.forecast(past, t), np.float64)
        return self.scores[t]


def tiered_scores(
    candidate_scores: Sequence[np.ndarray], shares: Sequence[float], sizes: np.ndarray | None
) -> np.ndarray:
    """One ranking that flags, at ``shares[k]``, the units ranked first by ``candidate_scores[k]``
    (shares ascending; units already taken by a smaller share are kept)."""
    n = len(candidate_scores[0])
    sizes = np.ones(n) if sizes is None else np.asarray(sizes, np.float64)
    tier = np.full(n, len(shares), dtype=np.int64)
    within = np.zeros(n)
    for k, (scores, share) in enumerate(zip(candidate_scores, shares, strict=True)):
        free = tier == len(shares)
        if not free.any():
            break
        budget = share * sizes.sum() - sizes[~free].sum()
        if budget <= 0:
            continue
        index = np.flatnonzero(free)
        chosen = index[flagged_set(scores[index], budget / sizes[index].sum(), sizes[index])]
        tier[chosen] = k
        within[chosen] = rankdata(scores[chosen]) / (len(chosen) + 1)
    rest = tier == len(shares)
    within[rest] = rankdata(candidate_scores[-1][rest]) / (rest.sum() + 1)
    return (len(shares) - tier) + within


class SelectingForecaster:
    """Callable ``f(past, t)``: the per-share winners of rolling validation, tiered into one score.

    Parameters:
        candidates: name -> forecaster (the baselines, the model, ...). Their order breaks ties
            in validation, so put simpler methods first.
        window: validation periods before t (fewer when the history is shorter).
        half_life: if given, recent validation periods weigh more (half the weight this many
            periods back), so the choice follows a change of regime sooner; by default every
            validation period weighs the same (on NYC shootings recency made the choice at 1 %
            jumpy and cost PAI).
        reselect_every: periods between choices (the choice is reused in between, and is always
            made from periods before the one predicted).
        shares, sizes: the budgets and what they are shares of (units equal by default).
    """

    def __init__(
        self,
        candidates: Mapping[str, Forecaster],
        *,
        window: int = 26,
        reselect_every: int = 1,
        shares: Sequence[float] = DEFAULT_SHARES,
        sizes: np.ndarray | None = None,
        min_history: int = 1,
        half_life: float | None = None,
    ) -> None:
        self.candidates = dict(candidates)
        self.window = window
        self.reselect_every = reselect_every
        self.shares = sorted(shares)
        self.sizes = sizes
        self.min_history = min_history
        self.half_life = half_life
        self._scores: dict[tuple[str, int], np.ndarray] = {}
        self._hits: dict[tuple[str, int], list[float]] = {}
        self.choice_: dict[float, str] = {}
        self.chosen_at_: int | None = None
        self.history_: list[tuple[int, dict[float, str]]] = []

    def candidate_scores(self, name: str, past: np.ndarray, t: int) -> np.ndarray:
        """Candidate ``name``'s scores for period t from ``past`` (counts before t), kept once
        computed for later periods' validation."""
        key = (name, t)
        if key not in self._scores:
            self._scores[key] = np.asarray(self.candidates[name](past[:t], t), np.float64)
        return self._scores[key]

    def validation_hits(self, past: np.ndarray, t: int) -> dict[str, dict[float, float]]:
        """Events each candidate would have caught at each share over the validation periods,
        weighted by recency."""
        first = max(self.min_history, t - self.window)
        hits = {name: dict.fromkeys(self.shares, 0.0) for name in self.candidates}
        for v in range(first, t):
            for name in self.candidates:
                if (name, v) not in self._hits:
                    scores = self.candidate_scores(name, past, v)
                    self._hits[name, v] = [
                        captured(scores, past[v], share, self.sizes) for share in self.shares
                    ]
                weight = 1.0 if self.half_life is None else 0.5 ** ((t - 1 - v) / self.half_life)
                for share, caught in zip(self.shares, self._hits[name, v], strict=True):
                    hits[name][share] += weight * caught
        return hits

    def choose(self, past: np.ndarray, t: int) -> dict[float, str]:
        """The best candidate at each share on the validation periods before t."""
        hits = self.validation_hits(past, t)
        names = list(self.candidates)
        choice = {}
        for share in self.shares:
            # A candidate must beat the earlier one by a clear margin to be chosen over it.
            best = names[0]
            for name in names[1:]:
                if hits[name][share] > hits[best][share] * 1.01 + 1e-9:
                    best = name
            choice[share] = best
        return choice

    def __call__(self, past: np.ndarray, t: int) -> np.ndarray:
        if past.shape[0] != t:
            raise ValueError("the forecaster must get exactly the periods before t")
        stale = self.chosen_at_ is None or not 0 <= t - self.chosen_at_ < self.reselect_every
        if stale:
            self.choice_ = self.choose(past, t)
            self.chosen_at_ = t
            self.history_.append((t, dict(self.choice_)))
        per_share = [self.candidate_scores(self.choice_[s], past, t) for s in self.shares]
        return tiered_scores(per_share, self.shares, self.sizes)
