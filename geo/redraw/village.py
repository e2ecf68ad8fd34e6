"""A redraw proposal for one village: grids, their codes, groups, assignment and metrics.

Pure geometry: plain arrays and shapely geometries in, a :class:`VillagePlan` out; storage and
application live in :mod:`geo.redraw.store`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.optimize import linear_sum_assignment
from shapely.geometry.base import BaseGeometry

from geo.redraw.assemble import assemble_village
from geo.redraw.blocks import make_blocks
from geo.redraw.cells import VillageCells, build_cells, geoms_to_metric
from geo.redraw.compact import METRES_PER_HOUSEHOLD
from geo.redraw.draw import REASON_ADDRESS
from geo.redraw.groups import GroupRule, majority_label
from geo.redraw.metrics import grid_metrics
from geo.redraw.partition import choose_region_count, household_band, repair_partition
from geo.redraw.regions import UNASSIGNED
from geo.redraw.repair import ShapeRepair, repair_shapes
from geo.redraw.repair_passes import RULE_MIN_WIDTH
from geo.redraw.reshape import PP_PER_HOUSEHOLD, UnitShapes
from geo.redraw.shapes import settlements
from geo.redraw.strip_homes import clear_strip_homes


@dataclass(frozen=True)
class RedrawParams:
    """Households per grid (``target`` ± ``tolerance`` as a fraction) and per group.

    ``keep_households``: balance by the fewest households moved (a min-cost flow between grids,
    the cheapest split or merge; :mod:`geo.redraw.balance`, :mod:`geo.redraw.recount`) rather
    than by chains from the heaviest and lightest grids; fewer households change grid, the grids
    come out a little less compact."""

    target: float
    tolerance: float = 0.15
    group: GroupRule = field(default_factory=GroupRule)
    random_state: int = 0
    metres_per_household: float = METRES_PER_HOUSEHOLD
    pp_per_household: float = PP_PER_HOUSEHOLD
    reshape: bool = True
    repair_shapes: bool = True
    keep_households: bool = False


@dataclass
class VillageInput:
    """One village as stored: outline, addresses (id, point, houses, current grid and group
    codes), its current grids and every grid or group code it ever used."""

    code: str
    geom: BaseGeometry
    address_ids: np.ndarray
    points: np.ndarray
    houses: np.ndarray
    grid_codes: np.ndarray
    group_codes: np.ndarray
    current_grids: dict[str, BaseGeometry]
    used_grid_codes: set[str] = field(default_factory=set)
    used_group_codes: set[str] = field(default_factory=set)
    grid_names: dict[str, str] = field(default_factory=dict)


@dataclass
class VillagePlan:
    """The proposal for one village.

    ``grids``: dicts with code, status (kept / split / new), parent_code, households,
    geometry (EPSG:4326). ``closed``: current grids that disappear, with the grid they merge into.
    ``address_grid`` / ``address_group``: the proposed codes of each input address.
    """

    code: str
    target: float
    balance_feasible: bool
    grids: list[dict]
    closed: list[dict]
    groups: list[dict]
    address_ids: np.ndarray
    address_grid: np.ndarray
    address_group: np.ndarray
    metrics: dict
    cells: VillageCells
    unit_grid: np.ndarray
    initial_unit_grid: np.ndarray
    current_codes: list[str]
    settlement: np.ndarray


def band_for(
    *, households: float, k: int, target: float, tolerance: float
) -> tuple[float, float, bool]:
    """Household band ``(lo, hi, feasible)``: around the target when ``k`` grids can meet it,
    else around the village's own mean (a village too small or too lopsided for the target)."""
    lo, hi = household_band(target, tolerance)
    if k * lo <= households <= k * hi:
        return lo, hi, True
    # No count of grids fits the target: balance around the village's own mean, half as loose
    # as the target band (tighter keeps the worst deviation down, looser moves fewer people).
    mean = households / k if k else 0.0
    spread = max(2.0, 0.5 * tolerance * mean)
    return math.floor(mean - spread), math.ceil(mean + spread), False


def initial_assignment(village: VillageInput, cells: VillageCells) -> tuple[np.ndarray, list[str]]:
    """Per unit, the index (into the sorted current codes) of its current grid, or ``-1``.

    Addresses without a grid of this village count from the current grid that holds their point.
    """
    codes = sorted(village.current_grids)
    known = set(codes)
    grid_codes = np.array([c if c in known else None for c in village.grid_codes], dtype=object)
    missing = np.flatnonzero([c is None for c in grid_codes])
    if len(missing) and codes:
        geoms = np.array([village.current_grids[c] for c in codes], dtype=object)
        tree = shapely.STRtree(geoms)
        pts, polys = tree.query(village.points[missing], predicate="intersects")
        for p, g in zip(pts, polys, strict=True):
            if grid_codes[missing[p]] is None:
                grid_codes[missing[p]] = codes[g]
    unit_label, present = majority_label(
        grid_codes, cells.unit_of_address, village.houses, cells.n_units
    )
    remap = np.array([codes.index(c) for c in present], dtype=np.int64)
    unit_label = np.where(
        unit_label == UNASSIGNED, UNASSIGNED, remap[unit_label] if len(remap) else UNASSIGNED
    )
    return unit_label, codes


