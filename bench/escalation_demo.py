"""Backtest of the case escalation score on the demo county (synthetic data).

    OMP_NUM_THREADS=1 uv run python bench/escalation_demo.py [--seed 623021] [--folds 4]

No database: disputes, their parties and signals come from ``demo.generate(seed)`` at their true
positions (truth columns ``true_lon``/``true_lat``/``true_address_code``/``true_grid_code``);
deadlines follow the county's time limits (core.limits), as intake sets them. The factors are
computed by models.escalation.escalation_features, the same function the live ranking
(services.escalation) applies to the rows it reads from PostGIS.

The situation scored is the service's: every week (Monday 00:00, Asia/Shanghai) each dispute
still open is scored with what was known then (category, severity, repeats at the address and
with a party of the same ID number or phone in the past year, days open, overdue, signals within
500 m in the past 30 days). Escalated = the case ended unresolved (mediation failed) OR a violence
report (signal kind ``violence``) was observed within 1 km of it in the 30 days after the
snapshot. Open cases at the end of the data and snapshots whose 30 days run past it are left out
(outcome unknown).

Rolling origin (models.escalation.backtest_escalation): snapshots in time order, split into
folds; each fold is scored by a logistic model fitted only on earlier snapshots whose outcome was
already known (closed and 30 days past) when the fold starts. Compared with the actuarial points
(no fitting) and with severity alone.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from core.limits import time_limit_days
from demo import generate
from models.escalation import backtest_escalation, escalation_outcome
from models.escalation_features import escalation_features

TZ = "Asia/Shanghai"
FOLLOW_DAYS = 30
RADIUS_M = 1000.0


def party_keys(parties: pd.Series) -> pd.DataFrame:
    """``dispute_id``, ``party_key``: an opaque key per ID number and per phone of each dispute's
    parties, as the database hands them out (geo/risk/sql/escalation_party_keys.sql)."""
    rows = [
        (dispute_id, kind, person[kind])
        for dispute_id, people in parties.items()
        for person in people
        for kind in ("id_number", "phone")
        if person.get(kind)
    ]
    frame = pd.DataFrame(rows, columns=["dispute_id", "kind", "value"]).drop_duplicates()
    keys, _ = pd.factorize(frame["kind"] + ":" + frame["value"])
    return pd.DataFrame({"dispute_id": frame["dispute_id"].to_numpy(), "party_key": keys + 1})


def demo_frames(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Disputes, party keys and signals in the shape models.escalation reads (times naive,
    local)."""
    county = generate(seed=seed)
    d, s = county.disputes.reset_index(drop=True), county.signals

    def local(times: pd.Series) -> pd.Series:
        return pd.to_datetime(times, utc=True).dt.tz_convert(TZ).dt.tz_localize(None)

    limits = [time_limit_days(c, v) for c, v in zip(d["category"], d["severity"], strict=True)]
    disputes = pd.DataFrame(
        {
            "id": d.index.to_numpy(),
            "reported_at": local(d["reported_at"]),
            "closed_at": local(d["closed_at"]),
            "category": d["category"],
            "severity": d["severity"],
            "address_key": d["true_address_code"],
            "grid_key": d["true_grid_code"],
            "lon": d["true_lon"],
            "lat": d["true_lat"],
            "unresolved": d["outcome"] == "unresolved",
            "open_at_end": d["outcome"] == "open",
        }
    )
    disputes["deadline"] = disputes["reported_at"] + pd.to_timedelta(limits, unit="D")
    # Signals at their true address (some intake rows carry only an address text).
    places = county.addresses.set_index("code").geometry
    where = places.reindex(s["true_address_code"])
    signals = pd.DataFrame(
        {
            "observed_at": local(s["observed_at"]),
            "kind": s["kind"],
            "lon": where.x.to_numpy(),
            "lat": where.y.to_numpy(),
        }
    )
    signals = signals.dropna(subset=["lon", "lat"]).reset_index(drop=True)
    return disputes, party_keys(d["parties"]), signals


