"""Side by side on one village: the current grids, the proposal, and spopt from scratch.

spopt regionalisation ignores the current grids, so its households moved are counted under the
best one-to-one matching of its regions to the current grids (Hungarian assignment on shared
households): the fewest moves any renaming of its regions could give. Region k-means
(spopt ``RegionKMeansHeuristic``) gets the same number of grids as the proposal; max-p
(Duque, Anselin & Rey 2012, "The max-p-regions problem", J. Regional Science 52) gets the lower
household bound as its threshold and bounded iterations, since with the defaults it does not
finish within minutes on a thousand units.
"""

from __future__ import annotations

import multiprocessing
import time
import warnings
from queue import Empty

import numpy as np
from scipy.optimize import linear_sum_assignment

from geo.redraw.cells import VillageCells, dissolve
from geo.redraw.metrics import grid_metrics
from geo.redraw.partition import household_band
from geo.redraw.regions import UNASSIGNED, fill_unassigned
from geo.redraw.village import RedrawParams, VillageInput, current_metrics, propose_village


def matched_moves(old: np.ndarray, new: np.ndarray, weight: np.ndarray) -> int:
    """Households whose region changes under the best matching of ``new`` to ``old`` labels
    (units with no old label are not counted)."""
    ok = old != UNASSIGNED
    old, new, weight = old[ok], new[ok], weight[ok]
    if len(old) == 0:
        return 0
    old_ids, old_idx = np.unique(old, return_inverse=True)
    new_ids, new_idx = np.unique(new, return_inverse=True)
    table = np.zeros((len(new_ids), len(old_ids)))
    np.add.at(table, (new_idx, old_idx), weight)
    rows, cols = linear_sum_assignment(-table)
    return round(float(weight.sum() - table[rows, cols].sum()))


def _weights(cells: VillageCells):
    from libpysal.weights import W

    neighbours = {u: [int(v) for v in cells.neighbours[u]] for u in range(cells.n_units)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return W(neighbours, silence_warnings=True)


def spopt_kmeans(cells: VillageCells, k: int, *, random_state: int = 0) -> np.ndarray:
    """Region k-means on unit coordinates (standardised) with the unit adjacency."""
    from spopt.region import RegionKMeansHeuristic

    if k <= 1 or cells.n_units <= k:
        return np.zeros(cells.n_units, dtype=np.int64)
    xy = (cells.xy - cells.xy.mean(0)) / cells.xy.std(0).clip(1e-9)
    model = RegionKMeansHeuristic(xy, k, _weights(cells), seed=random_state)
    model.solve()
    return np.asarray(model.labels_, dtype=np.int64)


def spopt_maxp(
    cells: VillageCells,
    threshold: float,
    *,
    iterations: int = 3,
    random_state: int = 0,
    time_limit: float = 120.0,
) -> np.ndarray | None:
    """Max-p regions with at least ``threshold`` households each, bounded iterations.

    spopt's annealing can cycle on some inputs, so it runs in a child process that is stopped
    after ``time_limit`` seconds; ``None`` then means "did not finish".
    """
    if cells.weight.sum() < 2 * threshold:
        return np.zeros(cells.n_units, dtype=np.int64)
    neighbours = {u: [int(v) for v in cells.neighbours[u]] for u in range(cells.n_units)}
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(
        target=_maxp_child,
        args=(queue, cells.xy, cells.weight, neighbours, threshold, iterations, random_state),
    )
    child.start()
    try:
        labels = queue.get(timeout=time_limit)
    except Empty:
        labels = None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
    if labels is None:
        return None
    labels = np.asarray(labels, dtype=np.int64)
    # Units max-p could not place (label 0 when regions start at 1) join a neighbour's region.
    if (labels <= 0).any() and (labels > 0).any():
        labels = fill_unassigned(np.where(labels > 0, labels, UNASSIGNED), cells.neighbours)
    return labels


def _maxp_child(queue, xy, weight, neighbours, threshold, iterations, random_state) -> None:
    import geopandas as gpd
    from libpysal.weights import W
    from spopt.region import MaxPHeuristic

    frame = gpd.GeoDataFrame({"x": xy[:, 0], "y": xy[:, 1], "households": weight})
    np.random.seed(random_state)  # spopt max-p draws from the global generator
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MaxPHeuristic(
            frame,
            W(neighbours, silence_warnings=True),
            ["x", "y"],
            "households",
            threshold,
            top_n=2,
            max_iterations_construction=iterations,
            max_iterations_sa=1,
        )
        model.solve()
    queue.put(list(np.asarray(model.labels_).tolist()))


def labels_metrics(
    cells: VillageCells, labels: np.ndarray, *, target: float, initial: np.ndarray
) -> dict:
    """Metrics of an arbitrary labelling of the units (dissolved cells), moves by matching."""
    ids, unit_grid = np.unique(labels, return_inverse=True)
    geoms = np.array([dissolve(cells.cells[unit_grid == i]) for i in range(len(ids))])
    households = np.bincount(unit_grid, weights=cells.weight, minlength=len(ids))
    out = grid_metrics(
        geoms=geoms,
        households=households,
        village=cells.village,
        epsg=cells.epsg,
        target=target,
        unit_xy=cells.xy,
        unit_weight=cells.weight,
        unit_grid=unit_grid,
    )
    out["households_moved"] = matched_moves(initial, labels, cells.weight)
    return out


def compare_village(
    village: VillageInput,
    params: RedrawParams,
    *,
    methods: tuple[str, ...] = ("kmeans", "maxp"),
    maxp_time_limit: float = 120.0,
) -> dict:
    """``{"current": …, "proposal": …, "spopt_kmeans": …, "spopt_maxp": …, "seconds": …}``,
    with the village's ``plan`` and each method's unit ``labels``."""
    seconds = {}
    started = time.perf_counter()
    plan = propose_village(village, params)
    seconds["proposal"] = time.perf_counter() - started
    out = {
        "village": village.code,
        "target": params.target,
        "balance_feasible": plan.balance_feasible,
        "current": {**current_metrics(village, plan, target=params.target), "households_moved": 0},
        "proposal": {
            **plan.metrics,
            "households_moved_matched": matched_moves(
                plan.initial_unit_grid, plan.unit_grid, plan.cells.weight
            ),
        },
        "plan": plan,
        "labels": {"current": plan.initial_unit_grid, "proposal": plan.unit_grid},
    }
    k = len(plan.grids)
    lo, _ = household_band(params.target, params.tolerance)
    if "kmeans" in methods:
        started = time.perf_counter()
        labels = spopt_kmeans(plan.cells, k, random_state=params.random_state)
        seconds["spopt_kmeans"] = time.perf_counter() - started
        out["labels"]["spopt_kmeans"] = labels
        out["spopt_kmeans"] = labels_metrics(
            plan.cells, labels, target=params.target, initial=plan.initial_unit_grid
        )
    if "maxp" in methods:
        started = time.perf_counter()
        labels = spopt_maxp(
            plan.cells, lo, random_state=params.random_state, time_limit=maxp_time_limit
        )
        seconds["spopt_maxp"] = time.perf_counter() - started
        if labels is not None:
            out["labels"]["spopt_maxp"] = labels
        out["spopt_maxp"] = (
            {"finished": False}
            if labels is None
            else {
                "finished": True,
                **labels_metrics(
                    plan.cells, labels, target=params.target, initial=plan.initial_unit_grid
                ),
            }
        )
    out["seconds"] = seconds
    return out
