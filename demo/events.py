"""Two years of disputes and signals for the demo county, as a clerk's intake files.

The process itself lives in :mod:`demo.process`; this module places the events on addresses,
runs the follow-up cascade, decides how each case ended, and writes the rows the intake path
expects (noisy text, jittered GPS, synthetic parties) together with the truth for benchmarks.
"""

from __future__ import annotations

import datetime as dt
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.spatial import cKDTree

from demo.geometry import LocalFrame
from demo.noise import gps_jitter, noisy_address
from demo.process import (
    BRANCHING_RESOLVED,
    BRANCHING_UNRESOLVED,
    CATEGORY_SHARES,
    NEAR_REPEAT_RADIUS_M,
    REPEAT_SHARE,
    GridCovariates,
    background_counts,
    day_axis,
    latent_risk,
)
from demo.profile import CountyTargets
from demo.signals import build_signals
from demo.texts import describe_dispute, parties_for

TZ = "Asia/Shanghai"
MAX_LAG_WEEKS = 3
CATEGORIES = list(CATEGORY_SHARES)
SEVERITIES = ["minor", "serious", "major", "critical"]
SEVERITY_P = np.array([0.80, 0.15, 0.04, 0.01])
SEVERITY_SLOWDOWN = np.array([1.0, 1.5, 2.2, 3.0])
UNRESOLVED_BASE = 0.022
DAYS_TO_CLOSE = {"marriage_family": 7, "neighbour": 5, "land_forest": 15, "debt": 12,
                 "labour_wages": 10, "property_management": 6, "medical": 14, "traffic": 8,
                 "other": 5}  # fmt: skip


def grid_covariates(
    grids: gpd.GeoDataFrame,
    addresses: pd.DataFrame,
    addr_xy: np.ndarray,
    communities: set[str],
    seat_xy: dict[str, np.ndarray],
) -> GridCovariates:
    """Households, town flag, distance to the township seat and adjacency of every grid."""
    codes = grids["code"].to_numpy()
    index = {c: i for i, c in enumerate(codes)}
    g = addresses["grid_code"].map(index).to_numpy()
    w = addresses["houses"].to_numpy(dtype=float)
    centre = (
        np.column_stack([np.bincount(g, w * addr_xy[:, k], len(codes)) for k in (0, 1)])
        / np.bincount(g, w, len(codes))[:, None]
    )
    seats = np.array([seat_xy[t] for t in grids["township_code"]])
    geoms = grids.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left != right
    adjacency = sparse.csr_matrix(
        (np.ones(keep.sum()), (left[keep], right[keep])), shape=(len(codes), len(codes))
    )
    return GridCovariates(
        households=grids["households"].to_numpy(dtype=float),
        urban=grids["village_code"].isin(communities).to_numpy(),
        seat_km=np.hypot(*(centre - seats).T) / 1000.0,
        adjacency=(adjacency > 0).astype(float).tocsr(),
    )


