"""How many grids, groups, addresses, houses, residents and events a demo county gets.

A county whose figures were published (``data/county_profiles.json``) gets them exactly; any other
county is scaled from its number of villages with the per-village averages of the published
counties, so that a fake county of 60 villages looks like a real one of 60 villages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import numpy as np

from demo.inputs import DATA_DIR

PROFILES_FILE = DATA_DIR / "county_profiles.json"
_FIELDS = (
    "grids",
    "household_groups",
    "addresses",
    "houses",
    "residents",
    "disputes_per_year",
    "signals_per_year",
)


@dataclass(frozen=True)
class CountyTargets:
    """Totals the generator must reach for one county."""

    grids: int
    household_groups: int
    addresses: int
    houses: int
    residents: int
    disputes_per_year: float
    signals_per_year: float


@cache
def published_profiles() -> dict[str, dict]:
    """County code → published figures (see ``data/county_profiles.json``)."""
    with PROFILES_FILE.open(encoding="utf-8") as fh:
        raw = json.load(fh)
    return {code: fig for code, fig in raw.items() if not code.startswith("_")}


def _per_village_means() -> dict[str, float]:
    profiles = published_profiles().values()
    villages = sum(p["villages"] for p in profiles)
    return {f: sum(p[f] for p in profiles) / villages for f in _FIELDS}


def targets_for(county_code: str, n_villages: int) -> CountyTargets:
    """Targets for ``county_code``: published figures if known, else scaled from village count.

    Published figures apply only when the divisions given match the published village count
    (a subset of a county's villages is scaled like any other county).
    """
    published = published_profiles().get(county_code)
    if published is not None and published["villages"] == n_villages:
        return CountyTargets(**{f: published[f] for f in _FIELDS})
    means = _per_village_means()
    scaled = {f: means[f] * n_villages for f in _FIELDS}
    ints = {f: max(1, round(scaled[f])) for f in _FIELDS[:5]}
    ints["grids"] = max(ints["grids"], n_villages)
    ints["household_groups"] = max(ints["household_groups"], ints["grids"])
    ints["addresses"] = max(ints["addresses"], 4 * ints["household_groups"])
    ints["houses"] = max(ints["houses"], ints["addresses"])
    return CountyTargets(
        **ints,
        disputes_per_year=scaled["disputes_per_year"],
        signals_per_year=scaled["signals_per_year"],
    )


def apportion(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder).

    Every share gets at least ``minimum``; ties are broken by position, so the result is
    deterministic.
    """
    weights = np.asarray(weights, dtype=float)
    n = len(weights)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    base = np.full(n, minimum, dtype=np.int64)
    rest = int(total) - int(base.sum())
    if rest < 0:
        raise ValueError(f"cannot give {n} shares at least {minimum} out of {total}")
    w = np.clip(weights, 0, None)
    w = np.ones(n) if w.sum() <= 0 else w / w.sum()
    exact = w * rest
    floor = np.floor(exact).astype(np.int64)
    short = rest - int(floor.sum())
    order = np.lexsort((np.arange(n), -(exact - floor)))
    floor[order[:short]] += 1
    return base + floor