def weekly_snapshots(
    disputes: pd.DataFrame, parties: pd.DataFrame, signals: pd.DataFrame
) -> pd.DataFrame:
    """One row per (Monday, dispute open then) with features, outcome and when it was known.

    The features are models.escalation.escalation_features, the function the live ranking
    runs on the rows it reads from PostGIS."""
    first = disputes["reported_at"].min().normalize()
    first += pd.Timedelta(days=(7 - first.weekday()) % 7)
    end = max(disputes["reported_at"].max(), signals["observed_at"].max())
    rows = []
    for monday in pd.date_range(first, end - pd.Timedelta(days=FOLLOW_DAYS), freq="7D"):
        open_then = disputes[
            (disputes["reported_at"] < monday)
            & (disputes["closed_at"].isna() | (disputes["closed_at"] > monday))
            & ~disputes["open_at_end"]
        ]
        if len(open_then):
            rows.append(open_then.assign(as_of=monday))
    snaps = pd.concat(rows, ignore_index=True)
    features = escalation_features(
        snaps, as_of=snaps["as_of"], history=disputes, parties=parties, signals=signals
    )
    features["escalated"] = escalation_outcome(
        snaps, signals, days=FOLLOW_DAYS, radius_m=RADIUS_M
    ).astype(int)
    features["snapshot"] = snaps["as_of"].to_numpy()
    features["known_at"] = np.maximum(
        snaps["closed_at"].to_numpy(), (snaps["as_of"] + pd.Timedelta(days=FOLLOW_DAYS)).to_numpy()
    )
    features["unresolved"] = snaps["unresolved"].to_numpy()
    return features


def main() -> None:
    """Build the snapshots, run the backtest and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=623021)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--top-share", type=float, default=0.1)
    args = parser.parse_args()
    started = time.perf_counter()
    disputes, parties, signals = demo_frames(args.seed)
    with threadpool_limits(limits=1):
        snaps = weekly_snapshots(disputes, parties, signals)
        folds = backtest_escalation(
            snaps,
            outcome="escalated",
            time_column="snapshot",
            known_column="known_at",
            baseline_columns=("severity",),
            folds=args.folds,
            top_share=args.top_share,
        )
    cases = len(disputes)
    print(
        f"Demo county (SYNTHETIC, demo.generate(seed={args.seed})): {cases} disputes, "
        f"{int(disputes['unresolved'].sum())} ended unresolved, "
        f"{int((signals['kind'] == 'violence').sum())} violence reports"
    )
    by_failure = int(snaps.loc[snaps["escalated"] == 1, "unresolved"].sum())
    print(
        f"weekly snapshots of open cases: {len(snaps)} rows of "
        f"{snaps['snapshot'].nunique()} weeks, escalated {int(snaps['escalated'].sum())} "
        f"({snaps['escalated'].mean():.1%}; of these {by_failure} ended unresolved, the rest "
        f"by a violence report within {RADIUS_M:.0f} m in {FOLLOW_DAYS} days)"
    )
    k = f"top {args.top_share:.0%}"
    print(f"\n{'fold':>4} {'train':>6} {'test':>5} {'esc.':>5} | "
          f"{'AUC model':>9} {'prior':>6} {'severity':>8} | "
          f"{'caught in ' + k:>16}: {'model':>5} {'prior':>5} {'sev.':>5} | "
          f"{'precision ' + k:>16}: {'model':>5} {'prior':>5} {'sev.':>5}")  # fmt: skip
    for r in folds.itertuples(index=False):
        print(f"{r.fold:>4} {r.train:>6} {r.test:>5} {r.escalated:>5} | "
              f"{r.model_auc:>9.3f} {r.prior_auc:>6.3f} {r.severity_auc:>8.3f} | "
              f"{'':>16}  {r.model_caught_top:>5.2f} {r.prior_caught_top:>5.2f} "
              f"{r.severity_caught_top:>5.2f} | {'':>16}  {r.model_precision_top:>5.2f} "
              f"{r.prior_precision_top:>5.2f} {r.severity_precision_top:>5.2f}")  # fmt: skip
    weights = folds["escalated"] / folds["escalated"].sum()
    print("\nmean over folds (caught weighted by escalations):")
    for name in ("model", "prior", "severity"):
        print(
            f"  {name:>8}: AUC {folds[f'{name}_auc'].mean():.3f}, "
            f"caught in {k} {(folds[f'{name}_caught_top'] * weights).sum():.2f}, "
            f"precision in {k} {folds[f'{name}_precision_top'].mean():.2f}"
            + (f", Brier {folds[f'{name}_brier'].mean():.4f}" if name != "severity" else "")
        )
    print(f"base rate {snaps['escalated'].mean():.3f}; wall {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