class AddressPicker:
    """Draws addresses inside a grid (∝ residents × a skewed per-household propensity)."""

    def __init__(self, grid_index: np.ndarray, weight: np.ndarray, n_grids: int):
        self.order = np.argsort(grid_index, kind="stable")
        self.cum = np.cumsum(weight[self.order])
        bounds = np.searchsorted(grid_index[self.order], np.arange(n_grids + 1))
        self.lo, self.hi = bounds[:-1], bounds[1:]

    def pick(self, grids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One address index per entry of ``grids``."""
        start = np.where(self.lo[grids] > 0, self.cum[np.maximum(self.lo[grids] - 1, 0)], 0.0)
        stop = self.cum[self.hi[grids] - 1]
        u = start + rng.uniform(size=len(grids)) * (stop - start)
        pos = np.searchsorted(self.cum, u, side="right")
        return self.order[np.clip(pos, self.lo[grids], self.hi[grids] - 1)]


def _cascade(
    immigrants: pd.DataFrame,
    addr_xy: np.ndarray,
    addr_weight: np.ndarray,
    horizon: float,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Run the follow-ups (repeats and near-repeats) of every dispute, generation by generation."""
    tree = cKDTree(addr_xy)
    n0 = len(immigrants)
    t = list(immigrants["t"])
    addr = list(immigrants["address"])
    cat = list(immigrants["category"])
    sev = list(rng.choice(4, size=n0, p=SEVERITY_P))
    parent = [-1] * n0
    kind = ["background"] * n0
    party = list(range(n0))
    unresolved: list[bool] = []
    i = 0
    while i < len(t):
        severity_risk = [1.0, 2.0, 3.5, 5.0][sev[i]]
        p_unres = (
            UNRESOLVED_BASE * severity_risk * (1.5 if CATEGORIES[cat[i]] == "land_forest" else 1)
        )
        p_unres *= 1.6 if kind[i] == "repeat" else 1.0
        unresolved.append(bool(rng.uniform() < min(p_unres, 0.5)))
        m = BRANCHING_UNRESOLVED if unresolved[i] else BRANCHING_RESOLVED
        for _ in range(rng.poisson(m)):
            if rng.uniform() < REPEAT_SHARE:
                child_addr, delay, child_kind = addr[i], 2 + rng.exponential(14.0), "repeat"
                same = 0.8
                child_party = party[i]
            else:
                near = tree.query_ball_point(addr_xy[addr[i]], NEAR_REPEAT_RADIUS_M)
                near = [a for a in near if a != addr[i]] or [addr[i]]
                w = addr_weight[near]
                child_addr = int(near[rng.choice(len(near), p=w / w.sum())])
                delay, child_kind, same = 1 + rng.exponential(8.0), "near_repeat", 0.6
                child_party = len(t)
            if t[i] + delay >= horizon:
                continue
            t.append(t[i] + delay)
            addr.append(child_addr)
            cat.append(cat[i] if rng.uniform() < same else int(rng.integers(len(CATEGORIES))))
            escalate = child_kind == "repeat" and rng.uniform() < 0.3
            sev.append(min(3, sev[i] + 1) if escalate else int(rng.choice(4, p=SEVERITY_P)))
            parent.append(i)
            kind.append(child_kind)
            party.append(child_party)
        i += 1
    return pd.DataFrame(
        {"t": t, "address": addr, "category": cat, "severity": sev, "parent": parent,
         "kind": kind, "party_group": party, "unresolved": unresolved}
    )  # fmt: skip


def _intake_times(n: int, rng: np.random.Generator) -> np.ndarray:
    """Fraction of a day at which a case is taken in: office hours, a few at night."""
    office = np.clip(rng.normal(11.5, 2.8, n), 7.5, 20.5)
    night = rng.uniform(0, 24, n)
    return np.where(rng.uniform(size=n) < 0.05, night, office) / 24.0


def build_events(
    *,
    places,
    addresses: gpd.GeoDataFrame,
    grids: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    frame: LocalFrame,
    targets: CountyTargets,
    end: dt.date,
    years: int,
    county_code: str,
    county_name: str,
    county_region: str,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Disputes (intake rows + outcomes + truth) and signals over ``years`` years up to ``end``."""
    days = day_axis(end, years)
    start = days[0].tz_localize(TZ)
    horizon = float(len(days))
    addr_xy = places.addresses[["x", "y"]].to_numpy()
    centres = facilities[facilities["kind"] == "township_centre"]
    seat_xy = dict(
        zip(centres["admin_code"], frame.lonlat_to_xy(shapely.get_coordinates(centres.geometry)),
            strict=True)
    )  # fmt: skip
    villages = places.villages
    communities = set(villages.loc[villages["is_community"], "code"])
    cov = grid_covariates(grids, addresses, addr_xy, communities, seat_xy)
    n_grids = len(grids)
    grid_index = {c: i for i, c in enumerate(grids["code"])}
    addr_grid = addresses["grid_code"].map(grid_index).to_numpy()
    addr_weight = (addresses["residents"].to_numpy() + 0.5) * rng.gamma(0.5, 2.0, len(addresses))
    picker = AddressPicker(addr_grid, addr_weight, n_grids)

    n_weeks = math.ceil(len(days) / 7)
    risk, episode = latent_risk(cov, n_weeks + MAX_LAG_WEEKS, years, rng)
    lag = rng.integers(1, MAX_LAG_WEEKS + 1, n_grids)
    weeks = np.arange(n_weeks)[:, None] + MAX_LAG_WEEKS
    risk_lagged = risk[weeks - lag[None, :], np.arange(n_grids)[None, :]]
    propensity = rng.lognormal(0.0, 0.5, n_grids)
    mean_branching = 0.15  # realised share of follow-ups after truncation at the end
    immigrants = background_counts(
        cov, days, risk_lagged, propensity,
        targets.disputes_per_year * years * (1 - mean_branching), rng,
    )  # fmt: skip
    immigrants["t"] = immigrants["day"] + _intake_times(len(immigrants), rng)
    immigrants["address"] = picker.pick(immigrants["grid"].to_numpy(), rng)
    immigrants = immigrants.sort_values("t", kind="stable").reset_index(drop=True)
    cases = _cascade(immigrants, addr_xy, addr_weight, horizon, rng)
    order = np.argsort(cases["t"].to_numpy(), kind="stable")
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    parent = cases["parent"].to_numpy()
    cases["parent_pos"] = np.where(parent >= 0, position[np.maximum(parent, 0)], -1)
    cases = cases.iloc[order].reset_index(drop=True)
    disputes = _dispute_rows(
        cases, places, addresses, frame, start, days, county_code, (county_name, county_region), rng
    )
    signals = build_signals(
        risk=risk[MAX_LAG_WEEKS:],
        episode=episode[MAX_LAG_WEEKS:],
        cov=cov,
        propensity=propensity,
        picker=picker,
        places=places,
        addresses=addresses,
        frame=frame,
        start=start,
        n_days=len(days),
        expected_total=targets.signals_per_year * years,
        county_code=county_code,
        county_name=county_name,
        county_region=county_region,
        rng=rng,
    )
    return disputes, signals


def _dispute_rows(
    cases, places, addresses, frame, start, days, county_code, county_names, rng
) -> pd.DataFrame:
    """The intake file: one row per case with what the clerk recorded, the outcome and truth."""
    n = len(cases)
    a = cases["address"].to_numpy()
    addr = addresses.iloc[a].reset_index(drop=True)
    category = np.array(CATEGORIES)[cases["category"].to_numpy()]
    severity = np.array(SEVERITIES)[cases["severity"].to_numpy()]
    reported = start + pd.to_timedelta(cases["t"].to_numpy(), unit="D")
    routed = reported + pd.to_timedelta(rng.gamma(2.0, 2.0, n), unit="h")
    mean_days = (
        np.array([DAYS_TO_CLOSE[c] for c in category])
        * SEVERITY_SLOWDOWN[cases["severity"].to_numpy()]
    )
    closed = routed + pd.to_timedelta(rng.gamma(1.5, mean_days / 1.5), unit="D")
    end_ts = start + pd.Timedelta(days=len(days))
    open_ = np.asarray(closed >= end_ts)
    unresolved = cases["unresolved"].to_numpy() & ~open_
    outcome = np.where(open_, "open", np.where(unresolved, "unresolved", "resolved"))
    closed_at = pd.Series(closed).where(~open_)
    resolved_at = closed_at.where(outcome == "resolved")
    satisfaction = np.where(
        outcome == "resolved",
        rng.choice([5, 4, 3, 2, 1], size=n, p=[0.55, 0.30, 0.10, 0.04, 0.01]),
        rng.choice([3, 2, 1], size=n, p=[0.3, 0.4, 0.3]),
    ).astype(float)
    satisfaction[(outcome == "open") | (rng.uniform(size=n) < 0.08)] = np.nan

    true_xy = places.addresses[["x", "y"]].to_numpy()[a]
    true_ll = frame.xy_to_lonlat(true_xy)
    gps_ll = frame.xy_to_lonlat(true_xy + gps_jitter(n, rng))
    mode = rng.choice(["gps", "text", "both"], size=n)
    aliases = places.villages.set_index("code")["aliases"]
    texts = []
    for row, m in zip(addr.itertuples(index=False), mode, strict=True):
        if m == "gps":
            texts.append(None)
            continue
        texts.append(
            noisy_address(
                county=county_names[0],
                region=county_names[1],
                township=row.township,
                village=row.village,
                village_aliases=aliases.get(row.village_code),
                group_no=row.group_no,
                road=row.road,
                number=row.number,
                building=row.building,
                rng=rng,
            )
        )
    has_gps = mode != "text"
    parties = parties_for(cases["party_group"].to_numpy(), category, addr, rng)
    return pd.DataFrame(
        {
            "external_id": [f"{county_code}-MD-{i + 1:06d}" for i in range(n)],
            "county_code": county_code,
            "reported_at": reported,
            "category": category,
            "severity": severity,
            "address": texts,
            "lon": np.where(has_gps, gps_ll[:, 0], np.nan),
            "lat": np.where(has_gps, gps_ll[:, 1], np.nan),
            "description": [describe_dispute(c, rng) for c in category],
            "parties": parties,
            "routed_at": routed,
            "resolved_at": resolved_at.to_numpy(),
            "closed_at": closed_at.to_numpy(),
            "outcome": outcome,
            "satisfaction": satisfaction,
            "cause": cases["kind"].to_numpy(),
            "parent_external_id": [
                f"{county_code}-MD-{p + 1:06d}" if p >= 0 else None
                for p in cases["parent_pos"].to_numpy()
            ],
            "true_address_code": addr["code"].to_numpy(),
            "true_grid_code": addr["grid_code"].to_numpy(),
            "true_lon": true_ll[:, 0],
            "true_lat": true_ll[:, 1],
        }
    )
