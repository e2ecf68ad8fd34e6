"""Matching address text against a small gazetteer built in memory (pure, no database).

The names are the real Lintan divisions; the addresses and points are synthetic.
"""

from __future__ import annotations

import pandas as pd
import pytest

from geo.geocode.gazetteer import Gazetteer
from geo.geocode.match import Geocoder

COUNTY = "623021"
TOWNSHIPS = {"623021100": "城关镇", "623021101": "新城镇", "623021102": "冶力关镇",
             "623021109": "店子镇"}  # fmt: skip
VILLAGES = {
    "623021100200": ("623021100", "范家咀村民委员会", "范家咀村"),
    "623021100204": ("623021100", "西庄子村民委员会", "西庄子村"),
    "623021100211": ("623021100", "苏家庄子村民委员会", "苏家庄子村"),
    "623021100002": ("623021100", "东环路社区居民委员会", "东环路社区"),
    "623021101208": ("623021101", "东山村民委员会", "东山村"),
    "623021102205": ("623021102", "东山村民委员会", "东山村"),
    "623021102207": ("623021102", "池沟村民委员会", "池沟村"),
    "623021109200": ("623021109", "岐山村村民委员会", "岐山村"),
}
NUMERALS = "一二三"


def _frames():
    units = [dict(code=COUNTY, level="county", name="临潭县", parent_code=None)]
    units += [
        dict(code=c, level="township", name=n, parent_code=COUNTY) for c, n in TOWNSHIPS.items()
    ]
    units += [
        dict(code=c, level="village", name=n, parent_code=t) for c, (t, n, _) in VILLAGES.items()
    ]
    admin = pd.DataFrame(units).assign(county_code=COUNTY)
    rows = []
    for i, (code, (township, _, short)) in enumerate(VILLAGES.items()):
        prefix = f"临潭县{TOWNSHIPS[township]}{short}"
        base_lon, base_lat = 103.30 + 0.02 * i, 34.70
        if short.endswith("社区"):
            for n in (1, 3, 5):
                for unit in (1, 2):
                    rows.append(dict(code=f"{code}-北大街-{n}-{unit}", village_code=code,
                                     township_code=township, group_no=None,
                                     full_text=f"{prefix}北大街{n}号{unit}单元",
                                     lon=base_lon + 0.001 * n, lat=base_lat + 0.0001 * unit,
                                     grid_code=f"{code}001"))  # fmt: skip
            continue
        for g in (1, 2, 3):
            for n in (1, 2, 3, 4):
                rows.append(dict(code=f"{code}-{g}-{n}", village_code=code, township_code=township,
                                 group_no=g, full_text=f"{prefix}{NUMERALS[g - 1]}组{n}号",
                                 lon=base_lon + 0.001 * n, lat=base_lat + 0.003 * g,
                                 grid_code=f"{code}00{1 if g < 3 else 2}"))  # fmt: skip
    addresses = pd.DataFrame(rows).assign(county_code=COUNTY)
    centres = pd.DataFrame(
        [
            dict(admin_code="623021102207", lon=103.45, lat=34.75, grid_code="623021102207001"),
            dict(admin_code="623021101", lon=103.40, lat=34.80, grid_code="623021101208001"),
            dict(admin_code=COUNTY, lon=103.35, lat=34.69, grid_code=None),
        ]
    )
    return admin, addresses, centres


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    admin, addresses, centres = _frames()
    return Geocoder(Gazetteer.from_frames(admin_units=admin, addresses=addresses, centres=centres))


def test_exact_full_text_is_an_address(geocoder):
    result = geocoder.geocode("临潭县城关镇范家咀村二组3号")
    assert (result.level, result.method, result.score) == ("address", "exact", 1.0)
    assert result.address_code == "623021100200-2-3"
    assert result.grid_code == "623021100200001"


@pytest.mark.parametrize(
    "text",
    [
        "临潭县城关镇范家咀村2组3号",  # Arabic numerals
        "城关镇范家咀村二组三号",  # county omitted, Chinese house number
        "甘肃省甘南藏族自治州临潭县城关镇范家咀村第二组3号",  # province and prefecture
        "甘肃甘南州临潭城关镇范家嘴村2组3号",  # short prefixes and a variant character
        "范家咀村2组3号",  # township omitted
        "城关镇范家咀村委会2组3号",  # 村委会 form
        "城关镇范家咀2组3号",  # 村 omitted
        "2组3号 范家咀村 城关镇",  # other order
        "城关镇　范家咀村　２组　３号",  # full width and spaces
    ],
)
def test_normalised_variants_reach_the_same_address(geocoder, text):
    result = geocoder.geocode(text)
    assert result.level == "address", result
    assert result.address_code == "623021100200-2-3"


