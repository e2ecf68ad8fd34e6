"""The escalation factors of open disputes, from raw facts: one definition for the live ranking
(services.escalation, rows read in PostGIS) and the backtest (bench/escalation_demo.py).

:func:`escalation_features` turns the cases, earlier disputes, opaque party keys and risk
signals into the feature table; :func:`facts_reach` says how far back and around the raw
facts must be read for it. The score built on these factors is in :mod:`models.escalation`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyproj import Geod
from scipy.spatial import cKDTree

REPEAT_DAYS = 365  # earlier disputes at the address / with a party: the year before the case
GRID_DAYS = 90  # other disputes on the grid: the 90 days before scoring
SIGNAL_DAYS = 30  # risk signals: the 30 days before scoring ...
SIGNAL_RADIUS_M = 500.0  # ... within 500 m (geodesic, WGS84)

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


_WGS84 = Geod(ellps="WGS84")
_SPHERE_RADIUS_M = 6_371_008.8


def event_clock(values: pd.Series) -> pd.Series:
    """Times on one clock: aware times converted to UTC and made naive, naive times kept."""
    return pd.to_datetime(values, utc=True).dt.tz_localize(None).astype("datetime64[ns]")


def as_of_per_case(cases: pd.DataFrame, as_of) -> pd.Series:
    """The scoring time of each case: ``as_of`` for all, else its ``as_of`` column (backtest
    snapshots), else its report time."""
    if as_of is None:
        as_of = cases["as_of"] if "as_of" in cases else cases["reported_at"]
    if not pd.api.types.is_list_like(as_of):
        as_of = [as_of] * len(cases)
    return event_clock(pd.Series(list(as_of), index=cases.index, dtype=object))


def _shared_codes(left: pd.Series, right: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes for keys of two columns (equal keys, equal codes; missing keys -1)."""
    both = pd.concat([left.reset_index(drop=True), right.reset_index(drop=True)], ignore_index=True)
    codes, _ = pd.factorize(both)
    return codes[: len(left)], codes[len(left) :]


def _count_others(mine: pd.DataFrame, theirs: pd.DataFrame, n: int) -> np.ndarray:
    """For each case row: distinct other disputes sharing a key with it, reported in [lo, hi).

    ``mine``: ``row``, ``id``, ``key``, ``lo``, ``hi`` (a row may hold several keys);
    ``theirs``: ``other`` (dispute id), ``key``, ``t`` (reported at).
    """
    mine_codes, their_codes = _shared_codes(mine["key"], theirs["key"])
    mine = mine.assign(key=mine_codes)[mine_codes >= 0]
    theirs = theirs.assign(key=their_codes)[their_codes >= 0]
    pairs = mine.merge(theirs, on="key")
    hit = pairs[
        (pairs["other"] != pairs["id"]) & (pairs["t"] >= pairs["lo"]) & (pairs["t"] < pairs["hi"])
    ]
    rows = hit.drop_duplicates(["row", "other"])["row"].to_numpy(dtype=np.int64)
    return np.bincount(rows, minlength=n).astype(float)


