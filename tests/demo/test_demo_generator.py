"""The demo county generator: tiling, counts, address forms, facilities and event structure.

Pure tests (no database). Lintan is generated once per module; determinism and genericity are
checked on a small made-up county, which is quick to build twice.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.spatial import cKDTree

from core import vocab
from demo import generate
from demo.inputs import load_default_boundary, load_default_divisions

UTM = "EPSG:32648"
END = pd.Timestamp("2026-11-15 23:59:59", tz="Asia/Shanghai")


@pytest.fixture(scope="module")
def county():
    return generate()


def _fake_inputs():
    """A made-up county 990101 of 3 townships and 11 villages, with an exclave."""
    main = shapely.Polygon([(101.0, 30.0), (101.3, 30.02), (101.32, 30.25), (101.05, 30.3)])
    exclave = shapely.box(101.4, 30.1, 101.43, 30.13)
    rows = [("990101", "假定县", "county", "990100")]
    towns = {"990101100": ("城关镇", 4), "990101101": ("河口镇", 4), "990101200": ("山后乡", 3)}
    for code, (name, n) in towns.items():
        rows.append((code, name, "township", "990101"))
        for k in range(n):
            village = f"第{k + 1}村民委员会" if k or code != "990101100" else "中心社区居民委员会"
            rows.append((f"{code}{200 + k:03d}", f"{name[:2]}{village}", "village", code))
    divisions = pd.DataFrame(rows, columns=["code", "name", "level", "parent_code"])
    return shapely.segmentize(shapely.MultiPolygon([main, exclave]), 0.002), divisions


@pytest.fixture(scope="module")
def small():
    boundary, divisions = _fake_inputs()
    return generate(seed=7, county_code="990101", boundary=boundary, divisions=divisions, years=1)


def _areas(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return gdf.to_crs(UTM).area.to_numpy()


def _assert_tiles(parts: gpd.GeoDataFrame, whole) -> None:
    """``parts`` tile ``whole`` (shapely geometry, EPSG:4326): no gaps, no overlaps."""
    projected = parts.to_crs(UTM).geometry.to_numpy()
    whole_utm = gpd.GeoSeries([whole], crs="EPSG:4326").to_crs(UTM).iloc[0]
    union = shapely.union_all(projected)
    assert abs(shapely.area(projected).sum() - union.area) <= 1e-9 * whole_utm.area + 1e-6
    left, right = shapely.STRtree(projected).query(projected, predicate="intersects")
    pair = left < right
    overlap = shapely.area(shapely.intersection(projected[left[pair]], projected[right[pair]]))
    assert overlap.sum() <= 1e-9 * whole_utm.area + 1e-6
    assert shapely.symmetric_difference(union, whole_utm).area < 1e-6 * whole_utm.area


def test_admin_units_are_the_official_divisions(county):
    units = county.admin_units
    official = load_default_divisions()
    assert units["level"].value_counts().to_dict() == {"village": 147, "township": 16, "county": 1}
    assert set(units["code"]) == set(official["code"])
    short = units.set_index("code")["short_name"]
    assert short["623021100200"] == "范家咀村"
    assert short["623021100002"] == "东环路社区"
    assert short["623021102201"] == "洪家村"
    assert units.set_index("code").loc["623021102201", "name"] == "洪家村村民委员会"
    villages = units[units["level"] == "village"]
    for name in ("东山村", "巴杰村", "中寨村"):
        assert (villages["short_name"] == name).sum() == 2
    assert "歧山村" in units.set_index("code").loc["623021109200", "aliases"]
    the_county = units[units["level"] == "county"].iloc[0]
    assert not the_county["synthetic_geom"]
    assert the_county.geometry.equals(load_default_boundary())
    assert units.loc[units["level"] != "county", "synthetic_geom"].all()


def test_townships_and_villages_tile_the_county(county):
    units = county.admin_units
    outline = units[units["level"] == "county"].geometry.iloc[0]
    _assert_tiles(units[units["level"] == "township"], outline)
    _assert_tiles(units[units["level"] == "village"], outline)
    by_code = units.set_index("code").geometry
    for row in units[units["level"] == "village"].itertuples():
        outside = shapely.difference(row.geometry, by_code[row.parent_code]).area
        assert outside <= 1e-9 * row.geometry.area


def test_each_exclave_belongs_to_one_township(county):
    units = county.admin_units
    outline = units[units["level"] == "county"].geometry.iloc[0]
    parts = shapely.get_parts(outline)
    assert len(parts) == 3
    townships = units[units["level"] == "township"].geometry.to_numpy()
    exclaves = [p for p in parts if p.area < 0.05 * outline.area]
    assert len(exclaves) == 2
    for part in exclaves:
        shares = shapely.area(shapely.intersection(townships, part)) / part.area
        assert shares.max() > 1 - 1e-6


def test_770_grids_tile_their_villages(county):
    grids = county.grids
    assert len(grids) == 770 and grids["code"].is_unique
    assert grids["code"].str.fullmatch(r"\d{15}").all()
    assert (grids["code"].str[:12] == grids["village_code"]).all()
    assert (grids["village_code"].str[:9] == grids["township_code"]).all()
    assert grids["name"].str.contains("第").all() and grids["name"].str.endswith("网格").all()
    villages = county.admin_units.set_index("code").geometry
    assert set(grids["village_code"]) == set(county.admin_units.query("level == 'village'").code)
    for code, members in grids.groupby("village_code"):
        _assert_tiles(members, villages[code])


def test_1995_household_groups_tile_their_grids(county):
    groups, grids = county.household_groups, county.grids.set_index("code")
    assert len(groups) == 1995 and groups["code"].is_unique
    assert (groups["code"].str[:15] == groups["grid_code"]).all()
    per_grid = groups.groupby("grid_code")["households"].sum()
    assert (per_grid == grids["households"].reindex(per_grid.index)).all()
    assert set(per_grid.index) == set(grids.index)
    for code, members in groups.groupby("grid_code"):
        _assert_tiles(members, grids.geometry[code])
    assert groups["leader_address_code"].isin(county.addresses["code"]).all()


def test_address_totals_match_the_county(county):
    addresses = county.addresses
    assert abs(len(addresses) - 30_000) <= 900
    assert abs(addresses["houses"].sum() - 50_000) <= 1_500
    assert abs(addresses["residents"].sum() - 140_000) <= 4_200
    assert addresses["code"].is_unique
    assert (addresses["code"].str[:15] == addresses["grid_code"]).all()
    assert (addresses["houses"] >= 1).all() and (addresses["residents"] >= 0).all()
    per_grid = addresses.groupby("grid_code")["houses"].sum()
    assert (per_grid == county.grids.set_index("code")["households"]).all()


def test_every_address_lies_in_its_group_grid_and_village(county):
    a = county.addresses
    for layer, key in (
        (county.household_groups, "household_group_code"),
        (county.grids, "grid_code"),
        (county.admin_units[county.admin_units["level"] == "village"], "village_code"),
    ):
        joined = gpd.sjoin(a[[key, "geometry"]], layer[["code", "geometry"]], predicate="within")
        assert len(joined) == len(a) and not joined.index.duplicated().any()
        assert (joined[key] == joined["code"]).all()


def test_address_text_in_local_form(county):
    a = county.addresses
    rural = a[a["road"].isna()]
    town = a[a["road"].notna()]
    pattern = r"临潭县\w+?[镇乡]\w+?村[一二三四五六七八九十]+组\d+号"
    assert rural["full_text"].str.fullmatch(pattern).all()
    assert rural["group_no"].notna().all()
    assert town["full_text"].str.fullmatch(r"临潭县\w+?[镇乡]\w+?社区\w+?\d+号(\d+单元)?").all()
    in_county_town = town[town["township_code"] == "623021100"]
    assert in_county_town["road"].nunique() >= 5 and in_county_town["building"].notna().any()


def test_settlements_are_clustered(county):
    """Clark–Evans ratio far below 1: houses gather along valleys and around centres."""
    xy = shapely.get_coordinates(county.addresses.to_crs(UTM).geometry.to_numpy())
    nearest, _ = cKDTree(xy).query(xy, k=2)
    area = county.admin_units.to_crs(UTM).query("level == 'county'").area.iloc[0]
    expected = 0.5 / np.sqrt(len(xy) / area)
    assert nearest[:, 1].mean() / expected < 0.3


def test_facilities(county):
    f = county.facilities
    counts = f["kind"].value_counts()
    assert counts["county_centre"] == 1
    assert counts["township_centre"] == counts["court_station"] == counts["judicial_office"] == 16
    assert counts["village_centre"] == counts["judge_contact_point"] == 147
    assert counts["mediation_committee"] == 16 + 147
    assert 8 <= counts["police_station"] <= 16 and 1 <= counts["legal_adviser"] <= 8
    assert set(f["kind"]) <= set(vocab.FACILITY_KINDS) and f["code"].is_unique
    served = [c for codes in f["jurisdiction_codes"].dropna() for c in codes]
    assert sorted(served) == sorted(county.admin_units.query("level == 'township'").code)
    units = county.admin_units.set_index("code").geometry
    local = f[f["admin_code"] != county.county_code]
    assert shapely.within(local.geometry.to_numpy(), units[local["admin_code"]].to_numpy()).all()


def test_staff(county):
    s = county.staff
    assert set(s["role"]) <= set(vocab.STAFF_ROLES) and s["code"].is_unique
    assert (s["role"] == "grid_leader").sum() == 770
    assert (s["role"] == "household_leader").sum() == 1995
    assert s["name"].str.endswith("（模拟）").all() and s["phone"].str.startswith("000").all()
    assert county.grids["leader_staff_code"].isin(s["code"]).all()
    assert county.household_groups["leader_staff_code"].isin(s["code"]).all()
    all_grids = {g for codes in s["grid_codes"] for g in codes}
    assert all_grids == set(county.grids["code"])


def test_geometry_is_valid_labelled_and_in_wgs84(county):
    for name, frame in county.frames().items():
        assert "synthetic" in frame.columns, name
        if isinstance(frame, gpd.GeoDataFrame):
            assert frame.crs.to_epsg() == 4326
            assert shapely.is_valid(frame.geometry.to_numpy()).all(), name
    for frame in (county.admin_units, county.grids, county.household_groups):
        assert (frame.geom_type == "MultiPolygon").all()
    assert (county.addresses.geom_type == "Point").all()
    assert county.grids["synthetic"].all() and county.disputes["synthetic"].all()


def test_dispute_volume_and_outcomes(county):
    d = county.disputes
    assert 320 * 2 <= len(d) <= 480 * 2
    assert d["external_id"].is_unique
    assert set(d["category"]) == set(vocab.DISPUTE_CATEGORIES)
    assert set(d["severity"]) <= set(vocab.DISPUTE_SEVERITIES)
    assert str(d["reported_at"].dt.tz) == "Asia/Shanghai"
    assert d["reported_at"].min() >= END - pd.DateOffset(years=2)
    assert d["reported_at"].max() <= END
    resolved = (d["outcome"] == "resolved").mean()
    assert 0.93 <= resolved <= 0.975
    open_cases = d[d["outcome"] == "open"]
    assert len(open_cases) > 0 and (END - open_cases["reported_at"]).max() < pd.Timedelta(days=90)
    closed = d[d["outcome"] != "open"]
    assert (closed["closed_at"] > closed["routed_at"]).all()
    assert (d["routed_at"] > d["reported_at"]).all()
    rated = d["satisfaction"].dropna()
    assert rated.between(1, 5).all() and d.loc[d["outcome"] == "open", "satisfaction"].isna().all()


def test_dispute_intake_looks_like_a_clerks_file(county):
    d = county.disputes
    text_only = d["lon"].isna()
    gps_only = d["address"].isna()
    for share in (text_only.mean(), gps_only.mean(), (~text_only & ~gps_only).mean()):
        assert 0.25 <= share <= 0.42
    located = d[~text_only]
    metres = np.hypot(
        (located["lon"] - located["true_lon"]) * 91_400,
        (located["lat"] - located["true_lat"]) * 111_000,
    )
    assert metres.between(8, 55).all()
    texts = d["address"].dropna()
    assert texts.str.contains(r"[一二三四五六七八九十]+[组社]").any()
    assert texts.str.contains(r"[０-９]").any()
    assert texts.str.contains("村委会|卫生院|小学|清真寺").any()
    assert (~texts.str.startswith("临潭县")).mean() > 0.3
    assert d["true_grid_code"].isin(county.grids["code"]).all()
    assert d["true_address_code"].isin(county.addresses["code"]).all()
    people = [p for parties in d["parties"] for p in parties]
    assert all(p["name"].endswith("（模拟）") and p["phone"].startswith("000") for p in people)
    assert all(p["id_number"] is None or p["id_number"].startswith("000000") for p in people)


def _monthly_rate(d: pd.DataFrame, categories, months) -> tuple[float, float]:
    per_month = d[d["category"].isin(categories)].groupby(d["reported_at"].dt.month).size()
    per_month = per_month.reindex(range(1, 13), fill_value=0)
    inside = per_month[list(months)].mean()
    outside = per_month.drop(list(months)).mean()
    return inside, outside


def test_land_disputes_peak_at_ploughing_and_harvest(county):
    inside, outside = _monthly_rate(county.disputes, ["land_forest"], (3, 4, 8, 9))
    assert inside > 1.5 * outside


def test_family_debt_wage_disputes_peak_at_spring_festival(county):
    home = ["marriage_family", "debt", "labour_wages"]
    inside, outside = _monthly_rate(county.disputes, home, (1, 2))
    assert inside > 1.3 * outside


def test_disputes_repeat_and_near_repeat(county):
    """Knox test: pairs close in space (500 m) and time (14 days) far above a time shuffle."""
    d = county.disputes
    xy = shapely.get_coordinates(
        gpd.GeoSeries(gpd.points_from_xy(d["true_lon"], d["true_lat"]), crs=4326).to_crs(UTM)
    )
    days = (d["reported_at"] - d["reported_at"].min()).dt.total_seconds().to_numpy() / 86_400
    pairs = cKDTree(xy).query_pairs(500, output_type="ndarray")

    def close_in_time(t):
        return (np.abs(t[pairs[:, 0]] - t[pairs[:, 1]]) <= 14).sum()

    rng = np.random.default_rng(0)
    shuffled = np.mean([close_in_time(rng.permutation(days)) for _ in range(20)])
    assert close_in_time(days) > 1.5 * shuffled
    assert d["true_address_code"].duplicated().sum() > 20


def test_disputes_depend_on_covariates(county):
    d = county.disputes
    grids = county.grids.set_index("code")
    per_grid = d.groupby("true_grid_code").size().reindex(grids.index, fill_value=0)
    big = grids["households"] > grids["households"].median()
    assert per_grid[big].mean() > 1.5 * per_grid[~big].mean()
    children = d["parent_external_id"].dropna()
    has_child = d["external_id"].isin(children)
    closed = d[d["outcome"] != "open"]
    assert (
        has_child[closed.index][closed["outcome"] == "unresolved"].mean()
        > 2 * has_child[closed.index][closed["outcome"] == "resolved"].mean()
    )


def test_signals_lead_disputes(county):
    """Grid-weeks with several signals see more disputes in the next three weeks than usual."""
    d, s = county.disputes, county.signals
    assert 3_000 <= len(s) <= 8_000 and set(s["kind"]) <= set(vocab.SIGNAL_KINDS)
    start = END - pd.DateOffset(years=2)
    codes = county.grids["code"]

    def panel(frame, column):
        week = ((frame[column] - start).dt.days // 7).clip(upper=103)
        table = pd.crosstab(frame["true_grid_code"], week)
        return table.reindex(index=codes, columns=range(104), fill_value=0).to_numpy()

    disputes, signals = panel(d, "reported_at"), panel(s, "observed_at")
    future = sum(np.roll(disputes, -k, axis=1) for k in (1, 2, 3))[:, :-3]
    usual = np.broadcast_to(3 * disputes.mean(1, keepdims=True), future.shape)
    busy = signals[:, :-3] >= 2
    quiet = signals[:, :-3] == 0
    lift_busy = future[busy].sum() / usual[busy].sum()
    lift_quiet = future[quiet].sum() / usual[quiet].sum()
    assert lift_busy > 1.3 * lift_quiet


def test_frames_follow_the_contract(county):
    frames = county.frames()
    expected = {
        "admin_units": {"code", "level", "parent_code", "name", "short_name", "county_code",
                        "aliases", "synthetic_geom"},
        "grids": {"code", "name", "county_code", "township_code", "village_code", "households",
                  "population"},
        "household_groups": {"code", "grid_code", "households", "leader_address_code"},
        "addresses": {"code", "county_code", "township_code", "village_code", "full_text",
                      "township", "village", "group_no", "road", "number", "building", "houses",
                      "residents", "grid_code", "household_group_code"},
        "facilities": {"code", "county_code", "kind", "name", "admin_code"},
        "staff": {"code", "county_code", "name", "role", "unit_code", "phone", "grid_codes",
                  "household_group_code"},
        "disputes": {"external_id", "reported_at", "category", "severity", "address", "lon",
                     "lat", "description", "parties", "routed_at", "resolved_at", "outcome",
                     "satisfaction", "true_address_code", "true_grid_code", "true_lon",
                     "true_lat"},
        "signals": {"external_id", "observed_at", "kind", "weight", "address", "lon", "lat",
                    "description", "true_grid_code"},
    }  # fmt: skip
    assert set(frames) == set(expected)
    for name, columns in expected.items():
        assert columns <= set(frames[name].columns), name


def test_same_seed_gives_identical_frames(small):
    boundary, divisions = _fake_inputs()
    again = generate(seed=7, county_code="990101", boundary=boundary, divisions=divisions, years=1)
    for name, frame in small.frames().items():
        pd.testing.assert_frame_equal(frame, again.frames()[name], check_exact=True, obj=name)


def test_different_seed_gives_a_different_county(small):
    boundary, divisions = _fake_inputs()
    other = generate(seed=8, county_code="990101", boundary=boundary, divisions=divisions, years=1)
    assert not small.addresses.geometry.equals(other.addresses.geometry)
    assert not small.grids.geometry.equals(other.grids.geometry)
    assert len(small.disputes) != len(other.disputes) or not small.disputes["reported_at"].equals(
        other.disputes["reported_at"]
    )


def test_another_county_uses_its_own_codes_and_scale(small):
    units = small.admin_units
    assert units["code"].str.startswith("990101").all()
    for frame in (small.grids, small.addresses, small.facilities, small.staff):
        assert (frame["county_code"] == "990101").all()
    assert small.grids["code"].str.startswith("990101").all()
    assert len(small.grids) >= 11 and len(small.household_groups) >= len(small.grids)
    # scaled from 11 villages with the per-village averages of the published county
    assert abs(len(small.addresses) - 11 * 30_000 / 147) < 0.05 * 11 * 30_000 / 147
    outline = units[units["level"] == "county"].geometry.iloc[0]
    _assert_tiles(units[units["level"] == "village"], outline)
    _assert_tiles(small.grids, outline)
    assert small.addresses["full_text"].str.startswith("假定县").all()
    assert len(small.disputes) > 0 and len(small.signals) > 0