def _next_grid_code(village_code: str, taken: set[str]) -> str:
    seqs = [
        int(c[len(village_code) :])
        for c in taken
        if c.startswith(village_code) and c[len(village_code) :].isdigit()
    ]
    return f"{village_code}{max(seqs, default=0) + 1:03d}"


# Block sizes tried in turn (settlement limit, inner piece limit; fractions of the target) until
# the grids balance: whole settlements first, smaller pieces only where balance needs them.
BLOCK_LADDER = ((1.0, 1 / 8), (0.5, 1 / 8), (0.0, 0.0))


def unit_shapes(cells: VillageCells) -> UnitShapes:
    """Cell area, outer boundary (on the village outline) and shared boundaries of each unit."""
    cells_m = geoms_to_metric(cells.cells, cells.epsg)
    shared = cells.shared_m or [np.zeros(len(n)) for n in cells.neighbours]
    total = np.array([s.sum() for s in shared])
    outer = np.maximum(0.0, shapely.length(cells_m) - total)
    return UnitShapes(area=shapely.area(cells_m), outer=outer, shared=shared)


def _block_shapes(units: UnitShapes, blocks) -> UnitShapes:
    n = blocks.n_blocks
    return UnitShapes(
        area=np.bincount(blocks.block_of_unit, weights=units.area, minlength=n),
        outer=np.bincount(blocks.block_of_unit, weights=units.outer, minlength=n),
        shared=blocks.shared_m,
    )


def _partition_blocks(cells: VillageCells, initial: np.ndarray, *, k, lo, hi, params):
    """Partition the village's blocks, from whole settlements down to single units until the
    grids balance; the first balanced result (else the one with fewest grids off balance)."""
    best = None
    shapes = unit_shapes(cells) if params.reshape else None
    for limit, inner in BLOCK_LADDER:
        blocks = make_blocks(
            xy=cells.xy,
            neighbours=cells.neighbours,
            shared_m=cells.shared_m,
            weight=cells.weight,
            initial=initial,
            limit=limit * params.target,
            inner_limit=inner * params.target,
        )
        part = repair_partition(
            weights=blocks.weight,
            neighbours=blocks.neighbours,
            xy=blocks.xy,
            initial=blocks.initial,
            n_regions=k,
            lo=lo,
            hi=hi,
            random_state=params.random_state,
            shared_m=blocks.shared_m,
            metres_per_household=params.metres_per_household,
            shapes=_block_shapes(shapes, blocks) if shapes is not None else None,
            pp_per_household=params.pp_per_household,
            fewest_moved=params.keep_households,
        )
        if best is None or len(part.unbalanced) < len(best[0].unbalanced):
            best = (part, blocks)
        if not part.unbalanced:
            break
    return best


def propose_village(village: VillageInput, params: RedrawParams) -> VillagePlan:
    """Redraw one village: repair its current grids into balanced, contiguous, compact ones."""
    houses = np.asarray(village.houses, dtype=float)
    cells = build_cells(village=village.geom, points=village.points, households=houses)
    initial, codes = initial_assignment(village, cells)
    settlement = settlements(cells.xy, cells.neighbours)
    total = float(cells.weight.sum())
    with_units = len(set(initial[initial != UNASSIGNED].tolist()))
    k = choose_region_count(
        households=total, current=with_units, target=params.target, tolerance=params.tolerance
    )
    lo, hi, feasible = band_for(
        households=total, k=k, target=params.target, tolerance=params.tolerance
    )
    part, blocks = None, None
    if k != with_units and with_units * lo <= total <= with_units * hi:
        # The current count fits the band, only tightly: keep it when the grids still balance,
        # which moves far fewer households than a split or a merge.
        part, blocks = _partition_blocks(cells, initial, k=with_units, lo=lo, hi=hi, params=params)
        if part.unbalanced:
            part = None
    if part is None:
        part, blocks = _partition_blocks(cells, initial, k=k, lo=lo, hi=hi, params=params)
    unit_labels = part.labels[blocks.block_of_unit]
    repaired = None
    if params.repair_shapes:
        repaired = repair_shapes(
            cells=cells,
            labels=unit_labels,
            initial=initial,
            settlement=settlement,
            lo=lo,
            hi=hi,
            limit=params.target,
        )
        unit_labels = repaired.labels

    code_of, parent_of = _codes_by_matching(village, cells, unit_labels, codes)
    regions = sorted(code_of, key=code_of.get)
    index_of = {r: i for i, r in enumerate(regions)}
    unit_grid = np.array([index_of[int(r)] for r in unit_labels], dtype=np.int64)
    grid_codes = [code_of[r] for r in regions]

    def assemble(labels: np.ndarray) -> VillagePlan:
        return assemble_village(
            village=village,
            params=params,
            cells=cells,
            initial=initial,
            current_codes=codes,
            unit_grid=labels,
            grid_codes=grid_codes,
            parent_of={code_of[r]: p for r, p in parent_of.items()},
            feasible=feasible,
            settlement=settlement,
            unbalanced=len(part.unbalanced),
        )

    plan = assemble(unit_grid)
    if repaired is not None:
        index_of_code = {c: i for i, c in enumerate(grid_codes)}
        current = np.array([index_of_code.get(codes[g], -1) if g >= 0 else -1 for g in initial])
        plan, pushed = clear_strip_homes(
            plan, assemble, initial=current, lo=lo, hi=hi, limit=params.target
        )
        for i in pushed:
            repaired.pushed[regions[i]] = RULE_MIN_WIDTH
        _note_exceptions(plan, repaired, code_of, cells.weight)
    return plan


