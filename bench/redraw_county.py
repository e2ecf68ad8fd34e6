"""Shapes of the redraw over the whole SYNTHETIC demo county, without a database.

Generates the demo county (seed 623021, as the tests), proposes every village with the county's
median grid as target (urban and rural apart, as ``wangge redraw`` does) and prints, for the
current grids and the proposal: mean and minimum Polsby–Popper, the thinnest strip, settlements
split (and how many of those splits the grid size forces), share of grids within the tolerance
(over all grids, and over those the shape rules did not take out of the band), households moved.

    uv run --frozen python bench/redraw_county.py [--seed 623021] [--tolerance 0.15]
        [--keep-households] [--pp-per-household 0.004] [--metres-per-household M]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np

from geo.redraw.cells import geoms_to_metric
from geo.redraw.frames import inputs_from_frames
from geo.redraw.shapes import MIN_STRIP_WIDTH_M, settlements_split, thinnest_strip
from geo.redraw.village import RedrawParams, current_metrics, propose_village


def frame_targets(county) -> dict[str, float]:
    """Median households of the current grids, urban communities and rural villages apart."""
    kinds = county.admin_units.set_index("code")["short_name"].fillna("").str.endswith("社区")
    out = {}
    for kind, urban in (("rural", False), ("urban", True)):
        values = county.grids.loc[county.grids["village_code"].map(kinds) == urban, "households"]
        out[kind] = max(5.0, 5.0 * round(float(np.median(values[values > 0])) / 5.0))
    return out


def shape_figures(village, plan, geoms, unit_grid, grids=None) -> dict:
    """Thinnest strip per grid and settlements split for one labelling of one village; with
    ``grids`` (the proposal's), which thin strips the repair reports as forced, and why."""
    cells = plan.cells
    village_m = geoms_to_metric(np.array([cells.village]), cells.epsg)[0]
    strips = [thinnest_strip(g, village_m) for g in geoms_to_metric(geoms, cells.epsg)]
    split, forced = settlements_split(plan.settlement, unit_grid, cells.weight, plan.target)
    reasons = []
    for strip, grid in zip(strips, grids or [], strict=False):
        notes = [e for e in grid.get("shape_exceptions", []) if e["rule"] == "min_width"]
        if strip < MIN_STRIP_WIDTH_M and notes:
            reasons.append(notes[0]["reason"])
    return {"strips": strips, "split": split, "forced": forced, "thin_forced": reasons}


def summarise(name: str, rows: list[dict], tolerance: float, total: float) -> None:
    """One line of county figures."""
    pp = np.concatenate([r["pp"] for r in rows])
    dev = np.concatenate([r["dev"] for r in rows])
    strips = np.concatenate([r["strips"] for r in rows])
    moved = sum(r["moved"] for r in rows)
    within = np.abs(dev) <= tolerance + 1e-9
    pushed = np.concatenate(
        [np.asarray(r.get("pushed") or [False] * len(r["dev"]), bool) for r in rows]
    )
    thin_forced = [x for r in rows for x in r.get("thin_forced", [])]
    forced_note = ""
    if thin_forced:
        why = ", ".join(f"{k} {thin_forced.count(k)}" for k in sorted(set(thin_forced)))
        forced_note = f", forced {len(thin_forced)}: {why}"
    print(
        f"{name:10} grids {len(pp):4}  PP mean {pp.mean():.4f} min {pp.min():.3f}  "
        f"thinnest {strips.min():5.0f} m (grids < {MIN_STRIP_WIDTH_M:.0f} m: "
        f"{(strips < MIN_STRIP_WIDTH_M).sum():3}{forced_note})  "
        f"settlements split {sum(r['split'] for r in rows):3} "
        f"(forced {sum(r['forced'] for r in rows):3})  "
        f"within ±{tolerance:.0%} {within.mean():.1%} (where the village allows "
        f"{within[~pushed].mean() if (~pushed).any() else 1.0:.1%}, pushed out by shape rules "
        f"{int(pushed.sum())})  "
        f"moved {moved:.0f} ({moved / total:.1%})"
    )


def main() -> None:
    """Propose every village of the demo county and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=623021)
    parser.add_argument("--tolerance", type=float, default=0.15)
    parser.add_argument("--scope", default=None, help="a township or village code")
    parser.add_argument(
        "--metres-per-household", type=float, default=None, help="the tightening's exchange rate"
    )
    parser.add_argument(
        "--pp-per-household",
        type=float,
        default=None,
        help="the reshaping's exchange rate (Polsby–Popper per household moved)",
    )
    parser.add_argument(
        "--keep-households", action="store_true", help="balance by the fewest households moved"
    )
    args = parser.parse_args()
    from demo.pipeline import generate

    county = generate(args.seed)
    targets = frame_targets(county)
    inputs = inputs_from_frames(
        admin_units=county.admin_units,
        grids=county.grids,
        addresses=county.addresses,
        household_groups=county.household_groups,
        scope=args.scope,
    )
    urban = set(
        county.admin_units.loc[
            county.admin_units["short_name"].fillna("").str.endswith("社区"), "code"
        ]
    )
    current_rows, proposal_rows = [], []
    started = time.perf_counter()
    seconds = 0.0
    for village in inputs:
        target = targets["urban" if village.code in urban else "rural"]
        t0 = time.perf_counter()
        params = RedrawParams(
            target=target, tolerance=args.tolerance, keep_households=args.keep_households
        )
        if args.metres_per_household is not None:
            params = replace(params, metres_per_household=args.metres_per_household)
        if args.pp_per_household is not None:
            params = replace(params, pp_per_household=args.pp_per_household)
        plan = propose_village(village, params)
        seconds += time.perf_counter() - t0
        m = plan.metrics
        geoms = np.array([g["geometry"] for g in plan.grids], dtype=object)
        proposal_rows.append(
            {
                "pp": m["polsby_popper"],
                "dev": m["deviation"],
                "moved": m["households_moved"],
                "pushed": m.get("out_of_band_by_shape"),
                **shape_figures(village, plan, geoms, plan.unit_grid, plan.grids),
            }
        )
        cur = current_metrics(village, plan, target=target)
        if cur:
            codes = plan.current_codes
            cur_geoms = np.array([village.current_grids[c] for c in codes], dtype=object)
            ok = plan.initial_unit_grid >= 0
            figures = shape_figures(village, plan, cur_geoms, plan.initial_unit_grid)
            if not ok.all():
                figures["split"], figures["forced"] = settlements_split(
                    plan.settlement[ok],
                    plan.initial_unit_grid[ok],
                    plan.cells.weight[ok],
                    plan.target,
                )
            current_rows.append(
                {"pp": cur["polsby_popper"], "dev": cur["deviation"], "moved": 0, **figures}
            )
    total = float(sum(v.houses.sum() for v in inputs))
    print(
        f"SYNTHETIC demo county (seed {args.seed}), {len(inputs)} villages, {total:.0f} "
        f"households, targets {targets}; proposals {seconds:.1f} s, "
        f"all {time.perf_counter() - started:.1f} s"
    )
    summarise("current", current_rows, args.tolerance, total)
    summarise("proposal", proposal_rows, args.tolerance, total)


if __name__ == "__main__":
    main()
