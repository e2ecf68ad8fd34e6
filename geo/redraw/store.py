"""Redraw plans in the database: load a scope, store a proposal, apply it, read the history.

A plan is a ``grid_plan`` row holding the proposed grids and groups (geometries as hex WKB, so
that the tiling survives the round trip bit for bit), every address's proposed grid and group,
the metrics, and the fingerprint of the grids it was made from. Applying it is one
transaction (a savepoint inside the caller's): the current grids of its villages are closed, the
proposed ones opened with the same ``valid_from`` instant, and addresses, household groups,
disputes, signals and staff links follow; any error leaves everything as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import geopandas as gpd
import numpy as np
import shapely
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidRequest, NotFound
from geo.database.sqlfiles import sql
from geo.redraw.explain import plan_summary, worst_deviations
from geo.redraw.groups import GroupRule
from geo.redraw.metrics import combine
from geo.redraw.village import RedrawParams, VillageInput, VillagePlan, propose_village

DEFAULT_TARGET_FALLBACK = 200.0


class StalePlan(Conflict):
    """The grids a plan was made from have changed since; it must be proposed again."""


def load_scope(*, session: Session, scope: str) -> tuple[list[VillageInput], list[dict]]:
    """The villages of ``scope`` (village, township or county code) as redraw inputs.

    Returns the inputs and the village rows (code, short_name, township_code, county_code).
    """
    rows = session.execute(sql("redraw_villages"), {"scope": scope}).mappings().all()
    if not rows:
        raise NotFound(f"no village with an outline in scope {scope!r}")
    codes = [r["code"] for r in rows]
    addresses = session.execute(sql("redraw_addresses"), {"villages": codes}).mappings().all()
    grids = session.execute(sql("redraw_current_grids"), {"villages": codes}).mappings().all()
    used = session.execute(sql("redraw_used_codes"), {"villages": codes}).mappings().all()

    by_village: dict[str, list] = {c: [] for c in codes}
    for a in addresses:
        by_village[a["village_code"]].append(a)
    current: dict[str, dict] = {c: {} for c in codes}
    names: dict[str, dict] = {c: {} for c in codes}
    for g in grids:
        current[g["village_code"]][g["code"]] = shapely.from_wkb(bytes(g["wkb"]))
        names[g["village_code"]][g["code"]] = g["name"]
    used_grid: dict[str, set] = {c: set() for c in codes}
    used_group: dict[str, set] = {c: set() for c in codes}
    for u in used:
        (used_grid if u["kind"] == "grid" else used_group)[u["village_code"]].add(u["code"])

    inputs = []
    for r in rows:
        found = by_village[r["code"]]
        if not found:
            continue
        inputs.append(
            VillageInput(
                code=r["code"],
                geom=shapely.from_wkb(bytes(r["wkb"])),
                address_ids=np.array([a["id"] for a in found], dtype=np.int64),
                points=shapely.points([a["lon"] for a in found], [a["lat"] for a in found]),
                houses=np.array([a["houses"] for a in found], dtype=float),
                grid_codes=np.array([a["grid_code"] for a in found], dtype=object),
                group_codes=np.array([a["group_code"] for a in found], dtype=object),
                current_grids=current[r["code"]],
                used_grid_codes=used_grid[r["code"]],
                used_group_codes=used_group[r["code"]],
                grid_names=names[r["code"]],
            )
        )
    return inputs, [dict(r) for r in rows]


def default_targets(*, session: Session, county: str) -> dict[str, float]:
    """Target households per grid read from the data: the median of the county's current grids,
    separately for urban communities and rural villages (each rounded to 5).

    The demo county's grids hold a median of about 65 households, well below the 150–250 of a
    textbook rural grid: the county's own practice is the better default, so that a redraw
    rebalances grids instead of halving their number.
    """
    rows = session.execute(sql("redraw_grid_households"), {"county": county}).mappings().all()
    values = {"rural": [], "urban": []}
    for r in rows:
        if r["households"] > 0:
            values["urban" if r["urban"] else "rural"].append(float(r["households"]))
    every = values["rural"] + values["urban"]
    overall = float(np.median(every)) if every else DEFAULT_TARGET_FALLBACK
    out = {}
    for kind, found in values.items():
        median = float(np.median(found)) if len(found) >= 3 else overall
        out[kind] = max(5.0, 5.0 * round(median / 5.0))
    return out


def fingerprint(*, session: Session, villages: list[str]) -> str:
    """Hash of the ids, codes and geometries of the current grids of ``villages``."""
    return session.execute(sql("redraw_fingerprint"), {"villages": villages}).scalar_one()


def propose(
    *,
    session: Session,
    scope: str,
    target: float | None = None,
    tolerance: float = 0.15,
    group_rule: GroupRule | None = None,
    created_by: str | None = None,
    keep_households: bool = False,
) -> dict:
    """Make and store a redraw proposal for ``scope``; return its id and metrics.

    ``keep_households``: balance by the fewest households moved (see :class:`RedrawParams`).

    Without ``target`` each village gets the county's median households per grid of its kind
    (urban community or rural village), see :func:`default_targets`.
    """
    if target is not None and target <= 0:
        raise InvalidRequest("target must be a positive number of households")
    if not 0 < tolerance < 1:
        raise InvalidRequest("tolerance must be a fraction between 0 and 1")
    started = time.perf_counter()
    inputs, villages = load_scope(session=session, scope=scope)
    if not inputs:
        raise InvalidRequest(f"scope {scope!r} has no addresses to build grids from")
    rule = group_rule or GroupRule()
    kinds = {v["code"]: _is_urban(v) for v in villages}
    targets = (
        None
        if target is not None
        else default_targets(session=session, county=villages[0]["county_code"])
    )
    plans = []
    for village in inputs:
        village_target = (
            target if target is not None else targets["urban" if kinds[village.code] else "rural"]
        )
        params = RedrawParams(
            target=float(village_target),
            tolerance=tolerance,
            group=rule,
            keep_households=keep_households,
        )
        plans.append(propose_village(village, params))
    codes = [v.code for v in inputs]
    params_json = {
        "target": target,
        "targets": targets,
        "tolerance": tolerance,
        "keep_households": keep_households,
        "group": {"size": rule.size, "lo": rule.lo, "hi": rule.hi},
    }
    return store_plan(
        session=session,
        scope=scope,
        params=params_json,
        base_fingerprint=fingerprint(session=session, villages=codes),
        villages=[plan_json(p, v, villages) for p, v in zip(plans, inputs, strict=True)],
        village_metrics=[p.metrics for p in plans],
        created_by=created_by,
        started=started,
    )


def store_plan(
    *,
    session: Session,
    scope: str,
    params: dict,
    base_fingerprint: str,
    villages: list[dict],
    village_metrics: list[dict],
    created_by: str | None,
    started: float,
) -> dict:
    """Store a plan made of per-village proposals (``plan_json``) and metrics; return its id
    and the combined metrics with the Chinese summary."""
    tolerance = params["tolerance"]
    metrics = combine(village_metrics, target_of=[v["target"] for v in villages])
    metrics["summary"] = plan_summary(metrics, villages, tolerance)
    metrics["worst_deviations"] = worst_deviations(villages, tolerance)
    metrics["seconds"] = round(time.perf_counter() - started, 2)
    plan_id = session.execute(
        sql("redraw_plan_insert"),
        {
            "scope": scope,
            "params": json.dumps(params),
            "fingerprint": base_fingerprint,
            "proposal": json.dumps({"villages": villages}, ensure_ascii=False),
            "metrics": json.dumps(
                {"total": metrics, "villages": [_slim(m) for m in village_metrics]},
                ensure_ascii=False,
            ),
            "created_by": created_by,
        },
    ).scalar_one()
    return {"plan": int(plan_id), "scope": scope, **metrics}


def _is_urban(village: dict) -> bool:
    return (village.get("short_name") or "").endswith("社区")


def _slim(metrics: dict) -> dict:
    return {k: v for k, v in metrics.items() if k not in ("deviation",)}


def plan_json(plan: VillagePlan, village: VillageInput, villages: list[dict]) -> dict:
    """One village of a stored proposal: grids and groups (hex WKB), closed grids, addresses."""
    row = next(v for v in villages if v["code"] == plan.code)
    named = {"code": plan.code, "name": row.get("short_name")}
    return {
        "code": plan.code,
        "name": row.get("short_name"),
        "township_code": row["township_code"],
        "county_code": row["county_code"],
        "target": plan.target,
        "balance_feasible": plan.balance_feasible,
        "grids": [
            {
                **{k: v for k, v in g.items() if k != "geometry"},
                "name": village.grid_names.get(g["code"]) or _new_grid_name(named, g["code"]),
                "wkb": _hex(g["geometry"]),
            }
            for g in plan.grids
        ],
        "closed": plan.closed,
        "groups": [
            {**{k: v for k, v in g.items() if k != "geometry"}, "wkb": _hex(g["geometry"])}
            for g in plan.groups
        ],
        "addresses": {
            "id": [int(i) for i in plan.address_ids],
            "grid": [str(c) for c in plan.address_grid],
            "group": [str(c) for c in plan.address_group],
        },
    }


def _hex(geom) -> str:
    return shapely.to_wkb(geom, hex=True)


def plan_not_found(plan_id: int) -> str:
    """The message for a plan that does not exist or lies outside the caller's scope."""
    return f"没有编号为 {plan_id} 的网格调整方案 / no redraw plan {plan_id}"


