"""Redraw plans on a real PostGIS: propose, apply in one transaction, history, stale and failed
applies. The village is SYNTHETIC (demo.village)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import shapely
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, InternalError

from core.errors import Conflict, NotFound
from demo.village import synthetic_village
from geo.redraw import StalePlan, apply_plan, default_targets, grids_as_of, plan_geojson, propose

COUNTY, TOWNSHIP = "623021", "623021100"
TARGET = 200.0


def _hex(geom) -> str:
    return shapely.to_wkb(
        shapely.multipolygons([geom]) if geom.geom_type == "Polygon" else geom, hex=True
    )


def load_village(db, village, *, with_cases: bool = True) -> dict[str, int]:
    """Insert the county, township, village, grids, addresses, a dispute and a signal."""
    db.execute(
        text(
            "INSERT INTO admin_unit (code, level, name, short_name, county_code) VALUES "
            "(:c, 'county', '临潭县', '临潭县', :c), "
            "(:t, 'township', '城关镇', '城关镇', :c)"
        ),
        {"c": COUNTY, "t": TOWNSHIP},
    )
    db.execute(
        text(
            "INSERT INTO admin_unit (code, level, parent_code, name, short_name, county_code, "
            "geom) "
            "VALUES (:v, 'village', :t, '合成村村民委员会', '合成村', :c, "
            "ST_SetSRID(ST_GeomFromWKB(decode(:g, 'hex')), 4326))"
        ),
        {"v": village.code, "t": TOWNSHIP, "c": COUNTY, "g": _hex(village.geom)},
    )
    ids = {}
    for code, geom in sorted(village.current_grids.items()):
        ids[code] = db.execute(
            text(
                "INSERT INTO grid (code, name, county_code, township_code, village_code, "
                "synthetic, "
                "geom) VALUES (:code, :name, :c, :t, :v, true, "
                "ST_SetSRID(ST_GeomFromWKB(decode(:g, 'hex')), 4326)) RETURNING id"
            ),
            {
                "code": code,
                "name": f"网格{code[-3:]}",
                "c": COUNTY,
                "t": TOWNSHIP,
                "v": village.code,
                "g": _hex(geom),
            },
        ).scalar_one()
    rows = [
        {
            "id": int(i),
            "code": f"A{i}",
            "v": village.code,
            "t": TOWNSHIP,
            "c": COUNTY,
            "houses": int(h),
            "grid": ids[g],
            "x": p.x,
            "y": p.y,
        }
        for i, p, h, g in zip(
            village.address_ids, village.points, village.houses, village.grid_codes, strict=True
        )
    ]
    db.execute(
        text(
            "INSERT INTO address (id, code, county_code, township_code, village_code, full_text, "
            "houses, residents, grid_id, synthetic, geom) OVERRIDING SYSTEM VALUE VALUES "
            "(:id, :code, :c, :t, :v, :code, :houses, 3 * :houses, :grid, true, "
            "ST_SetSRID(ST_MakePoint(:x, :y), 4326))"
        ),
        rows,
    )
    if with_cases:
        first = rows[0]
        db.execute(
            text(
                "INSERT INTO dispute (external_id, county_code, category, reported_at, grid_id, "
                "geom) "
                "VALUES ('D1', :c, 'neighbour', now(), :grid, "
                "ST_SetSRID(ST_MakePoint(:x, :y), 4326))"
            ),
            first,
        )
        db.execute(
            text(
                "INSERT INTO signal (external_id, county_code, kind, observed_at, grid_id, geom) "
                "VALUES ('S1', :c, 'hazard', now(), :grid, ST_SetSRID(ST_MakePoint(:x, :y), 4326))"
            ),
            first,
        )
    return ids


@pytest.fixture
def village():
    return synthetic_village(n_addresses=400, n_grids=5, seed=11)


def snapshot(db) -> dict:
    """Everything an apply may touch, to compare before and after a refused one."""
    q = lambda s: db.execute(text(s)).all()  # noqa: E731
    return {
        "grids": q("SELECT id, code, valid_to, md5(ST_AsEWKB(geom)) FROM grid ORDER BY id"),
        "groups": q("SELECT id, code, valid_to FROM household_group ORDER BY id"),
        "addresses": q("SELECT id, grid_id, household_group_id FROM address ORDER BY id"),
        "cases": q(
            "SELECT 'd', id, grid_id FROM dispute UNION ALL "
            "SELECT 's', id, grid_id FROM signal ORDER BY 1, 2"
        ),
        "plans": q("SELECT id, status, applied_at FROM grid_plan ORDER BY id"),
    }


def test_propose_stores_a_plan_with_its_metrics(db, village):
    load_village(db, village)
    result = propose(session=db, scope=village.code, target=TARGET)
    assert result["plan"] > 0
    assert result["contiguous"] and result["within_village"]
    assert result["max_deviation"] <= 0.15
    assert result["households_total"] == village.houses.sum()
    row = db.execute(
        text("SELECT status, scope_code, metrics FROM grid_plan WHERE id = :p"),
        {"p": result["plan"]},
    ).one()
    assert row.status == "proposed" and row.scope_code == village.code
    assert row.metrics["total"]["households_moved"] == result["households_moved"]


def test_plan_geojson_has_the_proposed_grids(db, village):
    load_village(db, village)
    plan = propose(session=db, scope=TOWNSHIP, target=TARGET)["plan"]
    body = plan_geojson(session=db, plan_id=plan)
    assert body["type"] == "FeatureCollection" and body["status"] == "proposed"
    assert len(body["features"]) == body["metrics"]["total"]["grids"]
    assert all(f["geometry"]["type"] == "Polygon" for f in body["features"])
    with pytest.raises(NotFound):
        plan_geojson(session=db, plan_id=plan + 1000)


def test_apply_moves_everything_to_the_new_grids_and_keeps_history(db, village):
    old_ids = load_village(db, village)
    leader = db.execute(
        text(
            "INSERT INTO staff (code, county_code, name, role, synthetic) "
            "VALUES ('S-1', :c, '网格长', 'grid_leader', true) RETURNING id"
        ),
        {"c": COUNTY},
    ).scalar_one()
    db.execute(text("UPDATE grid SET leader_id = :s"), {"s": leader})
    db.execute(
        text("INSERT INTO staff_grid (staff_id, grid_id) SELECT :s, id FROM grid"), {"s": leader}
    )
    plan = propose(session=db, scope=village.code, target=TARGET)["plan"]
    before = db.execute(text("SELECT clock_timestamp()")).scalar_one()
    summary = apply_plan(session=db, plan_id=plan, actor="reviewer")
    after = db.execute(text("SELECT clock_timestamp()")).scalar_one()
    assert summary["grids_closed"] == len(old_ids)

    proposal = db.execute(
        text("SELECT proposal FROM grid_plan WHERE id = :p"), {"p": plan}
    ).scalar_one()["villages"][0]
    current = dict(
        db.execute(
            text("SELECT code, id FROM grid WHERE valid_to IS NULL AND village_code = :v"),
            {"v": village.code},
        ).all()
    )
    assert set(current) == {g["code"] for g in proposal["grids"]}
    assert not set(current.values()) & set(old_ids.values())

    # Every address sits in the grid and group the plan gave it.
    got = dict(
        db.execute(
            text(
                "SELECT a.id, g.code || '/' || h.code FROM address a "
                "JOIN grid g ON g.id = a.grid_id "
                "JOIN household_group h ON h.id = a.household_group_id "
                "WHERE g.valid_to IS NULL AND h.valid_to IS NULL"
            )
        ).all()
    )
    want = {i: f"{g}/{h}" for i, g, h in zip(*proposal["addresses"].values(), strict=True)}
    assert got == want
    # Grid and group households are recounted from their addresses.
    mismatched = db.execute(
        text(
            "SELECT count(*) FROM grid g WHERE g.valid_to IS NULL AND g.households <> "
            "(SELECT coalesce(sum(houses), 0) FROM address a WHERE a.grid_id = g.id)"
        )
    ).scalar_one()
    assert mismatched == 0
    # Disputes and signals follow to the new grid holding their point.
    for table in ("dispute", "signal"):
        inside = db.execute(
            text(
                f"SELECT bool_and(g.valid_to IS NULL AND ST_Intersects(g.geom, x.geom)) "
                f"FROM {table} x JOIN grid g ON g.id = x.grid_id"
            )
        ).scalar_one()
        assert inside, table

    # History: as of before the apply, the old grids with their old shapes.
    then = grids_as_of(session=db, when=before, village=village.code)
    assert sorted(then["code"]) == sorted(old_ids)
    for code, geom in village.current_grids.items():
        stored = then.loc[then["code"] == code, "geometry"].iloc[0]
        assert shapely.equals(stored, shapely.multipolygons([geom]))
    now = grids_as_of(session=db, when=after, village=village.code)
    assert sorted(now["code"]) == sorted(current)
    assert grids_as_of(session=db, when=after).shape[0] == len(current)
    assert (
        db.execute(text("SELECT status FROM grid_plan WHERE id = :p"), {"p": plan}).scalar_one()
        == "applied"
    )
    # Grids that keep their code keep their leader; staff links follow to every successor.
    kept = db.execute(
        text(
            "SELECT count(*) FILTER (WHERE leader_id = :s), count(*) FROM grid "
            "WHERE valid_to IS NULL AND code = ANY(:codes)"
        ),
        {"s": leader, "codes": sorted(set(old_ids) & set(current))},
    ).one()
    assert kept[0] == kept[1] > 0
    linked = db.execute(
        text("SELECT count(*) FROM staff_grid WHERE grid_id = ANY(:ids)"),
        {"ids": list(current.values())},
    ).scalar_one()
    assert linked >= kept[1]


def test_stale_plan_is_refused_and_changes_nothing(db, village):
    ids = load_village(db, village)
    plan = propose(session=db, scope=village.code, target=TARGET)["plan"]
    some = next(iter(ids.values()))
    db.execute(
        text("UPDATE grid SET geom = ST_Multi(ST_Translate(geom, 1e-7, 0)) WHERE id = :i"),
        {"i": some},
    )
    state = snapshot(db)
    with pytest.raises(StalePlan, match="changed since"):
        apply_plan(session=db, plan_id=plan)
    assert snapshot(db) == state


def test_failed_apply_changes_nothing(db, village):
    load_village(db, village)
    plan = propose(session=db, scope=village.code, target=TARGET)["plan"]
    bowtie = shapely.to_wkb(
        shapely.from_wkt("POLYGON((103.5 34.7,103.51 34.71,103.51 34.7,103.5 34.71,103.5 34.7))"),
        hex=True,
    )
    # The last grid of the plan cannot be stored: the apply fails after closing the old grids.
    db.execute(
        text(
            "UPDATE grid_plan SET proposal = jsonb_set(proposal, "
            "'{villages,0,grids,-1,wkb}', to_jsonb(CAST(:w AS text))) WHERE id = :p"
        ),
        {"w": bowtie, "p": plan},
    )
    state = snapshot(db)
    with pytest.raises((IntegrityError, InternalError)):
        apply_plan(session=db, plan_id=plan)
    assert snapshot(db) == state


def test_applied_plan_cannot_be_applied_again(db, village):
    load_village(db, village)
    plan = propose(session=db, scope=village.code, target=TARGET)["plan"]
    apply_plan(session=db, plan_id=plan)
    with pytest.raises(Conflict, match="applied"):
        apply_plan(session=db, plan_id=plan)


def test_second_redraw_after_apply_keeps_codes_and_moves_nobody(db, village):
    load_village(db, village)
    first = propose(session=db, scope=village.code, target=TARGET)
    apply_plan(session=db, plan_id=first["plan"])
    second = propose(session=db, scope=village.code, target=TARGET)
    assert second["households_moved"] == 0
    assert second["grids_new"] == 0 and second["grids_merged"] == 0
    assert second["grids_kept"] == first["grids"]


def test_unknown_scope_is_a_clear_error(db):
    with pytest.raises(NotFound, match="999999999999"):
        propose(session=db, scope="999999999999", target=TARGET)


def test_default_target_is_the_median_grid_of_the_county(db, village):
    load_village(db, village, with_cases=False)
    per_grid = {}
    for code, h in zip(village.grid_codes, village.houses, strict=True):
        per_grid[code] = per_grid.get(code, 0) + h
    expected = 5 * round(float(np.median(list(per_grid.values()))) / 5)
    assert default_targets(session=db, county=COUNTY)["rural"] == expected


def test_as_of_a_time_before_any_grid_is_empty(db, village):
    load_village(db, village, with_cases=False)
    long_ago = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    assert grids_as_of(session=db, when=long_ago, village=village.code).empty
