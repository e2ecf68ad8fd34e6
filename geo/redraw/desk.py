"""The redraw desk's rules, pure: the units a person moves by hand, and whether a move is legal.

A unit is a Voronoi cell of one address location (:mod:`geo.redraw.cells`). At the desk a
person assigns units to a neighbouring grid of the same village; an assignment is legal when
every grid keeps at least one unit and its units stay connected through shared cell edges (the
same graph the redraw uses). The page checks this in the browser for speed; the server checks it
again here before it stores the edited plan as a new version.
"""

from __future__ import annotations

import json

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from core.errors import InvalidRequest
from geo.redraw.cells import VillageCells, geoms_to_metric
from geo.redraw.groups import majority_label
from geo.redraw.regions import UNASSIGNED
from geo.redraw.shapes import split_settlement_ids

# Coordinates sent to the desk are rounded to this many decimals (about 1 cm).
DESK_DECIMALS = 7
# Why a hand-edited plan splits a settlement a grid could hold (geo.redraw.explain words them).
REASON_HAND = "hand"  # the edit split it
REASON_LEFT_SPLIT = "left_split"  # the plan edited already split it


def unit_grid_from_plan(
    *, cells: VillageCells, points: np.ndarray, houses: np.ndarray, address_ids: np.ndarray,
    plan_village: dict,
) -> np.ndarray:  # fmt: skip
    """Per unit, the index into ``plan_village["grids"]`` of the grid the plan gives it.

    A unit takes the grid most of its households have in the plan; a unit whose addresses the
    plan does not know (added since) takes the proposed grid holding its point, else the nearest.
    """
    codes = [g["code"] for g in plan_village["grids"]]
    planned = dict(
        zip(plan_village["addresses"]["id"], plan_village["addresses"]["grid"], strict=True)
    )
    of_address = np.array([planned.get(int(i)) for i in address_ids], dtype=object)
    label, present = majority_label(of_address, cells.unit_of_address, houses, cells.n_units)
    index = {c: i for i, c in enumerate(codes)}
    remap = np.array([index.get(c, UNASSIGNED) for c in present], dtype=np.int64)
    out = np.where(label == UNASSIGNED, UNASSIGNED, remap[label] if len(remap) else UNASSIGNED)
    missing = np.flatnonzero(out == UNASSIGNED)
    if len(missing):
        geoms = np.array([shapely.from_wkb(g["wkb"]) for g in plan_village["grids"]], object)
        first = np.zeros(cells.n_units, dtype=np.int64)
        first[cells.unit_of_address[::-1]] = np.arange(len(points))[::-1]
        for u in missing:
            out[u] = int(np.argmin(shapely.distance(geoms, points[first[u]])))
    return out.astype(np.int64)


def desk_village(
    *, cells: VillageCells, unit_grid: np.ndarray, settlement: np.ndarray,
    address_ids: np.ndarray, plan_village: dict, current_grids: dict,
) -> dict:  # fmt: skip
    """What the desk draws and checks for one village: its grids, the current grids as a
    reference, and every unit with its cell, households, settlement, grid, neighbours, the
    boundary it shares with each (metres), its outer boundary and its area (m²)."""
    cells_m = geoms_to_metric(cells.cells, cells.epsg)
    perimeter = shapely.length(cells_m)
    area = shapely.area(cells_m)
    shared = cells.shared_m or [np.zeros(len(n)) for n in cells.neighbours]
    addresses_of: list[list[int]] = [[] for _ in range(cells.n_units)]
    for i, u in zip(address_ids, cells.unit_of_address, strict=True):
        addresses_of[int(u)].append(int(i))
    geometry = shapely.set_precision(cells.cells, 10.0**-DESK_DECIMALS)
    units = []
    for u in range(cells.n_units):
        units.append(
            {
                "type": "Feature",
                "geometry": _geojson(geometry[u]),
                "properties": {
                    "unit": u,
                    "village": plan_village["code"],
                    "addresses": addresses_of[u],
                    "households": round(float(cells.weight[u]), 2),
                    "settlement": int(settlement[u]),
                    "grid": int(unit_grid[u]),
                    "neighbours": cells.neighbours[u].tolist(),
                    "shared_m": [round(float(x), 2) for x in shared[u]],
                    "outer_m": round(max(0.0, float(perimeter[u] - shared[u].sum())), 2),
                    "area_m2": round(float(area[u]), 1),
                },
            }
        )
    current = [
        {
            "type": "Feature",
            "geometry": _geojson(shapely.set_precision(g, 10.0**-DESK_DECIMALS)),
            "properties": {"code": code},
        }
        for code, g in sorted(current_grids.items())
    ]
    return {
        "code": plan_village["code"],
        "name": plan_village.get("name"),
        "target": plan_village["target"],
        "grids": [
            {"code": g["code"], "name": g.get("name") or g["code"], "status": g.get("status")}
            for g in plan_village["grids"]
        ],
        "units": units,
        "current": current,
    }