def get_plan(*, session: Session, plan_id: int) -> dict:
    """A stored plan as a dict (the raw ``grid_plan`` row)."""
    row = session.execute(sql("redraw_plan_get"), {"plan": plan_id}).mappings().one_or_none()
    if row is None:
        raise NotFound(plan_not_found(plan_id))
    return dict(row)


def plan_geojson(*, session: Session, plan_id: int, groups: bool = False) -> dict:
    """The proposed grids of a plan (and optionally its groups) as a GeoJSON FeatureCollection,
    with the plan's status and metrics as foreign members."""
    row = get_plan(session=session, plan_id=plan_id)
    features = []
    for village in row["proposal"]["villages"]:
        for g in village["grids"]:
            features.append(_feature(g, "grid", village["code"]))
        if groups:
            for h in village["groups"]:
                features.append(_feature(h, "household_group", village["code"]))
    return {
        "type": "FeatureCollection",
        "plan": row["id"],
        "scope": row["scope_code"],
        "status": row["status"],
        "created_at": row["created_at"].isoformat() if row["created_at"] else None,
        "applied_at": row["applied_at"].isoformat() if row["applied_at"] else None,
        "params": row["params"],
        "metrics": row["metrics"],
        "features": features,
    }


def _feature(item: dict, kind: str, village: str) -> dict:
    geom = shapely.from_wkb(item["wkb"])
    props = {k: v for k, v in item.items() if k != "wkb"}
    props.update(kind=kind, village_code=village)
    return {
        "type": "Feature",
        "id": item["code"],
        "geometry": json.loads(shapely.to_geojson(geom)),
        "properties": props,
    }


