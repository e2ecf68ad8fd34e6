"""The redraw desk's data and its saves: a plan's units to move by hand, and an edited plan
stored as a new version.

The desk rebuilds the units of the plan's villages from the addresses as they are now (the
same cells a proposal is made from), gives each unit the grid the plan gives its households,
and sends units, grids and the current grids to the page. Saving an edit checks it again
(:mod:`geo.redraw.desk`), re-assembles only the villages whose units moved
(:mod:`geo.redraw.assemble`: geometry, groups, metrics), and stores a new ``grid_plan`` row with
the parent's base fingerprint, so applying it is refused as stale exactly when the parent's would
be, plus a ``grid_plan_version`` row (parent, version, who, when).
"""

from __future__ import annotations

import time

import numpy as np
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidRequest
from geo.database.sqlfiles import sql
from geo.redraw.assemble import assemble_village
from geo.redraw.cells import build_cells
from geo.redraw.desk import (
    check_assignment,
    desk_village,
    note_hand_splits,
    unit_grid_from_plan,
    unit_grid_from_request,
)
from geo.redraw.groups import GroupRule
from geo.redraw.shapes import settlements
from geo.redraw.store import get_plan, load_scope, plan_json, store_plan
from geo.redraw.village import RedrawParams, initial_assignment


def _units_of(session: Session, row: dict):
    """Per village of the plan: its input, plan entry, cells, settlements and plan grids."""
    inputs, villages = load_scope(session=session, scope=row["scope_code"])
    by_code = {v.code: v for v in inputs}
    out = []
    for plan_village in row["proposal"]["villages"]:
        village = by_code.get(plan_village["code"])
        if village is None:
            continue
        houses = np.asarray(village.houses, dtype=float)
        cells = build_cells(village=village.geom, points=village.points, households=houses)
        unit_grid = unit_grid_from_plan(
            cells=cells,
            points=village.points,
            houses=houses,
            address_ids=np.asarray(village.address_ids),
            plan_village=plan_village,
        )
        out.append(
            (village, plan_village, cells, settlements(cells.xy, cells.neighbours), unit_grid)
        )
    return out, villages


def version_info(*, session: Session, plan_id: int) -> dict | None:
    """A plan's place in its line of desk edits (parent, version, who, when), or None for an
    original proposal."""
    row = session.execute(sql("redraw_version_get"), {"plan": plan_id}).mappings().one_or_none()
    if row is None:
        return None
    return {
        "plan": int(row["plan_id"]),
        "parent": int(row["parent_id"]),
        "root": int(row["root_id"]),
        "version": int(row["version"]),
        "units_moved": int(row["units_moved"]),
        "edited_by": row["edited_by"],
        "edited_at": row["edited_at"].isoformat(),
    }


def desk_data(*, session: Session, plan_id: int) -> dict:
    """Everything the desk needs for plan ``plan_id``: plan facts, tolerance, villages with
    their units, grids and current grids."""
    row = get_plan(session=session, plan_id=plan_id)
    units, _ = _units_of(session, row)
    return {
        "plan": int(row["id"]),
        "scope": row["scope_code"],
        "status": row["status"],
        "created_by": row["created_by"],
        "created_at": row["created_at"].isoformat() if row["created_at"] else None,
        "tolerance": float(row["params"].get("tolerance", 0.15)),
        "summary": (row["metrics"] or {}).get("total", {}).get("summary"),
        "version": version_info(session=session, plan_id=plan_id),
        "villages": [
            desk_village(
                cells=cells,
                unit_grid=unit_grid,
                settlement=settlement,
                address_ids=np.asarray(village.address_ids),
                plan_village=plan_village,
                current_grids=village.current_grids,
            )
            for village, plan_village, cells, settlement, unit_grid in units
        ],
    }


