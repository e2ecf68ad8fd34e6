"""The candidates' scores of a whole backtest span, computed side by side on a few threads (pure).

In a rolling-origin backtest each candidate is asked for period after period, in increasing order,
from the first validation period on; the selector, the report and the calibration then read the
same remembered scores (models.selector.Remembered). Candidates do not depend on each other, and
the trees (models.forecast.RiskForecaster) refit on a fixed schedule, every ``refit_every``
periods from the first one asked, so a block of periods between two refits depends only on the
counts before it: a fresh copy started at the block's first period gives the very scores the one
forecaster would have given in sequence. This module computes those blocks and the other
candidates at the same time and fills the remembered scores; the backtest that follows only reads
them. The heavy parts (histogram gradient boosting, sparse products, numpy reductions) run
outside the GIL, so threads share the cores without copying the counts.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from models.forecast import RiskForecaster
from models.selector import Remembered

__all__ = ["fill_scores", "score_blocks"]


def score_blocks(
    candidates: Mapping[str, Remembered], periods: Sequence[int]
) -> list[tuple[str, list[int]]]:
    """The independent pieces of work: (candidate, consecutive periods), the trees cut at their
    refits, largest first."""
    periods = sorted(int(t) for t in periods)
    blocks: list[tuple[str, list[int]]] = []
    for name, remembered in candidates.items():
        todo = [t for t in periods if t not in remembered.scores]
        if not todo:
            continue
        forecast = remembered.forecast
        if isinstance(forecast, RiskForecaster) and forecast.fitted_at_ is None:
            # Refits fall every refit_every periods from the first period asked.
            every = max(1, forecast.refit_every)
            cut: dict[int, list[int]] = {}
            for t in todo:
                cut.setdefault((t - todo[0]) // every, []).append(t)
            blocks += [(name, block) for block in cut.values()]
        else:
            blocks.append((name, todo))

    def heaviest_first(block: tuple[str, list[int]]) -> tuple[bool, int]:
        return not isinstance(candidates[block[0]].forecast, RiskForecaster), -len(block[1])

    return sorted(blocks, key=heaviest_first)


def fill_scores(
    candidates: Mapping[str, Remembered],
    counts: np.ndarray,
    periods: Sequence[int],
    *,
    workers: int = 2,
) -> None:
    """Compute every candidate's scores for ``periods`` (consecutive, each from the counts before
    it only) into its remembered scores, on ``workers`` threads."""
    counts = np.asarray(counts)
    blocks = score_blocks(candidates, periods)
    if not blocks:
        return

    def run(name: str, block: list[int]) -> tuple[str, dict[int, np.ndarray]]:
        forecast = candidates[name].forecast
        if isinstance(forecast, RiskForecaster):
            forecast = copy.copy(forecast)
            forecast.model_, forecast.fitted_at_ = None, None
        out = {}
        for t in block:
            past = counts[:t]
            past.setflags(write=False)
            out[t] = np.asarray(forecast(past, t), np.float64)
        return name, out

    if workers <= 1:
        results = [run(name, block) for name, block in blocks]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda b: run(*b), blocks))
    for name, scores in results:
        candidates[name].scores.update(scores)
