"""Metrics of a set of grids in one village: balance, compactness, contiguity, tiling, distance.

Polsby–Popper compactness is 4πA/P² (Polsby & Popper 1991, "The third criterion: compactness as
a procedural safeguard against partisan gerrymandering", Yale Law & Policy Review 9): 1 for a
disc, about 0.785 for a square, near 0 for a long thin shape. Areas, perimeters and distances are
measured in the village's UTM zone. A grid's centre is the household-weighted mean of its units,
the place a grid leader serving its households would live.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.redraw.cells import geoms_to_metric

# A grid counts as inside its village when at most this share of its area lies outside
# (floating-point noise of the overlay is about 1e-12).
OUTSIDE_TOLERANCE = 1e-6


def polsby_popper(geoms_m: np.ndarray) -> np.ndarray:
    """4πA/P² of each polygon (metric CRS)."""
    perimeter = shapely.length(geoms_m)
    area = shapely.area(geoms_m)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(perimeter > 0, 4 * np.pi * area / perimeter**2, 0.0)


def grid_metrics(
    *,
    geoms: np.ndarray,
    households: np.ndarray,
    village: BaseGeometry,
    epsg: int,
    target: float,
    unit_xy: np.ndarray,
    unit_weight: np.ndarray,
    unit_grid: np.ndarray,
    graph_connected: np.ndarray | None = None,
) -> dict:
    """Metrics of grids ``geoms`` (EPSG:4326) with ``households`` each, in ``village``.

    ``unit_grid[u]`` is the index into ``geoms`` of unit ``u`` (for the distance to the centre).
    ``graph_connected`` marks grids whose units are connected in the adjacency graph; a grid in a
    village made of several pieces may span pieces and still count as contiguous through it.
    """
    geoms = np.asarray(geoms, dtype=object)
    households = np.asarray(households, dtype=float)
    geoms_m = geoms_to_metric(geoms, epsg)
    village_m = geoms_to_metric(np.array([village]), epsg)[0]
    parts = shapely.get_num_geometries(geoms)
    single = parts == 1
    if graph_connected is not None and shapely.get_num_geometries(village) > 1:
        contiguous = single | graph_connected
    else:
        contiguous = single
    # Inclusion and tiling are judged in EPSG:4326, where the grids were cut from the village:
    # reprojecting bends the village's edges but not the points inserted on them.
    area = shapely.area(geoms)
    outside = shapely.area(shapely.difference(geoms, village))
    within = outside <= OUTSIDE_TOLERANCE * area
    union_area = shapely.area(shapely.union_all(geoms)) if len(geoms) else 0.0
    to_m2 = village_m.area / village.area if village.area > 0 else 0.0
    overlap = max(0.0, float(area.sum()) - union_area) * to_m2
    gap = max(0.0, float(village.area) - union_area) * to_m2
    pp = polsby_popper(geoms_m)
    deviation = (households - target) / target if target > 0 else np.zeros_like(households)

    mean_distance = 0.0
    if len(unit_weight) and unit_weight.sum() > 0:
        k = len(geoms)
        wsum = np.bincount(unit_grid, weights=unit_weight, minlength=k)
        safe = np.where(wsum > 0, wsum, 1.0)
        cx = np.bincount(unit_grid, weights=unit_weight * unit_xy[:, 0], minlength=k) / safe
        cy = np.bincount(unit_grid, weights=unit_weight * unit_xy[:, 1], minlength=k) / safe
        dist = np.hypot(unit_xy[:, 0] - cx[unit_grid], unit_xy[:, 1] - cy[unit_grid])
        mean_distance = float((dist * unit_weight).sum() / unit_weight.sum())

    return {
        "grids": len(geoms),
        "households": [round(float(h)) for h in households],
        "households_min": int(households.min()) if len(households) else 0,
        "households_max": int(households.max()) if len(households) else 0,
        "deviation": [round(float(d), 4) for d in deviation],
        "max_deviation": round(float(np.abs(deviation).max()), 4) if len(deviation) else 0.0,
        "polsby_popper": [round(float(p), 4) for p in pp],
        "polsby_popper_mean": round(float(pp.mean()), 4) if len(pp) else 0.0,
        "contiguous": bool(contiguous.all()),
        "non_contiguous_grids": int((~contiguous).sum()),
        "within_village": bool(within.all()),
        "gap_m2": round(gap, 3),
        "overlap_m2": round(overlap, 3),
        "mean_distance_m": round(mean_distance, 1),
    }


def combine(per_village: list[dict], *, target_of: list[float]) -> dict:
    """County- or township-wide figures from per-village metrics (same keys as the parts)."""
    households = np.concatenate([np.asarray(m["households"], float) for m in per_village])
    deviation = np.concatenate([np.asarray(m["deviation"], float) for m in per_village])
    pp = np.concatenate([np.asarray(m["polsby_popper"], float) for m in per_village])
    weights = np.array([sum(m["households"]) for m in per_village], float)
    distances = np.array([m["mean_distance_m"] for m in per_village], float)
    feasible = [m for m in per_village if m.get("balance_feasible", True)]
    feasible_dev = max((m["max_deviation"] for m in feasible), default=0.0)
    out = {
        "villages": len(per_village),
        "grids": len(households),
        "households_total": int(households.sum()),
        "households_min": int(households.min()) if len(households) else 0,
        "households_max": int(households.max()) if len(households) else 0,
        "max_deviation": round(float(np.abs(deviation).max()), 4) if len(deviation) else 0.0,
        "max_deviation_where_feasible": round(float(feasible_dev), 4),
        "villages_balance_infeasible": len(per_village) - len(feasible),
        "grids_within_tolerance_share": 0.0,
        "polsby_popper_mean": round(float(pp.mean()), 4) if len(pp) else 0.0,
        "polsby_popper_min": round(float(pp.min()), 4) if len(pp) else 0.0,
        "contiguous": all(m["contiguous"] for m in per_village),
        "non_contiguous_grids": sum(m["non_contiguous_grids"] for m in per_village),
        "within_village": all(m["within_village"] for m in per_village),
        "gap_m2": round(sum(m["gap_m2"] for m in per_village), 3),
        "overlap_m2": round(sum(m["overlap_m2"] for m in per_village), 3),
        "mean_distance_m": round(float((distances * weights).sum() / max(weights.sum(), 1)), 1),
        "target_min": min(target_of, default=0),
        "target_max": max(target_of, default=0),
    }
    tolerance = per_village[0].get("tolerance") if per_village else None
    if tolerance is not None and len(deviation):
        within = np.abs(deviation) <= tolerance + 1e-9
        out["grids_within_tolerance_share"] = round(float(within.mean()), 4)
        # Grids the shape rules (whole settlements, minimum width) took out of the band are
        # where the village does not allow the band; the share over the others.
        pushed = np.concatenate(
            [
                np.asarray(m.get("out_of_band_by_shape") or [False] * len(m["deviation"]), bool)
                for m in per_village
            ]
        )
        out["grids_out_of_band_by_shape"] = int(pushed.sum())
        allowed = ~pushed
        out["grids_within_tolerance_share_allowed"] = round(
            float(within[allowed].mean()) if allowed.any() else 1.0, 4
        )
    for key in (
        "households_moved",
        "households_newly_assigned",
        "grids_kept",
        "grids_split",
        "grids_merged",
        "grids_new",
        "groups",
    ):
        if per_village and key in per_village[0]:
            out[key] = int(sum(m[key] for m in per_village))
    if any("settlements_split_by_hand" in m for m in per_village):
        out["settlements_split_by_hand"] = sum(
            int(m.get("settlements_split_by_hand", 0)) for m in per_village
        )
    return out
