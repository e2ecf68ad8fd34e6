"""Redraw geometry on SYNTHETIC villages: tiling, contiguity, inclusion, balance, stable codes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import shapely

from demo.village import synthetic_village
from geo.redraw.cells import build_cells
from geo.redraw.groups import GroupRule
from geo.redraw.partition import choose_region_count, repair_partition
from geo.redraw.village import RedrawParams, propose_village

TARGET = 200.0


@pytest.fixture(scope="module")
def village():
    return synthetic_village(n_addresses=500, n_grids=5, seed=3)


@pytest.fixture(scope="module")
def plan(village):
    return propose_village(village, RedrawParams(target=TARGET))


def test_cells_tile_the_village_exactly(village):
    cells = build_cells(village=village.geom, points=village.points, households=village.houses)
    assert not shapely.is_empty(cells.cells).any()
    union = shapely.union_all(cells.cells)
    assert (
        shapely.area(shapely.symmetric_difference(union, village.geom)) < 1e-9 * village.geom.area
    )
    assert abs(shapely.area(cells.cells).sum() - village.geom.area) < 1e-9 * village.geom.area


def test_concave_village_cells_hold_their_own_point(village):
    cells = build_cells(village=village.geom, points=village.points, households=village.houses)
    first = np.array([np.flatnonzero(cells.unit_of_address == u)[0] for u in range(cells.n_units)])
    assert shapely.intersects(cells.cells, village.points[first]).all()


def test_duplicate_points_become_one_unit_with_summed_households():
    v = synthetic_village(n_addresses=60, n_grids=2, seed=4)
    points = np.concatenate([v.points, v.points[:5]])
    houses = np.concatenate([v.houses, np.full(5, 7.0)])
    cells = build_cells(village=v.geom, points=points, households=houses)
    assert cells.n_units == 60
    assert cells.weight.sum() == pytest.approx(houses.sum())


def test_proposed_grids_tile_the_village_and_stay_inside(plan, village):
    geoms = np.array([g["geometry"] for g in plan.grids])
    union = shapely.union_all(geoms)
    assert (
        shapely.area(shapely.symmetric_difference(union, village.geom)) < 1e-9 * village.geom.area
    )
    overlap = shapely.area(geoms).sum() - shapely.area(union)
    assert overlap < 1e-9 * village.geom.area
    assert plan.metrics["within_village"]
    assert plan.metrics["gap_m2"] < 1.0 and plan.metrics["overlap_m2"] < 1.0


def test_proposed_grids_are_contiguous(plan):
    assert all(g["geometry"].geom_type == "Polygon" for g in plan.grids)
    assert plan.metrics["contiguous"]


def test_proposed_grids_are_balanced_within_tolerance(plan, village):
    households = np.array([g["households"] for g in plan.grids])
    assert plan.balance_feasible
    assert households.sum() == village.houses.sum()
    assert np.abs(households - TARGET).max() <= 0.15 * TARGET + 1e-9
    assert plan.metrics["max_deviation"] <= 0.15


def test_redraw_moves_fewer_households_than_it_keeps(plan, village):
    assert 0 < plan.metrics["households_moved"] < 0.5 * village.houses.sum()


def test_surviving_grids_keep_their_codes_and_new_ones_take_the_next_sequence(plan, village):
    old = sorted(village.current_grids)
    kept = [g for g in plan.grids if g["status"] in ("kept", "split")]
    assert {g["code"] for g in kept} <= set(old)
    new = sorted(g["code"] for g in plan.grids if g["status"] == "new")
    highest = max(int(c[-3:]) for c in old)
    assert [int(c[-3:]) for c in new] == list(range(highest + 1, highest + 1 + len(new)))
    assert all(c.startswith(village.code) and len(c) == 15 for c in new)


def test_balanced_village_is_left_alone():
    v = synthetic_village(n_addresses=300, n_grids=3, seed=5)
    first = propose_village(v, RedrawParams(target=200))
    # Redraw again from the proposal: nothing to repair, nothing moves, all codes kept.
    again = dataclasses.replace(
        v,
        grid_codes=first.address_grid,
        group_codes=first.address_group,
        current_grids={g["code"]: g["geometry"] for g in first.grids},
        used_grid_codes={g["code"] for g in first.grids} | v.used_grid_codes,
    )
    second = propose_village(again, RedrawParams(target=200))
    assert second.metrics["households_moved"] == 0
    assert {g["code"] for g in second.grids} == {g["code"] for g in first.grids}
    assert all(g["status"] == "kept" for g in second.grids)
    assert second.metrics["groups"] == first.metrics["groups"]
    assert {g["code"] for g in second.groups} == {g["code"] for g in first.groups}


def test_village_with_too_many_grids_merges_the_smallest():
    v = synthetic_village(n_addresses=300, n_grids=8, seed=6)
    plan = propose_village(v, RedrawParams(target=float(v.houses.sum()) / 3))
    assert len(plan.grids) == 3
    assert plan.metrics["grids_merged"] == 5
    assert {c["code"] for c in plan.closed} | {g["code"] for g in plan.grids} == set(
        v.current_grids
    )
    assert all(c["merged_into"] in {g["code"] for g in plan.grids} for c in plan.closed)


def test_village_without_grids_is_drawn_from_scratch():
    v = synthetic_village(n_addresses=300, n_grids=3, seed=7)
    blank = dataclasses.replace(
        v,
        grid_codes=np.array([None] * len(v.houses), dtype=object),
        current_grids={},
        used_grid_codes=set(),
    )
    plan = propose_village(blank, RedrawParams(target=150))
    assert plan.metrics["contiguous"] and plan.metrics["within_village"]
    assert [g["code"][-3:] for g in plan.grids] == [
        f"{i:03d}" for i in range(1, len(plan.grids) + 1)
    ]
    assert plan.metrics["households_moved"] == 0
    assert plan.metrics["households_newly_assigned"] == v.houses.sum()


def test_household_groups_tile_each_grid_with_leaders(plan, village):
    rule = GroupRule()
    by_grid: dict[str, list] = {}
    for g in plan.groups:
        by_grid.setdefault(g["grid_code"], []).append(g)
    for grid in plan.grids:
        parts = np.array([g["geometry"] for g in by_grid[grid["code"]]])
        union = shapely.union_all(parts)
        assert shapely.area(shapely.symmetric_difference(union, grid["geometry"])) < 1e-9 * (
            grid["geometry"].area
        )
        assert sum(g["households"] for g in by_grid[grid["code"]]) == grid["households"]
    sizes = np.array([g["households"] for g in plan.groups])
    assert np.median(sizes) == pytest.approx(rule.size, abs=3)
    assert (sizes >= rule.lo - 3).all() and (sizes <= rule.hi + 3).all()
    ids = set(village.address_ids.tolist())
    for g in plan.groups:
        assert g["leader_address_id"] in ids
        leader = village.points[village.address_ids == g["leader_address_id"]][0]
        assert g["geometry"].intersects(leader)
    assert len({g["code"] for g in plan.groups}) == len(plan.groups)
    assert all(g["code"].startswith(g["grid_code"]) for g in plan.groups)


def test_every_address_gets_a_grid_and_group_of_the_plan(plan):
    grids = {g["code"] for g in plan.grids}
    groups = {g["code"]: g["grid_code"] for g in plan.groups}
    assert set(plan.address_grid) <= grids
    assert all(groups[h] == g for g, h in zip(plan.address_grid, plan.address_group, strict=True))


def test_repair_partition_keeps_regions_connected_on_a_path_graph():
    n = 30
    neighbours = [np.array([j for j in (i - 1, i + 1) if 0 <= j < n]) for i in range(n)]
    xy = np.column_stack([np.arange(n, dtype=float), np.zeros(n)])
    initial = np.array([0] * 25 + [1] * 5)
    part = repair_partition(
        weights=np.ones(n), neighbours=neighbours, xy=xy, initial=initial, n_regions=3, lo=9, hi=11
    )
    labels = part.labels
    for r in np.unique(labels):
        where = np.flatnonzero(labels == r)
        assert (np.diff(where) == 1).all()
        assert 9 <= len(where) <= 11
    assert not part.unbalanced


def test_choose_region_count_prefers_the_current_count_when_it_fits():
    assert choose_region_count(households=620, current=3, target=200, tolerance=0.15) == 3
    assert choose_region_count(households=620, current=5, target=200, tolerance=0.15) == 3
    assert choose_region_count(households=90, current=2, target=200, tolerance=0.15) == 1