def _on_sphere(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(lon), np.radians(lat)
    return _SPHERE_RADIUS_M * np.column_stack(
        [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
    )


def pairs_within(a_lon, a_lat, b_lon, b_lat, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i of a, j of b) at most ``radius_m`` apart along the WGS84 ellipsoid, the
    distance PostGIS measures on ``geography``. Points with a missing coordinate have no pairs."""
    a_lon, a_lat = np.asarray(a_lon, float), np.asarray(a_lat, float)
    b_lon, b_lat = np.asarray(b_lon, float), np.asarray(b_lat, float)
    a_ok = np.flatnonzero(np.isfinite(a_lon) & np.isfinite(a_lat))
    b_ok = np.flatnonzero(np.isfinite(b_lon) & np.isfinite(b_lat))
    none = (np.empty(0, np.int64), np.empty(0, np.int64))
    if not len(a_ok) or not len(b_ok):
        return none
    # Candidates on a sphere, with room for the ellipsoid's curvature (under 0.6 % off).
    tree = cKDTree(_on_sphere(b_lon[b_ok], b_lat[b_ok]))
    near = tree.query_ball_point(_on_sphere(a_lon[a_ok], a_lat[a_ok]), r=radius_m * 1.02 + 1.0)
    sizes = np.fromiter((len(h) for h in near), dtype=np.int64, count=len(near))
    if not sizes.sum():
        return none
    i = a_ok[np.repeat(np.arange(len(near)), sizes)]
    j = b_ok[np.concatenate([np.asarray(h, dtype=np.int64) for h in near])]
    _, _, metres = _WGS84.inv(a_lon[i], a_lat[i], b_lon[j], b_lat[j])
    keep = np.asarray(metres) <= radius_m
    return i[keep], j[keep]


def escalation_features(
    cases: pd.DataFrame,
    *,
    as_of=None,
    history: pd.DataFrame | None = None,
    parties: pd.DataFrame | None = None,
    signals: pd.DataFrame | None = None,
    repeat_days: int = REPEAT_DAYS,
    grid_days: int = GRID_DAYS,
    signal_days: int = SIGNAL_DAYS,
    signal_radius_m: float = SIGNAL_RADIUS_M,
) -> pd.DataFrame:
    """The escalation factors of each case as known at ``as_of``, from raw facts.

    ``cases``: ``id``, ``category``, ``reported_at``; optional ``severity`` (minor … critical or
    its rank), ``deadline``, ``address_key``, ``grid_key``, ``lon``/``lat`` (WGS84).
    ``as_of``: one time for all cases, or one per case; by default the ``as_of`` column, else
    ``reported_at``. Aware times are compared in UTC; naive times must share one clock.
    ``history``: the disputes that may count as repeats (``id``, ``reported_at``,
    ``address_key``, ``grid_key``; duplicates left out), by default ``cases``.
    ``parties``: ``dispute_id``, ``party_key``, one row per opaque key of a person (an ID
    number or a phone) in a dispute; never names or numbers. ``signals``: ``observed_at``,
    ``lon``, ``lat``. A missing key or position matches nothing.

    Returns, per case (same index): ``id``, ``category``, ``severity`` (rank 0-3),
    ``repeats_address`` / ``repeats_parties`` (other disputes at the same address / with a
    party key in common, reported in the ``repeat_days`` before the case), ``repeats_grid``
    (other disputes on the grid in the ``grid_days`` before ``as_of``), ``days_open``,
    ``overdue`` (0/1), ``days_overdue`` (at ``as_of``) and ``signals_nearby`` (signals within
    ``signal_radius_m`` in the ``signal_days`` before ``as_of``).
    """
    n = len(cases)
    history = cases if history is None else history
    as_of = as_of_per_case(cases, as_of)
    reported = event_clock(cases["reported_at"])
    out = pd.DataFrame({"id": cases["id"].to_numpy()}, index=cases.index)
    out["category"] = cases["category"].astype(str).to_numpy()
    severity = cases["severity"] if "severity" in cases else pd.Series(0.0, index=cases.index)
    if not pd.api.types.is_numeric_dtype(severity):
        severity = severity.map(SEVERITY_RANK)
    out["severity"] = severity.fillna(0).astype(float).to_numpy()

    ids = cases["id"].to_numpy()
    year_before = pd.DataFrame(
        {"row": np.arange(n), "id": ids,
         "lo": (reported - pd.Timedelta(days=repeat_days)).to_numpy(), "hi": reported.to_numpy()}
    )  # fmt: skip
    grid_window = year_before.assign(
        lo=(as_of - pd.Timedelta(days=grid_days)).to_numpy(), hi=as_of.to_numpy()
    )
    theirs = pd.DataFrame(
        {"other": history["id"].to_numpy(), "t": event_clock(history["reported_at"])}
    )
    for key, name, mine in (
        ("address_key", "repeats_address", year_before),
        ("grid_key", "repeats_grid", grid_window),
    ):
        out[name] = 0.0
        if key in cases and key in history:
            mine = mine.assign(key=cases[key].to_numpy())
            out[name] = _count_others(mine, theirs.assign(key=history[key].to_numpy()), n)
    out["repeats_parties"] = 0.0
    if parties is not None and len(parties):
        keys = parties[["dispute_id", "party_key"]].rename(columns={"party_key": "key"})
        mine = year_before.merge(keys, left_on="id", right_on="dispute_id")
        out["repeats_parties"] = _count_others(
            mine, theirs.merge(keys, left_on="other", right_on="dispute_id"), n
        )

    out["days_open"] = ((as_of - reported) / pd.Timedelta(days=1)).clip(lower=0).to_numpy()
    late = pd.Series(np.nan, index=cases.index)
    if "deadline" in cases:
        late = (as_of - event_clock(cases["deadline"])) / pd.Timedelta(days=1)
    out["overdue"] = (late > 0).astype(float).to_numpy()
    out["days_overdue"] = late.clip(lower=0).fillna(0.0).to_numpy()

    out["signals_nearby"] = 0.0
    if signals is not None and len(signals) and {"lon", "lat"} <= set(cases.columns):
        i, j = pairs_within(
            cases["lon"], cases["lat"], signals["lon"], signals["lat"], signal_radius_m
        )
        seen = event_clock(signals["observed_at"]).to_numpy()[j]
        when = as_of.to_numpy()[i]
        recent = (seen < when) & (seen >= when - np.timedelta64(signal_days, "D"))
        out["signals_nearby"] = np.bincount(i[recent], minlength=n).astype(float)
    return out


def facts_reach(reported_at: pd.Series, as_of) -> dict:
    """How far the raw facts read for :func:`escalation_features` must reach, for cases reported
    at ``reported_at`` scored at ``as_of``: ``history_since`` (earliest earlier dispute that can
    count), ``signals_since``, and ``signals_within_m`` (a reading bound with a margin; the exact
    radius is applied by :func:`escalation_features`)."""
    as_of = pd.Timestamp(as_of)
    since = as_of - pd.Timedelta(days=GRID_DAYS)
    if len(reported_at):
        since = min(since, pd.Timestamp(reported_at.min()) - pd.Timedelta(days=REPEAT_DAYS))
    return {
        "history_since": since,
        "signals_since": as_of - pd.Timedelta(days=SIGNAL_DAYS),
        "signals_within_m": SIGNAL_RADIUS_M * 1.1,
    }
