"""Backtest on the real NYPD shooting incidents (2006-2020): 250 m cells, weekly, last 104 weeks.

    uv run python bench/backtest_nyc.py [--per-victim] [--test-periods 104] [--hysteresis 0.02]
        [--workers 2] [--out REPORT.json]

Writes a lon,lat,time CSV from ../shared/data/nypd_shootings (one row per incident by default; the
source has one row per victim), runs the same code as ``wangge backtest --events CSV --cell-size 250
--period week``, and prints the table, the model's PAI against the best baseline and long_run,
the Brier skill score of its calibrated probability against long_run's, and what it chose.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from rich.console import Console

from api.cli.backtest import DEFAULT_WORKERS, read_events, report_table, run_backtest
from models.cell_backtest import BASELINES

SOURCE = Path(__file__).resolve().parents[2] / "shared/data/nypd_shootings"
CSV = SOURCE / "NYPD_Shooting_Incident_Data__Historic_.csv"


def nyc_events_csv(target: Path, *, per_victim: bool) -> int:
    """Write lon, lat, time for the shootings; returns the number of rows written."""
    raw = pd.read_csv(CSV, encoding="utf-8-sig", dtype={"OCCUR_DATE": str, "OCCUR_TIME": str})
    if not per_victim:
        raw = raw.drop_duplicates("INCIDENT_KEY")
    stamps = pd.to_datetime(raw["OCCUR_DATE"] + " " + raw["OCCUR_TIME"], format="%m/%d/%y %H:%M:%S")
    out = pd.DataFrame({"lon": raw["Longitude"], "lat": raw["Latitude"], "time": stamps})
    out.to_csv(target, index=False)
    return len(out)


def print_figures(report: dict) -> None:
    """The goal figures: PAI against the best baseline and long_run, Brier skill, stability."""
    methods = report["methods"]
    model = methods["model"]["pai"]
    for share in ("1", "5", "10"):
        best = max(BASELINES, key=lambda m: methods[m]["pai"][share])
        best_pai = methods[best]["pai"][share]
        print(
            f"PAI at {share:>2}% of area: model {model[share]:.2f}, best baseline {best} "
            f"{best_pai:.2f} (ratio {model[share] / best_pai:.3f}), "
            f"long_run ratio {model[share] / methods['long_run']['pai'][share]:.3f}"
        )
    calibration = report["calibration"]
    if calibration:
        reference = calibration["long_run"]["brier"]
        print("Brier score (skill against long_run):")
        print(
            "  "
            + ", ".join(
                f"{m} {c['brier']:.5f} ({1 - c['brier'] / reference:+.3f})"
                for m, c in calibration.items()
            )
        )
    print("flagged-set stability (mean Jaccard, week to week, 5 %):")
    print("  " + ", ".join(f"{m} {v['5']:.2f}" for m, v in report["stability"].items()))
    print(f"model's choices over the test periods: {report['selection']}")


def main() -> None:
    """Run the backtest and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-victim", action="store_true")
    parser.add_argument("--test-periods", type=int, default=104)
    parser.add_argument("--cell-size", type=float, default=250.0)
    parser.add_argument("--hysteresis", type=float, default=0.02)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "nyc_shootings.csv"
        n = nyc_events_csv(path, per_victim=args.per_victim)
        print(f"NYPD shootings: {n} {'victims' if args.per_victim else 'incidents'} -> {path.name}")
        started = time.perf_counter()
        cpu_started = time.process_time()
        report = run_backtest(
            read_events(path),
            cell_size=args.cell_size,
            period="week",
            test_periods=args.test_periods,
            hysteresis=args.hysteresis,
            workers=args.workers,
        )
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    Console(file=sys.stdout, width=160).print(report_table(report))
    print_figures(report)
    print(f"study cells {report['study_cells']}, test events {report['test_events']}")
    print(f"wall {elapsed:.0f} s, CPU {cpu:.0f} s ({args.workers} worker threads)")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