def _note_exceptions(
    plan: VillagePlan, repaired: ShapeRepair, code_of: dict[int, str], weight: np.ndarray
) -> None:
    """Name on each grid the shape rules the repair had to leave broken and the rule that took
    it out of the band (``band_exception``), and count them.

    A thin strip counts only where the drawn outline still has one (the drawing names those,
    :mod:`geo.redraw.draw`); there the repair's reason why no unit could move is kept, unless
    households live in the thin part, which says more."""
    by_code = {g["code"]: g for g in plan.grids}
    for r, reason in repaired.thin.items():
        notes = [
            e for e in by_code[code_of[r]].get("shape_exceptions", []) if e["rule"] == "min_width"
        ]
        if notes and notes[0]["reason"] != REASON_ADDRESS:
            notes[0]["reason"] = reason
    for s, (grids, reason) in repaired.split.items():
        load = float(weight[plan.settlement == s].sum())
        codes = sorted(code_of[r] for r in grids)
        by_code[codes[0]].setdefault("shape_exceptions", []).append(
            {"rule": "settlement", "reason": reason, "grids": codes, "households": round(load)}
        )
    for r, rule in repaired.pushed.items():
        by_code[code_of[r]]["band_exception"] = rule
    plan.metrics["thin_strips_forced"] = sum(
        any(e["rule"] == "min_width" for e in g.get("shape_exceptions", [])) for g in plan.grids
    )
    plan.metrics["settlements_split_left"] = len(repaired.split)
    plan.metrics["grids_out_of_band_by_shape"] = len(repaired.pushed)
    plan.metrics["out_of_band_by_shape"] = [bool(g.get("band_exception")) for g in plan.grids]


def address_grid_of(cells: VillageCells, unit_grid: np.ndarray, grids: list[dict]) -> np.ndarray:
    """The proposed grid code of each address."""
    codes = np.array([g["code"] for g in grids], dtype=object)
    return codes[unit_grid[cells.unit_of_address]]


def _codes_by_matching(
    village: VillageInput, cells: VillageCells, labels: np.ndarray, codes: list[str]
) -> tuple[dict[int, str], dict[int, str]]:
    """Codes for the proposed regions: current codes go to the regions that share most
    households with them under a one-to-one (Hungarian) matching, so that as few households as
    possible see their grid code change; the other regions get the next free sequence.

    Returns ``{region: code}`` and ``{region: current code it took most households from}``.
    """
    regions = np.unique(labels).tolist()
    row = {r: i for i, r in enumerate(regions)}
    col = {c: j for j, c in enumerate(codes)}
    shared = np.zeros((len(regions), len(codes)))
    address_region = labels[cells.unit_of_address]
    for region, code, houses in zip(
        address_region, village.grid_codes, village.houses, strict=True
    ):
        if code in col:
            shared[row[int(region)], col[code]] += houses + 1e-3
    code_of: dict[int, str] = {}
    if codes:
        for i, j in zip(*linear_sum_assignment(-shared), strict=True):
            if shared[i, j] > 0:
                code_of[regions[i]] = codes[j]
    taken = set(village.used_grid_codes) | set(codes)
    for r in regions:
        if r not in code_of:
            code_of[r] = _next_grid_code(village.code, taken)
            taken.add(code_of[r])
    parent_of = {
        r: codes[int(np.argmax(shared[row[r]]))]
        for r in regions
        if codes and shared[row[r]].max() > 0
    }
    return code_of, parent_of


def current_metrics(village: VillageInput, plan: VillagePlan, *, target: float) -> dict:
    """The same metrics for the village's current grids (households from the current assignment)."""
    codes = plan.current_codes
    if not codes:
        return {}
    geoms = np.array([village.current_grids[c] for c in codes], dtype=object)
    index = {c: i for i, c in enumerate(codes)}
    houses = np.asarray(village.houses, dtype=float)
    per = np.zeros(len(codes))
    for c, h in zip(village.grid_codes, houses, strict=True):
        if c in index:
            per[index[c]] += h
    unit_grid = plan.initial_unit_grid
    ok = unit_grid != UNASSIGNED
    cells = plan.cells
    return grid_metrics(
        geoms=geoms,
        households=per,
        village=cells.village,
        epsg=cells.epsg,
        target=target,
        unit_xy=cells.xy[ok],
        unit_weight=cells.weight[ok],
        unit_grid=unit_grid[ok],
    )