def apply_plan(
    *, session: Session, plan_id: int, actor: str | None = None, at: dt.datetime | None = None
) -> dict:
    """Apply a proposed plan in one transaction (a savepoint of the caller's session).

    Refuses a plan that is not ``proposed`` or whose base grids changed since it was made
    (:class:`StalePlan`); on any error nothing it did remains. The caller commits.
    """
    with session.begin_nested():
        session.execute(sql("redraw_plan_lock"), {"plan": plan_id}).all()
        row = get_plan(session=session, plan_id=plan_id)
        if row["status"] != "proposed":
            raise Conflict(
                f"redraw plan {plan_id} is {row['status']}, only a proposed plan can be applied"
            )
        villages = [v["code"] for v in row["proposal"]["villages"]]
        session.execute(sql("redraw_lock_grids"), {"villages": villages}).all()
        now_print = fingerprint(session=session, villages=villages)
        if now_print != row["base_fingerprint"]:
            raise StalePlan(
                f"redraw plan {plan_id} was made from grids that have changed since "
                f"(fingerprint {row['base_fingerprint'][:8]} then, {now_print[:8]} now): "
                "make a new proposal"
            )
        if at is None:
            at = session.execute(sql("redraw_clock")).scalar_one()
        summary = _apply_rows(session=session, proposal=row["proposal"], villages=villages, at=at)
        session.execute(sql("redraw_plan_applied"), {"plan": plan_id, "at": at, "actor": actor})
    return {"plan": plan_id, "applied_at": at.isoformat(), **summary}


