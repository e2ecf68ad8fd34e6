"""Who is on duty, and the ledger report: wangge on PostGIS side by side with pandas.

On a database holding the demo county (synthetic: 55,556 duty shifts at 17 centres, 783
disputes), two questions the command room asks all day:

1. **Who is on duty at t?** wangge: ``geo.staff.roster.on_duty`` (an indexed half-open range
   query plus the latest handover note). Baseline: the whole roster read into pandas once
   (what a clerk's spreadsheet export gives) and filtered with ``start <= t < end``. Both are
   timed on the same 200 random instants and must name the same shifts.
2. **The period report by township and category.** wangge: ``geo.disputes.ledger.build_ledger``
   (the ledger rows and the stats definitions asked per category). Baseline: the ledger rows
   grouped with pandas (screened and resolved only: the overdue and still-open figures need
   the status at the period's end, which the baseline does not have). Both must agree on
   screened and resolved per township and category.

    uv run python bench/staff_roster_ledger.py --url postgresql+psycopg://…/DEMO_DB
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.database.engine import make_engine
from geo.disputes.ledger import build_ledger
from geo.staff.roster import on_duty


def main() -> None:
    """Run both comparisons and print times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="database holding the demo county")
    parser.add_argument("--instants", type=int, default=200)
    args = parser.parse_args()
    engine = make_engine(args.url, pool_size=1)
    rng = np.random.default_rng(1)
    with Session(engine) as session:
        span = session.execute(text("SELECT min(starts_at), max(ends_at) FROM duty_shift")).one()
        seconds = (span[1] - span[0]).total_seconds()
        instants = [span[0] + dt.timedelta(seconds=float(s))
                    for s in rng.uniform(0, seconds, args.instants)]  # fmt: skip

        started = time.perf_counter()
        ours = [
            sorted(p["shift_id"] for c in on_duty(session=session, at=t)["centres"]
                   for p in c["on_duty"])
            for t in instants
        ]  # fmt: skip
        ours_s = time.perf_counter() - started

        started = time.perf_counter()
        roster = pd.read_sql(text("SELECT id, centre_id, staff_id, starts_at, ends_at "
                                  "FROM duty_shift"), session.connection())  # fmt: skip
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        theirs = [
            sorted(roster.loc[(roster["starts_at"] <= t) & (roster["ends_at"] > t), "id"].tolist())
            for t in instants
        ]
        pandas_s = time.perf_counter() - started
        assert ours == theirs, "the two on-duty answers differ"
        n = args.instants
        print(f"on duty at {n} instants over {len(roster):,} shifts: identical answers")
        print(f"  wangge on_duty (with handover notes) {1000 * ours_s / n:8.2f} ms per look-up")
        print(f"  pandas filter of the whole roster    {1000 * pandas_s / n:8.2f} ms per look-up"
              f" (+ {load_s:.2f} s to read the roster once)")  # fmt: skip
        print(f"  ratio wangge / pandas per look-up    {ours_s / pandas_s:8.2f}")

        first, last = dt.date(2026, 1, 1), dt.date(2026, 9, 30)
        started = time.perf_counter()
        ledger = build_ledger(session=session, first_day=first, last_day=last)
        ledger_s = time.perf_counter() - started
        started = time.perf_counter()
        cases = pd.DataFrame(ledger.cases)
        codes = dict(session.execute(text("SELECT short_name, code FROM admin_unit "
                                          "WHERE level = 'township'")).all())  # fmt: skip
        cases["township_code"] = cases["township"].map(codes)
        grouped = cases.groupby(["township_code", "category"]).agg(
            screened=("id", "size"), resolved=("resolved_by_end", "sum")
        )
        pandas_report_s = time.perf_counter() - started
        rows = {(r.unit_code, r.category): r.figures for r in ledger.report if r.kind == "category"}
        for (township, category), figures in grouped.iterrows():
            mine = rows[(township, category)]
            assert (mine["screened"], mine["resolved"]) == (figures["screened"],
                                                            figures["resolved"])  # fmt: skip
        print(f"report {first} – {last}: {len(ledger.cases)} cases, {len(grouped)} township x "
              "category rows, screened and resolved identical")  # fmt: skip
        print(f"  wangge build_ledger (rows + 10 stats queries) {ledger_s:8.3f} s")
        print(f"  pandas groupby of the ledger rows             {pandas_report_s:8.3f} s"
              " (no overdue / still-open figures)")  # fmt: skip
    engine.dispose()


if __name__ == "__main__":
    main()
