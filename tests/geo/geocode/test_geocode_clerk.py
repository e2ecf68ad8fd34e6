"""Clerk-style texts on the demo county (synthetic data, real Lintan names): the grid rule,
buildings, nearest numbers, conflicts, landmarks and aliases, output, and calibration."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.geocode.gazetteer import Gazetteer
from geo.geocode.lookup import NEAR_NUMBER_GAP
from geo.geocode.match import Geocoder

BENCH = Path(__file__).resolve().parents[3] / "bench"


def _frames(county) -> dict:
    addresses = county.addresses.to_crs(4326)
    addresses = pd.DataFrame(addresses.drop(columns="geometry")).assign(
        lon=addresses.geometry.x, lat=addresses.geometry.y
    )
    facilities = county.facilities.to_crs(4326)
    points = pd.DataFrame(
        {"name": facilities["name"], "admin_code": facilities["admin_code"],
         "lon": facilities.geometry.x, "lat": facilities.geometry.y, "kind": facilities["kind"]}
    )  # fmt: skip
    centres = points[points["kind"].isin(["village_centre", "township_centre", "county_centre"])]
    return {
        "admin_units": pd.DataFrame(county.admin_units.drop(columns="geometry")),
        "addresses": addresses,
        "centres": centres.rename(columns={"name": "centre"}),
        "landmarks": points,
        "grid_names": {c: f"网格{c[-3:]}" for c in addresses["grid_code"].dropna().unique()},
    }


@pytest.fixture(scope="module")
def frames(demo_county) -> dict:
    return _frames(demo_county)


@pytest.fixture(scope="module")
def geocoder(frames) -> Geocoder:
    aliases = pd.DataFrame(
        [
            dict(alias="临潭县医院", target_code="623021100", lon=103.6, lat=34.8, kind="landmark"),
            dict(alias="老西街", target_code="623021101202", lon=None, lat=None, kind="alias"),
        ]
    )
    return Geocoder(Gazetteer.from_frames(**frames, aliases=aliases))


def _address(frames, text: str) -> pd.Series:
    rows = frames["addresses"]
    return rows[rows["full_text"] == text].iloc[0]


# 1. a grid only when the evidence places the case in one grid ---------------------------


@pytest.mark.parametrize(
    "text, level",
    [
        ("城关镇西街村", "village"),  # 西街村 is in 新城镇: a conflict as well
        ("石门乡大河桥村村委会附近", "village"),
        ("冶力关镇街上", "township"),
        ("羊沙镇政府附近", "township"),
        ("临潭县", "county"),
        ("菜市场旁边", "none"),
    ],
)
def test_coarse_matches_carry_their_unit_but_no_grid(geocoder, text, level):
    result = geocoder.geocode(text)
    assert result.level == level
    assert result.grid_code is None
    assert result.status == "位置待核实"


def test_an_ambiguous_village_lists_candidates_with_codes_names_and_scores(geocoder):
    result = geocoder.geocode("东山村三组")
    assert result.ambiguous and result.grid_code is None and result.score < 0.9
    assert {(c.code, c.township, c.name) for c in result.candidates} == {
        ("623021101208", "新城镇", "东山村"),
        ("623021102205", "冶力关镇", "东山村"),
    }
    assert all(c.score == 0.5 for c in result.candidates)
    assert len(geocoder.geocode("中寨村九组14号").candidates) <= 5


# 2. building numbers and the nearest number ------------------------------------------------


@pytest.mark.parametrize(
    "text", ["城关镇东环路社区振兴路3号", "城关镇东环路社区振兴路3号楼", "东环路社区振兴路3栋"]
)
def test_a_building_without_its_unit_gets_the_grid_of_its_units(geocoder, frames, text):
    unit = _address(frames, "临潭县城关镇东环路社区振兴路3号1单元")
    result = geocoder.geocode(text)
    assert (result.level, result.grid_code) == ("address", unit.grid_code)
    assert result.standard_address == "临潭县城关镇东环路社区振兴路3号"


def test_a_unit_written_as_3号楼2单元_is_that_unit(geocoder, frames):
    unit = _address(frames, "临潭县城关镇东环路社区振兴路3号2单元")
    result = geocoder.geocode("城关镇东环路社区振兴路3号楼2单元")
    assert result.address_code == unit.code


def test_a_street_address_without_community_or_unit(geocoder, frames):
    unit = _address(frames, "临潭县城关镇城南社区丰收路110号1单元")
    result = geocoder.geocode("丰收路110号")
    assert (result.level, result.grid_code, result.village_name) == (
        "address", unit.grid_code, "城南社区",
    )  # fmt: skip
    assert result.score < 0.9  # neither township nor community named


def test_a_missing_number_lands_on_its_neighbours_on_the_same_road(geocoder, frames):
    rows = frames["addresses"]
    road = rows[(rows["village_code"] == "623021100002") & (rows["road"] == "振兴路")]
    numbers = sorted({int(n) for n in road["number"]})
    missing = next(
        n for n in range(numbers[0], numbers[-1])
        if n not in numbers and n - 2 in numbers and n + 2 in numbers
    )  # fmt: skip
    result = geocoder.geocode(f"城关镇东环路社区振兴路{missing}号")
    assert result.level == "address_near" and result.level_zh == "相邻门牌"
    assert result.address_code is None
    assert {int(c.standard_address.split("振兴路")[1].split("号")[0]) for c in result.candidates} \
        == {missing - 2, missing + 2}  # fmt: skip
    grids = {c.grid_code for c in result.candidates}
    assert result.grid_code == (grids.pop() if len(grids) == 1 else None)
    assert result.score <= 0.8
    far = numbers[-1] + 2 * NEAR_NUMBER_GAP
    assert geocoder.geocode(f"城关镇东环路社区振兴路{far}号").level == "village"


# 3. conflicts ------------------------------------------------------------------------------


def test_a_village_under_the_wrong_township_is_kept_and_flagged(geocoder):
    result = geocoder.geocode("城关镇西街村三组5号")
    assert (result.township_name, result.village_name) == ("新城镇", "西街村")
    (conflict,) = result.conflicts
    assert conflict.kind == "admin" and conflict.named == "城关镇"
    assert conflict.message.startswith("文字写的是城关镇，但西街村属于新城镇")
    assert result.grid_code is None and result.score < 0.9
    assert "西街村属于新城镇" in result.reason


# 4. landmarks and aliases ------------------------------------------------------------------


def test_a_facility_is_a_landmark_of_its_township(geocoder):
    result = geocoder.geocode("新城派出所旁边")
    assert (result.level, result.township_name, result.method) == ("township", "新城镇", "landmark")
    assert result.grid_code is None and result.standard_address == "临潭县公安局新城派出所"


def test_the_alias_table_adds_landmarks_and_names(geocoder):
    hospital = geocoder.geocode("临潭县医院对面")
    assert (hospital.level, hospital.township_code) == ("township", "623021100")
    assert (hospital.lon, hospital.lat, hospital.grid_code) == (103.6, 34.8, None)
    old = geocoder.geocode("新城镇老西街三组5号")
    assert old.village_code == "623021101202"


@pytest.mark.parametrize(
    "text, village",
    [("冶力关镇洪家庄村四组12号", "623021102201"), ("城关镇苏家村", "623021100211"),
     ("城关镇苏家庄村", "623021100211")],
)  # fmt: skip
def test_x家庄_and_x家_are_the_same_village(geocoder, text, village):
    assert geocoder.geocode(text).village_code == village


# 5. output for people ----------------------------------------------------------------------


def test_a_result_names_its_address_units_grid_level_and_reason(geocoder, frames):
    unit = _address(frames, "临潭县新城镇红崖村二组30号")
    result = geocoder.geocode("新城红崖村二社三十号")
    assert result.address_code == unit.code
    assert result.standard_address == "临潭县新城镇红崖村二组30号"
    assert (result.township_name, result.village_name) == ("新城镇", "红崖村")
    assert result.grid_name == f"网格{unit.grid_code[-3:]}"
    assert (result.level, result.level_zh) == ("address", "门牌地址")
    assert result.reason and " / " in result.reason
    assert result.status is None


# 6. calibration on the hand-written labelled set -------------------------------------------


def test_the_labelled_set_has_no_wrong_grid_and_high_scores_are_right(demo_county):
    sys.path.insert(0, str(BENCH))
    try:
        import geocode_labelled
    finally:
        sys.path.remove(str(BENCH))
    frames = _frames(demo_county)
    labelled = geocode_labelled.read_labelled(frames["addresses"])
    assert len(labelled) >= 200
    figures = geocode_labelled.evaluate(Geocoder(Gazetteer.from_frames(**frames)), labelled)
    assert figures["wrong_grid"] == 0 and figures["gridded"] > 100
    high = [b for b in figures["bands"] if b[0] >= 0.9]
    high_n = sum(figures["bands"][b] for b in high)
    high_right = sum(figures["bands_right"][b] for b in high)
    assert high_right >= 0.99 * high_n
    assert figures["right"] >= 0.95 * figures["n"]
