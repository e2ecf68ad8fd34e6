"""Grid redraw side by side: current grids, the proposal, and spopt from scratch (SYNTHETIC data).

On one township of the demo county (every village of it):
  current        the grids as stored
  proposal       geo.redraw (repair of the current grids, fewest households moved)
  spopt max-p    spopt MaxPHeuristic, threshold = lower household bound, 3 construction
                 iterations and 1 annealing round (the defaults do not finish in minutes)
  spopt k-means  spopt RegionKMeansHeuristic with the proposal's number of grids
  GerryChain     ReCom chain from the current grids (bench/redraw_gerrychain.py): same units,
                 same tolerance around each village's mean, --steps steps from --seed
Shapes for each: mean and minimum Polsby–Popper, the thinnest strip (m, geo.redraw.shapes), and
settlements split (in brackets: split settlements larger than a grid's target, which must split).
Every method's grids are drawn as the proposal's are (the units' cells dissolved, thin parts
holding no address given to a neighbour: geo.redraw.draw; not counted in its time) before they
are measured; PP_cells is the mean Polsby–Popper of the dissolved cells before that drawing.
The current grids are measured on their stored outlines.
spopt households moved are counted under the best one-to-one matching of its regions to the
current grids. Then the whole county is proposed through the database (plan stored, rolled back)
and timed.

    DATABASE_URL=postgresql+psycopg://…/db_with_demo uv run python bench/redraw_compare.py \
        [--township 623021202] [--no-kmeans] [--steps 200] [--township-only]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from bench.redraw_gerrychain import recom_labels
from geo.database.engine import database_url, make_engine, session_factory
from geo.redraw import propose
from geo.redraw.cells import dissolve, geoms_to_metric
from geo.redraw.compare import compare_village, labels_metrics
from geo.redraw.draw import draw_grids
from geo.redraw.metrics import polsby_popper
from geo.redraw.regions import UNASSIGNED
from geo.redraw.shapes import settlements_split, thinnest_strip
from geo.redraw.store import default_targets, load_scope
from geo.redraw.village import RedrawParams

COLUMNS = (
    ("grids", "grids"),
    ("hh_min", "households_min"),
    ("hh_max", "households_max"),
    ("max_dev", "max_deviation"),
    ("in_tol", "within_tolerance"),
    ("PP_mean", "polsby_popper_mean"),
    ("PP_min", "polsby_popper_min"),
    ("PP_cells", "polsby_popper_cells"),
    ("strip_m", "thinnest_strip_m"),
    ("split", "settlements_split"),
    ("contig", "contiguous"),
    ("inside", "within_village"),
    ("moved", "households_moved"),
    ("dist_m", "mean_distance_m"),
    ("seconds", "seconds"),
)


def aggregate(rows: list[dict], key: str, tolerance: float, seconds: float) -> dict:
    """Township figures of one method from per-village comparisons."""
    parts = [r[key] for r in rows if key in r and r[key].get("finished", True)]
    households = np.concatenate([m["households"] for m in parts])
    deviation = np.concatenate([m["deviation"] for m in parts])
    pp = np.concatenate([m["polsby_popper"] for m in parts])
    weights = np.array([sum(m["households"]) for m in parts], float)
    dist = np.array([m["mean_distance_m"] for m in parts])
    return {
        "grids": len(households),
        "households_min": int(households.min()),
        "households_max": int(households.max()),
        "max_deviation": round(float(np.abs(deviation).max()), 3),
        "within_tolerance": f"{(np.abs(deviation) <= tolerance + 1e-9).mean():.0%}",
        "polsby_popper_mean": round(float(pp.mean()), 3),
        "polsby_popper_min": round(float(pp.min()), 3),
        "polsby_popper_cells": round(
            float(
                np.average(
                    [m.get("pp_cells", np.nan) for m in parts],
                    weights=[len(m["polsby_popper"]) for m in parts],
                )
            ),
            3,
        ),
        "thinnest_strip_m": min((min(m.get("strips", [np.inf])) for m in parts), default=np.inf),
        "settlements_split": "{} ({})".format(
            sum(m.get("split", 0) for m in parts), sum(m.get("forced", 0) for m in parts)
        ),
        "contiguous": all(m["contiguous"] for m in parts),
        "within_village": all(m["within_village"] for m in parts),
        "households_moved": int(sum(m["households_moved"] for m in parts)),
        "mean_distance_m": round(float((dist * weights).sum() / weights.sum()), 1),
        "seconds": round(seconds, 2),
    }


def shape_figures(plan, labels: np.ndarray) -> dict:
    """Polsby–Popper and thinnest strip per grid, settlements split (and forced splits) of one
    method's labelling. Every method's grids are drawn the same way before they are measured:
    the units' cells dissolved, then thin parts holding no address given to a neighbour
    (``geo.redraw.draw``), as the proposal's are. ``pp_cells``: mean Polsby–Popper of the
    dissolved cells, before drawing."""
    cells = plan.cells
    ids, unit_grid = np.unique(labels, return_inverse=True)
    cell_geoms = np.array([dissolve(cells.cells[unit_grid == i]) for i in range(len(ids))])
    drawn = draw_grids(
        cell_geoms, village=cells.village, epsg=cells.epsg, unit_xy=cells.xy, unit_grid=unit_grid
    )
    village_m = geoms_to_metric(np.array([cells.village]), cells.epsg)[0]
    outlines_m = geoms_to_metric(drawn.geoms, cells.epsg)
    split, forced = settlements_split(plan.settlement, unit_grid, cells.weight, plan.target)
    return {
        "strips": [thinnest_strip(g, village_m) for g in outlines_m],
        "split": split,
        "forced": forced,
        "polsby_popper": polsby_popper(outlines_m).tolist(),
        "pp_cells": float(polsby_popper(geoms_to_metric(cell_geoms, cells.epsg)).mean()),
    }


def current_shapes(plan, village) -> dict:
    """The same figures for the current grids, measured on their stored outlines."""
    cells = plan.cells
    if not plan.current_codes:
        return {}
    outlines = np.array([village.current_grids[c] for c in plan.current_codes], dtype=object)
    village_m = geoms_to_metric(np.array([cells.village]), cells.epsg)[0]
    outlines_m = geoms_to_metric(outlines, cells.epsg)
    ok = plan.initial_unit_grid != UNASSIGNED
    split, forced = settlements_split(
        plan.settlement[ok], plan.initial_unit_grid[ok], cells.weight[ok], plan.target
    )
    pp = polsby_popper(outlines_m)
    return {
        "strips": [thinnest_strip(g, village_m) for g in outlines_m],
        "split": split,
        "forced": forced,
        "pp_cells": float(pp.mean()),
    }


def print_table(title: str, table: dict[str, dict]) -> None:
    """Methods as rows, metrics as columns."""
    print(f"\n{title}")
    print(f"{'method':16}" + "".join(f"{h:>10}" for h, _ in COLUMNS))
    for name, m in table.items():
        print(f"{name:16}" + "".join(f"{m[k]!s:>10}" for _, k in COLUMNS))


def main() -> None:
    """Run the comparison and print it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--township", default="623021202")
    parser.add_argument("--county", default="623021")
    parser.add_argument("--tolerance", type=float, default=0.15)
    parser.add_argument("--no-kmeans", action="store_true")
    parser.add_argument("--maxp-limit", type=float, default=120.0, help="seconds per village")
    parser.add_argument("--steps", type=int, default=200, help="ReCom steps per village")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--township-only", action="store_true", help="skip the county runs")
    args = parser.parse_args()
    engine = make_engine(database_url(), pool_size=1)
    sessions = session_factory(engine)
    with sessions() as session:
        inputs, villages = load_scope(session=session, scope=args.township)
        targets = default_targets(session=session, county=args.county)
    urban = {v["code"] for v in villages if (v["short_name"] or "").endswith("社区")}
    methods = ("maxp",) if args.no_kmeans else ("maxp", "kmeans")
    rows = []
    seconds = {"proposal": 0.0, "spopt_maxp": 0.0, "spopt_kmeans": 0.0, "gerrychain": 0.0}
    for village in inputs:
        target = targets["urban" if village.code in urban else "rural"]
        row = compare_village(
            village,
            RedrawParams(target=target, tolerance=args.tolerance),
            methods=methods,
            maxp_time_limit=args.maxp_limit,
        )
        plan = row["plan"]
        started = time.perf_counter()
        labels, failed = recom_labels(
            plan.cells,
            plan.initial_unit_grid,
            tolerance=args.tolerance,
            steps=args.steps,
            seed=args.seed,
        )
        row["seconds"]["gerrychain"] = time.perf_counter() - started
        row["gerrychain"] = labels_metrics(
            plan.cells, labels, target=target, initial=plan.initial_unit_grid
        )
        row["gerrychain"]["chain_failed"] = failed
        row["labels"]["gerrychain"] = labels
        for method, found in row["labels"].items():
            if method == "current":
                row[method].update(current_shapes(plan, village))
            else:
                row[method].update(shape_figures(plan, found))
        for k, v in row["seconds"].items():
            seconds[k] += v
        rows.append(row)
        print(
            f"  {village.code}: {len(village.houses)} addresses, "
            f"{int(village.houses.sum())} households, target {target:g}, "
            + ", ".join(f"{k} {v:.1f}s" for k, v in row["seconds"].items()),
            flush=True,
        )
    table = {
        "current": aggregate(rows, "current", args.tolerance, 0.0),
        "proposal": aggregate(rows, "proposal", args.tolerance, seconds["proposal"]),
        "spopt max-p": aggregate(rows, "spopt_maxp", args.tolerance, seconds["spopt_maxp"]),
    }
    table["GerryChain ReCom"] = aggregate(rows, "gerrychain", args.tolerance, seconds["gerrychain"])
    if "kmeans" in methods:
        table["spopt k-means"] = aggregate(
            rows, "spopt_kmeans", args.tolerance, seconds["spopt_kmeans"]
        )
    households = int(sum(v.houses.sum() for v in inputs))
    print_table(
        f"township {args.township} (SYNTHETIC demo data): {len(inputs)} villages, "
        f"{sum(len(v.houses) for v in inputs)} addresses, {households} households, "
        f"targets {targets} ±{args.tolerance:.0%}",
        table,
    )
    unfinished = [r["village"] for r in rows if not r["spopt_maxp"].get("finished", True)]
    if unfinished:
        print(
            f"spopt max-p did not finish within {args.maxp_limit:g} s on {unfinished}; "
            "the max-p ratio below compares the villages where it finished"
        )
    finished = [r for r in rows if r["spopt_maxp"].get("finished", True)]
    failed = [r["village"] for r in rows if r["gerrychain"]["chain_failed"]]
    if failed:
        print(f"GerryChain stopped early (a pair it could not balance) on {failed}")
    for name in ("GerryChain ReCom", "spopt max-p", "spopt k-means"):
        if name in table:
            subset = finished if name == "spopt max-p" else rows
            ours = aggregate(subset, "proposal", args.tolerance, seconds["proposal"])
            theirs = table[name]
            print(
                f"{name} / proposal: households moved "
                f"{theirs['households_moved'] / max(ours['households_moved'], 1):.2f}x, "
                f"max deviation {theirs['max_deviation'] / max(ours['max_deviation'], 1e-9):.2f}x,"
                f" time {theirs['seconds'] / max(ours['seconds'], 1e-9):.0f}x"
            )
    if args.township_only:
        engine.dispose()
        return

    with sessions() as session:
        started = time.perf_counter()
        county = propose(session=session, scope=args.county, tolerance=args.tolerance)
        wall = time.perf_counter() - started
        session.rollback()
    print(
        f"\nwhole county {args.county} through the database (load, propose, store; rolled back): "
        f"{wall:.1f} s wall, {county['seconds']} s in the proposal"
    )
    keys = (
        "grids",
        "households_min",
        "households_max",
        "max_deviation",
        "max_deviation_where_feasible",
        "villages_balance_infeasible",
        "grids_within_tolerance_share",
        "contiguous",
        "within_village",
        "households_moved",
        "households_total",
        "grids_kept",
        "grids_split",
        "grids_merged",
        "grids_new",
        "groups",
        "polsby_popper_mean",
        "mean_distance_m",
    )
    for key in keys:
        print(f"  {key:30} {county[key]}")

    with sessions() as session:
        everything, all_villages = load_scope(session=session, scope=args.county)
    urban = {v["code"] for v in all_villages if (v["short_name"] or "").endswith("社区")}
    started = time.perf_counter()
    rows = [
        compare_village(
            v,
            RedrawParams(
                target=targets["urban" if v.code in urban else "rural"], tolerance=args.tolerance
            ),
            methods=(),
        )
        for v in everything
    ]
    seconds = time.perf_counter() - started
    print_table(
        f"whole county {args.county}, current grids against the proposal (SYNTHETIC demo data)",
        {
            "current": aggregate(rows, "current", args.tolerance, 0.0),
            "proposal": aggregate(rows, "proposal", args.tolerance, seconds),
        },
    )
    engine.dispose()


if __name__ == "__main__":
    main()