def test_alias_and_variant_village_names(geocoder):
    assert geocoder.geocode("店子镇歧山村1组2号").address_code == "623021109200-1-2"
    old = geocoder.geocode("城关镇苏家庄村3组1号")  # jionlp's spelling of 苏家庄子村
    assert old.address_code == "623021100211-3-1"


def test_community_street_number_and_unit(geocoder):
    result = geocoder.geocode("城关镇东环路社区北大街3号2单元")
    assert result.address_code == "623021100002-北大街-3-2"
    unit_missing = geocoder.geocode("城关镇东环路社区北大街3号")
    # two units at 3号 in one grid: the building, with its grid, but no one address claimed
    assert (unit_missing.level, unit_missing.address_code) == ("address", None)
    assert unit_missing.grid_code == "623021100002001"
    assert unit_missing.standard_address == "临潭县城关镇东环路社区北大街3号"


def test_typo_in_village_name_is_matched_fuzzily(geocoder):
    result = geocoder.geocode("城关镇西庄了村3组4号")
    assert result.method == "fuzzy"
    assert result.address_code == "623021100204-3-4"
    assert 0 < result.score < 1


def test_fallback_to_group_centroid(geocoder):
    result = geocoder.geocode("城关镇范家咀村三组")
    assert (result.level, result.group, result.village_code) == ("group", 3, "623021100200")
    assert result.grid_code == "623021100200002"
    assert result.lon == pytest.approx(103.30 + 0.0025)


def test_unknown_house_number_falls_back_to_its_group(geocoder):
    result = geocoder.geocode("城关镇范家咀村一组99号")
    assert (result.level, result.group, result.address_code) == ("group", 1, None)


def test_fallback_to_village_centre(geocoder):
    result = geocoder.geocode("冶力关镇池沟村村委会旁边")
    assert (result.level, result.village_code) == ("village", "623021102207")
    assert (result.lon, result.lat) == (103.45, 34.75)
    # the village centre's grid is not the case's grid: no grid, 位置待核实
    assert result.grid_code is None
    assert result.status == "位置待核实"


def test_fallback_to_township_centre(geocoder):
    result = geocoder.geocode("临潭县新城镇卖菜的那家")
    assert (result.level, result.township_code) == ("township", "623021101")
    assert (result.lon, result.lat) == (103.40, 34.80)


def test_fallback_to_county(geocoder):
    result = geocoder.geocode("临潭县")
    assert (result.level, result.county_code) == ("county", COUNTY)
    assert (result.lon, result.lat) == (103.35, 34.69)


def test_nothing_recognised_is_none(geocoder):
    result = geocoder.geocode("老地方")
    assert (result.level, result.grid_code, result.lon) == ("none", None, None)
    assert geocoder.geocode("").level == "none"


def test_same_village_name_in_two_townships_is_ambiguous(geocoder):
    result = geocoder.geocode("东山村2组3号")
    assert result.ambiguous
    assert result.level == "county"
    assert result.address_code is None
    assert {c.code for c in result.candidates} == {"623021101208", "623021102205"}
    assert {c.address_code for c in result.candidates} == {
        "623021101208-2-3", "623021102205-2-3",
    }  # fmt: skip


def test_township_resolves_the_ambiguity(geocoder):
    result = geocoder.geocode("冶力关镇东山村2组3号")
    assert not result.ambiguous
    assert result.address_code == "623021102205-2-3"


def test_wrong_township_keeps_a_specific_village_with_a_lower_score(geocoder):
    result = geocoder.geocode("新城镇池沟村1组1号")
    assert result.address_code == "623021102207-1-1"
    assert result.score < 1
    assert "township" in result.note


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("甘肃省卓尼县柳林镇东山村2组3号", "卓尼县"),
        ("兰州市城关区张掖路1号", "城关区"),
        ("北京市海淀区中关村大街1号", "海淀区"),
        ("岷县梅川镇", "岷县"),
    ],
)
def test_an_address_outside_the_county_is_none_with_the_region_it_names(geocoder, text, region):
    result = geocoder.geocode(text)
    assert result.level == "none"
    assert result.named_region == region
    assert result.grid_code is None and result.lon is None and result.address_code is None


def test_outside_county_is_recognised_without_the_national_table():
    admin, addresses, centres = _frames()
    gazetteer = Gazetteer.from_frames(admin_units=admin, addresses=addresses, centres=centres)
    bare = Geocoder(gazetteer, divisions=False)
    outside = bare.geocode("卓尼县柳林镇东山村2组3号")
    assert (outside.level, outside.named_region) == ("none", "卓尼县")
    assert bare.geocode("临潭县城关镇范家咀村2组3号").level == "address"


def test_batch_geocodes_each_text(geocoder):
    results = geocoder.geocode_many(["临潭县", "城关镇范家咀村2组3号", None, "临潭县"])
    assert [r.level for r in results] == ["county", "address", "none", "county"]