def _geojson(geom) -> dict:
    return json.loads(shapely.to_geojson(geom))


def unit_grid_from_request(
    *, cells: VillageCells, address_ids: np.ndarray, default: np.ndarray,
    grid_codes: list[str], requested: dict[int, str], village_name: str,
) -> np.ndarray:  # fmt: skip
    """Per unit, the grid index the desk asks for (units it does not mention keep ``default``).

    Refuses a grid of another village and a unit whose addresses are sent to different grids.
    """
    index = {c: i for i, c in enumerate(grid_codes)}
    out = default.copy()
    seen = np.full(cells.n_units, -1, dtype=np.int64)
    for address, unit in zip(address_ids, cells.unit_of_address, strict=True):
        code = requested.get(int(address))
        if code is None:
            continue
        if code not in index:
            raise InvalidRequest(
                f"地址 {int(address)} 不能划入网格 {code}：不在{village_name}内 "
                f"/ address {int(address)} cannot leave its village for grid {code}"
            )
        if seen[unit] >= 0 and seen[unit] != index[code]:
            raise InvalidRequest(
                f"同一位置的地址须在同一网格 (地址 {int(address)}) "
                f"/ addresses at one location must share a grid (address {int(address)})"
            )
        seen[unit] = out[unit] = index[code]
    return out


def check_assignment(
    *, neighbours: list[np.ndarray], unit_grid: np.ndarray, grid_codes: list[str],
    grid_names: list[str],
) -> None:  # fmt: skip
    """Raise :class:`InvalidRequest` when a grid is left without units or falls apart."""
    n = len(unit_grid)
    for g, code in enumerate(grid_codes):
        members = np.flatnonzero(unit_grid == g)
        name = grid_names[g] or code
        if len(members) == 0:
            raise InvalidRequest(f"网格「{name}」不能为空 / grid {code} would be left empty")
        if len(members) == 1:
            continue
        inside = np.zeros(n, bool)
        inside[members] = True
        src = np.repeat(members, [len(neighbours[u]) for u in members])
        dst = np.concatenate([neighbours[u] for u in members]).astype(np.int64)
        keep = inside[dst]
        graph = coo_matrix((np.ones(int(keep.sum())), (src[keep], dst[keep])), shape=(n, n))
        _, label = connected_components(graph, directed=False)
        if len(np.unique(label[members])) > 1:
            raise InvalidRequest(
                f"网格「{name}」将不再连通 / grid {code} would no longer be contiguous"
            )


def note_hand_splits(
    *, grids: list[dict], settlement: np.ndarray, unit_grid: np.ndarray, before: np.ndarray,
    weight: np.ndarray, limit: float,
) -> int:  # fmt: skip
    """Name on ``grids`` (the edited plan's, in ``unit_grid`` order) each settlement that a grid
    could hold (at most ``limit`` households) and that the edit leaves split across grids, so
    the plan's summary says so; a settlement the plan ``before`` the edit already split keeps
    being named as such. Returns how many the edit split that were whole before."""
    load = np.bincount(settlement, weights=weight)
    by_hand = 0
    for s in split_settlement_ids(settlement, unit_grid):
        if load[s] > limit:
            continue
        members = settlement == s
        held = sorted({int(g) for g in unit_grid[members]})
        was_whole = len(np.unique(before[members])) == 1
        by_hand += was_whole
        codes = [grids[g]["code"] for g in held]
        grids[held[0]].setdefault("shape_exceptions", []).append(
            {
                "rule": "settlement",
                "reason": REASON_HAND if was_whole else REASON_LEFT_SPLIT,
                "grids": codes,
                "households": round(float(load[s])),
            }
        )
    return by_hand
