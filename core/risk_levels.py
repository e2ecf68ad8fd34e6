"""Risk in words: the four levels 高 / 较高 / 中 / 低 of a grid's expected disputes next week.

The risk model gives each grid λ, the expected number of disputes in the coming week. For a
Poisson count the chance of at least one is ``1 − e^−λ``, which orders grids exactly as λ
does, so the rule below may be read either way.

**The rule.** A grid's level compares its λ with the county's mean λ over all scored grids
of the same week (the county's typical grid):

- 高 high: λ ≥ 4 × the county mean;
- 较高 elevated: λ ≥ 2 × the county mean;
- 中 medium: λ ≥ the county mean;
- 低 low: below the county mean, or no score.

Multiples of the mean, not quantiles: a quantile rule puts a fixed share of grids in 高
every week, however calm the county, and moves a grid between levels when others change.
The county mean moves slowly (it is an average over every grid), so a grid keeps its level
from week to week unless its own expectation changes. The colours are the four of China's
risk-warning scale (红 橙 黄 蓝), the same on the map, in lists, in the report and in the
tile style.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RiskLevel:
    """One level: its key, Chinese name, English word, colour and the multiple it starts at."""

    key: str
    name: str
    english: str
    colour: str
    from_multiple: float

    @property
    def label(self) -> str:
        """The label shown on screen: Chinese first, the English word beside it."""
        return f"{self.name} {self.english}"


# Highest first; a grid takes the first level whose multiple it reaches.
LEVELS: tuple[RiskLevel, ...] = (
    RiskLevel("high", "高", "high", "#e03131", 4.0),
    RiskLevel("elevated", "较高", "elevated", "#f76707", 2.0),
    RiskLevel("medium", "中", "medium", "#fab005", 1.0),
    RiskLevel("low", "低", "low", "#1c7ed6", 0.0),
)
LEVEL_BY_KEY = {level.key: level for level in LEVELS}
UNSCORED_COLOUR = "#4b5563"


def chance_of_any(expected: float) -> float:
    """Poisson probability of at least one dispute when ``expected`` are expected."""
    return 1.0 - math.exp(-max(expected, 0.0))


def county_reference(expected: Sequence[float | None]) -> float | None:
    """The county's mean expected disputes per grid (None when no grid is scored)."""
    values = [float(v) for v in expected if v is not None and not math.isnan(float(v))]
    if not values:
        return None
    return sum(values) / len(values)


def level_of(expected: float | None, reference: float | None) -> RiskLevel | None:
    """The level of a grid expecting ``expected`` disputes against the county ``reference``.

    None when the grid has no score. With a reference of zero (nothing expected anywhere)
    every scored grid is 低.
    """
    if expected is None or math.isnan(float(expected)):
        return None
    if not reference or reference <= 0:
        return LEVELS[-1]
    ratio = float(expected) / reference
    return next(level for level in LEVELS if ratio >= level.from_multiple)


def levels_of(expected: Sequence[float | None]) -> list[RiskLevel | None]:
    """The level of every grid of one week, against that week's county mean."""
    reference = county_reference(expected)
    return [level_of(value, reference) for value in expected]


def expected_text(expected: float | None) -> str:
    """The expectation in plain words: "预计下周约0.3起", "预计下周约0.06起", "预计下周不到0.01起"."""
    if expected is None or math.isnan(float(expected)):
        return "暂无评分"
    value = float(expected)
    if value < 0.01:
        return "预计下周不到0.01起"
    if value < 0.1:
        return f"预计下周约{value:.2f}起"
    if value < 10:
        return f"预计下周约{value:.1f}起"
    return f"预计下周约{value:.0f}起"
