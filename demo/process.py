"""The generative process of the demo county's disputes and signals (see demo/README.md).

Disputes are a self-exciting (Hawkes-type) point process on addresses and days:

* a background rate per grid, day and category: households^0.8 × a stable propensity of the grid ×
  the category's dependence on the grid (town or village, distance to the township seat) × the
  season (Spring Festival homecoming, ploughing, harvest) × the weekday × exp(latent risk of the
  grid, 1–3 weeks earlier);
* the latent risk: a slowly drifting, spatially smoothed AR(1) per grid plus tension episodes
  (a grid and its neighbours heat up for a few weeks);
* every dispute triggers follow-ups: repeats at the same address between the same parties and
  near-repeats at addresses within 600 m, a few days to weeks later, far more often when the case
  ended unresolved.

Signals (hazards, petitions, incidents, alerts) follow the same latent risk without the lag, so
they lead disputes in the same and neighbouring grids by one to three weeks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

CATEGORY_SHARES = {
    "marriage_family": 0.22,
    "neighbour": 0.22,
    "land_forest": 0.17,
    "debt": 0.11,
    "labour_wages": 0.08,
    "property_management": 0.04,
    "medical": 0.03,
    "traffic": 0.07,
    "other": 0.06,
}
HOMECOMING = ("marriage_family", "debt", "labour_wages")
SPRING_FESTIVAL = {
    2018: "2018-02-16", 2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12",
    2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29",
    2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13",
    2030: "2030-02-03",
}  # fmt: skip
WEEKDAY_INTAKE = np.array([1.15, 1.1, 1.1, 1.1, 1.15, 0.7, 0.55])
AR_RHO = 0.95
AR_SD = 0.5
EPISODES_PER_GRID_YEAR = 0.05
BRANCHING_RESOLVED = 0.16
BRANCHING_UNRESOLVED = 0.9
REPEAT_SHARE = 0.55
NEAR_REPEAT_RADIUS_M = 600.0
SIGNAL_KINDS = {"hazard": 0.35, "petition": 0.15, "public_security": 0.25, "violence": 0.05,
                "alert": 0.20}  # fmt: skip


@dataclass
class GridCovariates:
    """What the process knows about each grid (arrays in grid order)."""

    households: np.ndarray
    urban: np.ndarray  # bool: grid in a community (town)
    seat_km: np.ndarray  # distance from the grid's houses to its township seat
    adjacency: sparse.csr_matrix  # binary, symmetric, no self loops


def day_axis(end: dt.date, years: int) -> pd.DatetimeIndex:
    """The days covered: ``years`` years ending on ``end`` (inclusive)."""
    start = pd.Timestamp(end) - pd.DateOffset(years=years) + pd.Timedelta(days=1)
    return pd.date_range(start, pd.Timestamp(end), freq="D")


def _bump(days: pd.DatetimeIndex, centres: list[pd.Timestamp], sd_days: float) -> np.ndarray:
    out = np.zeros(len(days))
    for c in centres:
        out += np.exp(-0.5 * (((days - c).days.to_numpy()) / sd_days) ** 2)
    return out


def seasonal_factors(days: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """Category → multiplier per day: homecoming around Spring Festival, ploughing, harvest."""
    years = range(days[0].year - 1, days[-1].year + 2)
    festivals = [
        pd.Timestamp(SPRING_FESTIVAL.get(y, f"{y}-02-05")) + pd.Timedelta(days=4) for y in years
    ]
    homecoming = 1 + 2.2 * _bump(days, festivals, 11.0)
    ploughing = _bump(days, [pd.Timestamp(f"{y}-04-01") for y in years], 18.0)
    harvest = _bump(days, [pd.Timestamp(f"{y}-08-31") for y in years], 20.0)
    land = 0.55 + 1.8 * (ploughing + harvest)
    factors = {c: np.ones(len(days)) for c in CATEGORY_SHARES}
    for c in HOMECOMING:
        factors[c] = homecoming
    factors["land_forest"] = land
    factors["neighbour"] = 1 + 0.4 * (ploughing + harvest)
    return factors


def category_weights(cov: GridCovariates) -> dict[str, np.ndarray]:
    """Category → relative rate per grid, from town/village and distance to the seat."""
    urban, km = cov.urban, cov.seat_km
    rural = ~urban
    w = {c: np.full(len(urban), share) for c, share in CATEGORY_SHARES.items()}
    w["land_forest"] *= np.where(rural, np.exp(0.05 * km), 0.08)
    w["property_management"] *= np.where(urban, 9.0, 0.1)
    w["traffic"] *= np.exp(-0.08 * km) * np.where(urban, 2.0, 1.0)
    w["medical"] *= np.exp(-0.1 * km)
    w["labour_wages"] *= np.where(urban, 1.6, 1.0)
    return w


def latent_risk(
    cov: GridCovariates, n_weeks: int, years: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Latent risk per (week, grid): drifting AR(1) smoothed over neighbours, plus episodes.

    Returns the risk and a 0/1 mask of the weeks and grids inside a tension episode.
    """
    n = len(cov.households)
    degree = np.asarray(cov.adjacency.sum(1)).ravel()
    smooth = sparse.identity(n) + 0.8 * sparse.diags(1 / np.maximum(degree, 1)) @ cov.adjacency
    z = np.zeros((n_weeks, n))
    state = rng.normal(0, AR_SD, n)
    for w in range(n_weeks):
        shock = smooth @ rng.normal(0, 1, n)
        state = AR_RHO * state + np.sqrt(1 - AR_RHO**2) * AR_SD * shock / 1.2
        z[w] = state
    episodes = np.zeros((n_weeks, n))
    n_episodes = rng.poisson(EPISODES_PER_GRID_YEAR * n * years)
    p = cov.households / cov.households.sum()
    for g, start in zip(
        rng.choice(n, size=n_episodes, p=p), rng.integers(0, n_weeks, n_episodes), strict=True
    ):
        length = int(rng.integers(3, 9))
        amp = rng.uniform(1.2, 2.2)
        weeks = slice(start, min(n_weeks, start + length))
        episodes[weeks, g] = np.maximum(episodes[weeks, g], amp)
        for nb in cov.adjacency[g].indices:
            episodes[weeks, nb] = np.maximum(episodes[weeks, nb], 0.5 * amp)
    return z + episodes, (episodes > 0)


def background_counts(
    cov: GridCovariates,
    days: pd.DatetimeIndex,
    risk_lagged: np.ndarray,
    propensity: np.ndarray,
    expected_total: float,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Immigrant disputes: rows (day index, grid index, category) drawn from the background rate."""
    seasons = seasonal_factors(days)
    weights = category_weights(cov)
    weekday = WEEKDAY_INTAKE[days.day_of_week.to_numpy()]
    base = (cov.households**0.8) * propensity * np.exp(-0.02 * cov.seat_km)
    risk = np.exp(risk_lagged[np.arange(len(days)) // 7])
    rates = {
        c: (seasons[c] * weekday)[:, None] * (base * weights[c])[None, :] * risk
        for c in CATEGORY_SHARES
    }
    scale = expected_total / sum(r.sum() for r in rates.values())
    rows = []
    for code, rate in enumerate(rates.values()):
        counts = rng.poisson(rate * scale)
        d, g = np.nonzero(counts)
        reps = counts[d, g]
        cat = np.full(reps.sum(), code)
        rows.append(np.column_stack([np.repeat(d, reps), np.repeat(g, reps), cat]))
    out = np.vstack(rows)
    return pd.DataFrame(out, columns=["day", "grid", "category"])
