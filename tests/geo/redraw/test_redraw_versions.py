"""The redraw desk's data and saved versions on a real PostGIS (SYNTHETIC demo.village)."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import text

from core.errors import InvalidRequest
from demo.village import synthetic_village
from geo.redraw import apply_plan, get_plan, propose
from geo.redraw.desk import check_assignment
from geo.redraw.versions import desk_data, save_version, version_info
from tests.geo.redraw.test_redraw_store import TARGET, load_village


@pytest.fixture
def village():
    return synthetic_village(n_addresses=300, n_grids=4, seed=5)


def _legal_move(desk: dict, wanted=lambda unit: True) -> tuple[dict, int]:
    """A boundary unit (one ``wanted`` accepts) and the neighbouring grid it may move to
    without breaking a grid."""
    v = desk["villages"][0]
    props = [u["properties"] for u in v["units"]]
    grid = np.array([p["grid"] for p in props])
    neighbours = [np.array(p["neighbours"], dtype=np.int64) for p in props]
    codes = [g["code"] for g in v["grids"]]
    for p in props:
        if not wanted(p):
            continue
        for other in {int(grid[n]) for n in p["neighbours"]} - {p["grid"]}:
            trial = grid.copy()
            trial[p["unit"]] = other
            try:
                check_assignment(
                    neighbours=neighbours, unit_grid=trial, grid_codes=codes, grid_names=codes
                )
            except InvalidRequest:
                continue
            return p, other
    raise AssertionError("no legal move in the fixture")


def test_desk_data_has_every_address_in_one_unit_with_the_plans_grid(db, village):
    load_village(db, village)
    plan = propose(session=db, scope=village.code, target=TARGET)
    desk = desk_data(session=db, plan_id=plan["plan"])
    assert desk["version"] is None and desk["tolerance"] == 0.15
    v = desk["villages"][0]
    ids = [a for u in v["units"] for a in u["properties"]["addresses"]]
    assert sorted(ids) == sorted(int(i) for i in village.address_ids)
    stored = get_plan(session=db, plan_id=plan["plan"])["proposal"]["villages"][0]
    grid_of = dict(zip(stored["addresses"]["id"], stored["addresses"]["grid"], strict=True))
    for u in v["units"]:
        code = v["grids"][u["properties"]["grid"]]["code"]
        assert {grid_of[a] for a in u["properties"]["addresses"]} == {code}
    assert len(v["current"]) == len(village.current_grids)


def test_a_saved_edit_is_a_new_version_that_applies(db, village):
    load_village(db, village)
    plan = propose(session=db, scope=village.code, target=TARGET)
    desk = desk_data(session=db, plan_id=plan["plan"])
    unit, to = _legal_move(desk)
    codes = [g["code"] for g in desk["villages"][0]["grids"]]
    saved = save_version(
        session=db,
        plan_id=plan["plan"],
        assignment={codes[to]: unit["addresses"]},
        edited_by="desk_user",
    )
    assert saved["plan"] != plan["plan"]
    assert saved["version"]["version"] == 2 and saved["version"]["parent"] == plan["plan"]
    assert saved["version"]["edited_by"] == "desk_user" and saved["version"]["units_moved"] == 1
    assert saved["contiguous"] and saved["within_village"]
    row = get_plan(session=db, plan_id=saved["plan"])
    stored = row["proposal"]["villages"][0]
    grid_of = dict(zip(stored["addresses"]["id"], stored["addresses"]["grid"], strict=True))
    assert {grid_of[a] for a in unit["addresses"]} == {codes[to]}
    households = {g["code"]: g["households"] for g in stored["grids"]}
    assert households[codes[to]] == pytest.approx(
        sum(
            u["properties"]["households"]
            for u in desk["villages"][0]["units"]
            if u["properties"]["grid"] == to
        )
        + unit["households"],
        abs=1,
    )
    again = desk_data(session=db, plan_id=saved["plan"])
    assert again["version"]["version"] == 2
    moved_unit = again["villages"][0]["units"][unit["unit"]]["properties"]
    assert moved_unit["grid"] == to
    applied = apply_plan(session=db, plan_id=saved["plan"], actor="desk_user")
    assert applied["grids_opened"] == len(codes)
    grid = db.execute(
        text("SELECT g.code FROM address a JOIN grid g ON g.id = a.grid_id WHERE a.id = :a"),
        {"a": unit["addresses"][0]},
    ).scalar_one()
    assert grid == codes[to]
    assert version_info(session=db, plan_id=plan["plan"]) is None


def test_the_server_refuses_edits_the_desk_refuses(db, village):
    load_village(db, village)
    plan = propose(session=db, scope=village.code, target=TARGET)
    desk = desk_data(session=db, plan_id=plan["plan"])
    v = desk["villages"][0]
    codes = [g["code"] for g in v["grids"]]
    first = v["units"][0]["properties"]
    with pytest.raises(InvalidRequest, match="不在"):
        save_version(
            session=db,
            plan_id=plan["plan"],
            assignment={"623021100999001": first["addresses"]},
            edited_by="u",
        )
    # every unit of grid 0 sent to grid 1 would leave grid 0 empty
    grid0 = [
        a for u in v["units"] if u["properties"]["grid"] == 0 for a in u["properties"]["addresses"]
    ]
    with pytest.raises(InvalidRequest):
        save_version(session=db, plan_id=plan["plan"], assignment={codes[1]: grid0}, edited_by="u")
    with pytest.raises(InvalidRequest, match="没有需要保存"):
        save_version(session=db, plan_id=plan["plan"], assignment={}, edited_by="u")


def test_check_assignment_refuses_a_grid_that_falls_apart():
    # a path 0-1-2-3: grid A = {0, 1, 3} is split by unit 2 of grid B
    neighbours = [np.array([1]), np.array([0, 2]), np.array([1, 3]), np.array([2])]
    ok = np.array([0, 0, 1, 1])
    check_assignment(
        neighbours=neighbours, unit_grid=ok, grid_codes=["A", "B"], grid_names=["A", "B"]
    )
    with pytest.raises(InvalidRequest, match="连通"):
        check_assignment(
            neighbours=neighbours,
            unit_grid=np.array([0, 0, 1, 0]),
            grid_codes=["A", "B"],
            grid_names=["A", "B"],
        )
    with pytest.raises(InvalidRequest, match="为空"):
        check_assignment(
            neighbours=neighbours,
            unit_grid=np.array([0, 0, 0, 0]),
            grid_codes=["A", "B"],
            grid_names=["A", "B"],
        )


def test_an_edit_that_splits_a_settlement_is_named_in_the_summary(db, village):
    load_village(db, village)
    plan = propose(session=db, scope=village.code, target=TARGET)
    desk = desk_data(session=db, plan_id=plan["plan"])
    v = desk["villages"][0]
    props = [u["properties"] for u in v["units"]]
    load = {}
    for p in props:
        load[p["settlement"]] = load.get(p["settlement"], 0.0) + p["households"]
    codes = [g["code"] for g in v["grids"]]

    def splits_a_whole_settlement(p: dict) -> bool:
        same = [q for q in props if q["settlement"] == p["settlement"]]
        whole = {q["grid"] for q in same} == {p["grid"]}
        return whole and len(same) > 1 and load[p["settlement"]] <= TARGET

    unit, to = _legal_move(desk, splits_a_whole_settlement)
    saved = save_version(
        session=db,
        plan_id=plan["plan"],
        assignment={codes[to]: unit["addresses"]},
        edited_by="desk_user",
    )
    row = get_plan(session=db, plan_id=saved["plan"])
    stored = row["proposal"]["villages"][0]
    notes = [
        e
        for g in stored["grids"]
        for e in g.get("shape_exceptions", [])
        if e["rule"] == "settlement" and e["reason"] == "hand"
    ]
    assert len(notes) == 1
    assert codes[to] in notes[0]["grids"] and codes[unit["grid"]] in notes[0]["grids"]
    assert notes[0]["households"] == round(load[unit["settlement"]])
    assert "系手工调整拆分" in saved["summary"]
    assert saved["settlements_split_by_hand"] == 1