def save_version(
    *, session: Session, plan_id: int, assignment: dict[str, list[int]], edited_by: str
) -> dict:
    """Store plan ``plan_id`` with the addresses of ``assignment`` (grid code → address ids)
    moved to those grids as a new plan version; return its id, version and metrics.

    Addresses not mentioned keep the grid the plan gives them. Refused (:class:`InvalidRequest`)
    when an address would leave its village or a grid would be empty or fall apart; refused
    (:class:`Conflict`) when the plan is no longer a proposal.
    """
    started = time.perf_counter()
    row = get_plan(session=session, plan_id=plan_id)
    if row["status"] != "proposed":
        raise Conflict(
            f"方案 {plan_id} 已{row['status']}，只能在待审方案上调整 "
            f"/ plan {plan_id} is {row['status']}, only a proposed plan can be edited"
        )
    requested = {int(a): code for code, ids in assignment.items() for a in ids}
    units, villages = _units_of(session, row)
    params = row["params"]
    group = GroupRule(**params.get("group", {}))
    old_metrics = {m["village"]: m for m in (row["metrics"] or {}).get("villages", [])}
    proposal, metrics, units_moved, known = [], [], 0, set()
    for village, plan_village, cells, settlement, default in units:
        ids = np.asarray(village.address_ids)
        known.update(int(i) for i in ids)
        codes = [g["code"] for g in plan_village["grids"]]
        names = [g.get("name") or g["code"] for g in plan_village["grids"]]
        unit_grid = unit_grid_from_request(
            cells=cells,
            address_ids=ids,
            default=default,
            grid_codes=codes,
            requested=requested,
            village_name=plan_village.get("name") or plan_village["code"],
        )
        moved = int((unit_grid != default).sum())
        if moved == 0 and plan_village["code"] in old_metrics:
            proposal.append(plan_village)
            metrics.append(_with_deviation(old_metrics[plan_village["code"]]))
            continue
        check_assignment(
            neighbours=cells.neighbours, unit_grid=unit_grid, grid_codes=codes, grid_names=names
        )
        units_moved += moved
        redraw = RedrawParams(
            target=float(plan_village["target"]), tolerance=float(params["tolerance"]), group=group
        )
        initial, current_codes = initial_assignment(village, cells)
        plan = assemble_village(
            village=village,
            params=redraw,
            cells=cells,
            initial=initial,
            current_codes=current_codes,
            unit_grid=unit_grid,
            grid_codes=codes,
            parent_of={
                g["code"]: g["parent_code"] for g in plan_village["grids"] if g.get("parent_code")
            },
            feasible=bool(plan_village.get("balance_feasible", True)),
            settlement=settlement,
        )
        plan.metrics["settlements_split_by_hand"] = note_hand_splits(
            grids=plan.grids,
            settlement=settlement,
            unit_grid=unit_grid,
            before=default,
            weight=cells.weight,
            limit=redraw.target,
        )
        proposal.append(plan_json(plan, village, villages))
        metrics.append(plan.metrics)
    unknown = sorted(set(requested) - known)
    if unknown:
        raise InvalidRequest(
            f"地址 {unknown[:5]} 不在方案 {plan_id} 的范围内 "
            f"/ addresses {unknown[:5]} are not in plan {plan_id}"
        )
    if units_moved == 0:
        raise InvalidRequest("没有需要保存的调整 / nothing was moved")
    parent = version_info(session=session, plan_id=plan_id)
    root = parent["root"] if parent else plan_id
    version = int(session.execute(sql("redraw_version_next"), {"root": root}).scalar_one())
    stored = store_plan(
        session=session,
        scope=row["scope_code"],
        params={**params, "edited_from": plan_id},
        base_fingerprint=row["base_fingerprint"],
        villages=proposal,
        village_metrics=metrics,
        created_by=edited_by,
        started=started,
    )
    session.execute(
        sql("redraw_version_insert"),
        {
            "plan": stored["plan"],
            "parent": plan_id,
            "root": root,
            "version": version,
            "units_moved": units_moved,
            "edited_by": edited_by,
        },
    )
    return {
        **stored,
        "version": version_info(session=session, plan_id=stored["plan"]),
    }


def _with_deviation(metrics: dict) -> dict:
    """Stored village metrics with the per-grid deviations they were stored without."""
    target = float(metrics["target"])
    deviation = [(h - target) / target if target > 0 else 0.0 for h in metrics["households"]]
    return {**metrics, "deviation": deviation}
