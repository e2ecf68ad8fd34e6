"""Risk in words: the four levels 高 / 较高 / 中 / 低 of a grid's chance of disputes next week.

The risk model gives each grid λ, the expected number of disputes in the coming week, and the
service stores beside it ``probability``, the calibrated chance of at least one dispute (the
share of grids with a dispute among grids scored alike in the county's recent past,
models.calibration). For a Poisson count the chance of at least one is ``p = 1 − e^−λ``.

**The rule, in chances.** Let ``p̄`` be the chance of at least one dispute of the county's
typical grid (a grid expecting the county's mean λ̄ over all grids scored that week), so that
``1 − p̄`` is its chance of a quiet week. A grid is

- 高 high when its chance of a quiet week is at most ``(1 − p̄)⁴``: as unlikely to stay quiet
  as four typical grids together;
- 较高 elevated when at most ``(1 − p̄)²`` (two typical grids together);
- 中 medium when at most ``1 − p̄`` (at least the typical grid's chance);
- 低 low otherwise, or when it has no score.

Under the Poisson model ``1 − p = e^−λ``, so ``1 − p ≤ (1 − p̄)^k`` is exactly ``λ ≥ k·λ̄``: the
rule is computed on λ (:func:`level_of`, multiples of the county mean) and on chances
(:func:`level_of_chance`) with the same result. The calibrated probability shown beside the level
is a monotone function of λ, so a higher level never shows a lower chance.

Multiples of the typical grid, not quantiles: a quantile rule puts a fixed share of grids in 高
every week, however calm the county, and moves a grid between levels when others change. The
county mean moves slowly (it is an average over every grid), so a grid keeps its level from
week to week unless its own expectation changes. The colours are the four of China's
risk-warning scale (红 橙 黄 蓝), the same on the map, in lists, in the report and in the tile
style.
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


def level_of_chance(chance: float | None, county_chance: float | None) -> RiskLevel | None:
    """The level of a grid whose chance of at least one dispute is ``chance``, against the
    chance ``county_chance`` of the county's typical grid (the rule of the module docstring;
    the same level as :func:`level_of` on the Poisson expectations)."""
    if chance is None or math.isnan(float(chance)):
        return None
    if not county_chance or county_chance <= 0:
        return LEVELS[-1]
    if chance >= 1.0:
        return LEVELS[0]
    quiet, typical_quiet = math.log1p(-float(chance)), math.log1p(-min(county_chance, 1.0))
    if typical_quiet == -math.inf:
        return LEVELS[-1]
    return next(level for level in LEVELS if quiet <= level.from_multiple * typical_quiet)


def levels_of(expected: Sequence[float | None]) -> list[RiskLevel | None]:
    """The level of every grid of one week, against that week's county mean."""
    reference = county_reference(expected)
    return [level_of(value, reference) for value in expected]


def expected_text(expected: float | None) -> str:
    """The expectation in plain words: "预计下周约0.3起", "约0.06起", "不到0.01起"."""
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


def chance_text(probability: float | None) -> str | None:
    """The chance of at least one dispute in plain words: "下周至少一起的概率约12%", "不到1%"."""
    if probability is None or math.isnan(float(probability)):
        return None
    percent = 100.0 * float(probability)
    if percent < 1.0:
        return "下周至少一起的概率不到1%"
    if percent > 99.0:
        return "下周至少一起的概率超过99%"
    return f"下周至少一起的概率约{percent:.0f}%"
