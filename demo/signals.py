"""Risk signals of the demo county: hazards, petitions, incidents, violence reports and alerts.

Signals follow the grid's latent risk of the same week (disputes follow it one to three weeks
later), so they lead disputes. Tension episodes bring petitions and violence reports above all;
part of the alerts from other systems is unrelated to the latent risk (noise a model must learn
to discount).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo.noise import gps_jitter, noisy_address
from demo.process import SIGNAL_KINDS
from demo.texts import describe_signal

KIND_WEIGHT = {"hazard": 1.0, "petition": 2.0, "public_security": 1.5, "violence": 3.0,
               "alert": 1.0}  # fmt: skip
EPISODE_BOOST = {"hazard": 0.5, "petition": 2.0, "public_security": 1.0, "violence": 4.0,
                 "alert": 0.5}  # fmt: skip
RISK_ELASTICITY = 1.3
ALERT_NOISE_SHARE = 0.3


def build_signals(
    *,
    risk: np.ndarray,
    episode: np.ndarray,
    cov,
    propensity: np.ndarray,
    picker,
    places,
    addresses: pd.DataFrame,
    frame,
    start: pd.Timestamp,
    n_days: int,
    expected_total: float,
    county_code: str,
    county_name: str,
    county_region: str,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One row per signal: external_id, observed_at, kind, weight, address, lon, lat, truth."""
    base = (cov.households**0.7) * np.sqrt(propensity)
    follow = np.exp(RISK_ELASTICITY * risk)
    rates = {}
    for kind, share in SIGNAL_KINDS.items():
        driven = follow * (1 + EPISODE_BOOST[kind] * episode)
        if kind == "alert":
            driven = (1 - ALERT_NOISE_SHARE) * driven + ALERT_NOISE_SHARE * follow.mean()
        rates[kind] = share * base[None, :] * driven
    scale = expected_total / sum(r.sum() for r in rates.values())
    parts = []
    for kind, rate in rates.items():
        counts = rng.poisson(rate * scale)
        w, g = np.nonzero(counts)
        reps = counts[w, g]
        parts.append(pd.DataFrame({"week": np.repeat(w, reps), "grid": np.repeat(g, reps),
                                   "kind": kind}))  # fmt: skip
    table = pd.concat(parts, ignore_index=True)
    t = table["week"].to_numpy() * 7 + rng.uniform(0, 7, len(table))
    table = table[t < n_days].assign(t=t[t < n_days]).sort_values("t", kind="stable")
    table = table.reset_index(drop=True)
    n = len(table)
    a = picker.pick(table["grid"].to_numpy(), rng)
    addr = addresses.iloc[a].reset_index(drop=True)
    xy = places.addresses[["x", "y"]].to_numpy()[a]
    gps = frame.xy_to_lonlat(xy + gps_jitter(n, rng))
    has_gps = rng.uniform(size=n) < 0.85
    has_text = (rng.uniform(size=n) < 0.4) | ~has_gps
    aliases = places.villages.set_index("code")["aliases"]
    texts = [
        noisy_address(
            county=county_name, region=county_region, township=r.township, village=r.village,
            village_aliases=aliases.get(r.village_code), group_no=r.group_no, road=r.road,
            number=r.number, building=r.building, rng=rng,
        ) if keep else None
        for r, keep in zip(addr.itertuples(index=False), has_text, strict=True)
    ]  # fmt: skip
    kinds = table["kind"].to_numpy()
    return pd.DataFrame(
        {
            "external_id": [f"{county_code}-SG-{i + 1:06d}" for i in range(n)],
            "county_code": county_code,
            "observed_at": start + pd.to_timedelta(table["t"].to_numpy(), unit="D"),
            "kind": kinds,
            "weight": np.round(
                np.array([KIND_WEIGHT[k] for k in kinds]) * rng.uniform(0.8, 1.2, n), 2
            ),
            "address": texts,
            "lon": np.where(has_gps, gps[:, 0], np.nan),
            "lat": np.where(has_gps, gps[:, 1], np.nan),
            "description": [describe_signal(k, rng) for k in kinds],
            "true_address_code": addr["code"].to_numpy(),
            "true_grid_code": addr["grid_code"].to_numpy(),
        }
    )