def _apply_rows(*, session: Session, proposal: dict, villages: list[str], at) -> dict:
    group_leaders = {
        r.code: r.leader_id
        for r in session.execute(sql("redraw_current_groups"), {"villages": villages})
    }
    closed = session.execute(sql("redraw_close_grids"), {"villages": villages, "at": at})
    closed = closed.mappings().all()
    old_by_code = {c["code"]: c for c in closed}
    grid_rows, group_rows, address_rows, successors = [], [], [], []
    for village in proposal["villages"]:
        synthetic = any(c["synthetic"] for c in closed if c["village_code"] == village["code"])
        new_codes = {g["code"] for g in village["grids"]}
        for g in village["grids"]:
            old = old_by_code.get(g["code"])
            grid_rows.append(
                {
                    "code": g["code"],
                    "name": old["name"] if old else _new_grid_name(village, g["code"]),
                    "county_code": village["county_code"],
                    "township_code": village["township_code"],
                    "village_code": village["code"],
                    "leader_id": old["leader_id"] if old else None,
                    "synthetic": synthetic,
                    "wkb": g["wkb"],
                }
            )
        for h in village["groups"]:
            group_rows.append(
                {
                    "code": h["code"],
                    "grid_code": h["grid_code"],
                    "leader_id": group_leaders.get(h["code"]),
                    "synthetic": synthetic,
                    "wkb": h["wkb"],
                }
            )
        a = village["addresses"]
        address_rows.extend(
            {"id": i, "grid": g, "grp": h}
            for i, g, h in zip(a["id"], a["grid"], a["group"], strict=True)
        )
        merged = {c["code"]: c["merged_into"] for c in village["closed"]}
        for c in closed:
            if c["village_code"] != village["code"]:
                continue
            new_code = c["code"] if c["code"] in new_codes else merged.get(c["code"])
            if new_code is not None:
                successors.append({"old_id": c["id"], "new_code": new_code})
    opened = session.execute(sql("redraw_open_grids"), {"rows": json.dumps(grid_rows), "at": at})
    new_ids = [r.id for r in opened]
    groups = session.execute(sql("redraw_open_groups"), {"rows": json.dumps(group_rows), "at": at})
    groups_opened = len(groups.all())
    moved = session.execute(
        sql("redraw_move_addresses"), {"rows": json.dumps(address_rows), "villages": villages}
    ).one()
    cases = session.execute(sql("redraw_move_cases"), {"rows": json.dumps(successors)}).one()
    session.execute(sql("redraw_recount"), {"grid_ids": new_ids})
    return {
        "grids_closed": len(closed),
        "grids_opened": len(new_ids),
        "groups_closed": int(closed[0]["groups_closed"]) if closed else 0,
        "groups_opened": groups_opened,
        "addresses_planned": int(moved.planned),
        "addresses_added_since": int(moved.unplanned),
        "disputes_moved": int(cases.disputes),
        "signals_moved": int(cases.signals),
    }


def _new_grid_name(village: dict, code: str) -> str:
    seq = int(code[len(village["code"]) :]) if code[len(village["code"]) :].isdigit() else 0
    return f"{village.get('name') or village['code']}第{seq}网格"


def grids_as_of(*, session: Session, when: dt.datetime, village: str | None = None):
    """The grids valid at ``when`` (of one village, or everywhere) as a GeoDataFrame (EPSG:4326).

    Grids closed by a redraw after ``when`` are returned as they were; grids opened after it
    are not.
    """
    rows = session.execute(sql("redraw_grids_as_of"), {"when": when, "village": village})
    rows = rows.mappings().all()
    data = [{k: v for k, v in r.items() if k != "wkb"} for r in rows]
    geoms = [shapely.from_wkb(bytes(r["wkb"])) for r in rows]
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:4326")
