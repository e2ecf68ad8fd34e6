"""A village's plan from a unit-to-grid assignment: grid shapes, statuses, groups and metrics.

A grid's outline is its units' cells dissolved, then drawn through empty land
(:mod:`geo.redraw.draw`): thin parts holding none of its addresses go to a neighbour, and the
metrics (Polsby–Popper included) measure the drawn outlines.

Both the redraw (:func:`geo.redraw.village.propose_village`) and a hand edit at the redraw desk
(:mod:`geo.redraw.desk`) end here, so an edited plan is measured exactly as a proposal is.
"""

from __future__ import annotations

import numpy as np
import shapely

from geo.redraw.cells import VillageCells, dissolve
from geo.redraw.draw import draw_grids, redraw_groups
from geo.redraw.groups import propose_groups
from geo.redraw.metrics import grid_metrics


def assemble_village(
    *,
    village,
    params,
    cells: VillageCells,
    initial: np.ndarray,
    current_codes: list[str],
    unit_grid: np.ndarray,
    grid_codes: list[str],
    parent_of: dict[str, str],
    feasible: bool,
    settlement: np.ndarray,
    unbalanced: int = 0,
):
    """The :class:`~geo.redraw.village.VillagePlan` of ``village`` (a ``VillageInput``) when
    unit ``u`` lies in grid ``grid_codes[unit_grid[u]]``.

    ``parent_of[code]`` names the current grid a new grid takes most households from.
    """
    from geo.redraw.village import VillagePlan

    k = len(grid_codes)
    geoms = np.array([dissolve(cells.cells[unit_grid == i]) for i in range(k)], dtype=object)
    drawn = draw_grids(
        geoms, village=cells.village, epsg=cells.epsg, unit_xy=cells.xy, unit_grid=unit_grid
    )
    geoms = drawn.geoms
    households = np.bincount(unit_grid, weights=cells.weight, minlength=k)
    kept_codes = set(current_codes)
    split_parents = {p for c, p in parent_of.items() if c not in kept_codes}
    grids = []
    for i, code in enumerate(grid_codes):
        status = "new"
        if code in kept_codes:
            status = "split" if code in split_parents else "kept"
        grids.append(
            {
                "code": code,
                "status": status,
                "parent_code": parent_of.get(code) if status == "new" else None,
                "households": round(float(households[i])),
                "geometry": geoms[i],
            }
        )
    for i, reason in drawn.thin.items():
        grids[i]["shape_exceptions"] = [{"rule": "min_width", "reason": reason}]
    address_grid = np.array(grid_codes, dtype=object)[unit_grid[cells.unit_of_address]]
    houses = np.asarray(village.houses, dtype=float)
    old = np.asarray(village.grid_codes, dtype=object)
    had = np.array([c in kept_codes for c in old], dtype=bool)
    moved = had & (old != address_grid)
    touched = set(old[moved].tolist()) | set(address_grid[moved].tolist())
    for g in grids:
        g["changed"] = g["status"] != "kept" or g["code"] in touched
    closed = closed_grids(village, current_codes, set(grid_codes), grids)

    groups, address_group = propose_groups(
        cells=cells,
        unit_grid=unit_grid,
        grid_codes=list(grid_codes),
        address_ids=np.asarray(village.address_ids),
        houses=houses,
        old_group_codes=np.asarray(village.group_codes, dtype=object),
        old_grid_codes=old,
        used_codes=village.used_group_codes,
        rule=params.group,
        random_state=params.random_state,
    )
    redraw_groups(groups, list(grid_codes), drawn)
    metrics = grid_metrics(
        geoms=geoms,
        households=households,
        village=cells.village,
        epsg=cells.epsg,
        target=params.target,
        unit_xy=cells.xy,
        unit_weight=cells.weight,
        unit_grid=unit_grid,
        graph_connected=np.ones(k, bool),
    )
    metrics.update(
        village=village.code,
        target=params.target,
        tolerance=params.tolerance,
        balance_feasible=feasible,
        households_moved=int(houses[moved].sum()),
        households_newly_assigned=int(houses[~had].sum()),
        grids_before=len(current_codes),
        grids_kept=sum(g["status"] in ("kept", "split") for g in grids),
        grids_split=sum(g["status"] == "split" for g in grids),
        grids_merged=len(closed),
        grids_new=sum(g["status"] == "new" for g in grids),
        groups=len(groups),
        groups_households_min=min((g["households"] for g in groups), default=0),
        groups_households_max=max((g["households"] for g in groups), default=0),
        unbalanced_grids=unbalanced,
        thin_strips_forced=len(drawn.thin),
        outline_pieces_given=len(drawn.transfers),
    )
    return VillagePlan(
        code=village.code,
        target=params.target,
        balance_feasible=feasible,
        grids=grids,
        closed=closed,
        groups=groups,
        address_ids=np.asarray(village.address_ids),
        address_grid=address_grid,
        address_group=address_group,
        metrics=metrics,
        cells=cells,
        unit_grid=unit_grid,
        initial_unit_grid=initial,
        current_codes=current_codes,
        settlement=settlement,
    )


def closed_grids(village, codes: list[str], surviving: set[str], grids: list[dict]) -> list[dict]:
    """Current grids with no successor of the same code, and the new grid covering most of them."""
    closed = []
    new_geoms = np.array([g["geometry"] for g in grids], dtype=object)
    for code in codes:
        if code in surviving:
            continue
        overlap = shapely.area(shapely.intersection(new_geoms, village.current_grids[code]))
        into = grids[int(np.argmax(overlap))]["code"] if len(grids) else None
        closed.append({"code": code, "merged_into": into})
    return closed
