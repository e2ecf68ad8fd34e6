"""Normalisation and suffix parsing of Chinese address text (pure, no database)."""

from __future__ import annotations

import pytest

from geo.geocode.normalize import chinese_numeral_to_int, convert_numerals, normalize
from geo.geocode.parse import parse_address, township_core, village_core


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("三", 3), ("十", 10), ("十二", 12), ("二十一", 21), ("一百零五", 105), ("两百", 200),
     ("一二", 12), ("一千零一", 1001)],
)  # fmt: skip
def test_chinese_numerals_read_as_numbers(numeral, value):
    assert chinese_numeral_to_int(numeral) == value


def test_a_non_numeral_is_refused():
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        chinese_numeral_to_int("三岔")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三组", "3组"),
        ("十二号", "12号"),
        ("二十一号", "21号"),
        ("一百零五号", "105号"),
        ("第三组", "3组"),
        ("第3组", "3组"),
        ("五社", "5社"),
        ("二队", "2队"),
        ("三号楼二单元", "3号楼2单元"),
    ],
)
def test_numerals_before_a_unit_become_arabic(text, expected):
    assert convert_numerals(text) == expected


def test_numerals_inside_names_stay():
    assert normalize("三岔乡八角镇九日卡村") == "三岔乡八角镇九日卡村"
    assert normalize("东环路三社区") == "东环路三社区"


def test_full_width_characters_and_spaces():
    assert normalize("城关镇　西街村 ３组 １２号") == "城关镇西街村3组12号"
    assert normalize("（临潭县）城关镇，西街村") == "临潭县城关镇西街村"


def test_hyphenated_house_number_is_kept():
    assert normalize("北大街12-3号") == "北大街12-3号"
    assert normalize("西街村-3组") == "西街村3组"


def test_variant_and_traditional_characters_map_to_one_form():
    assert normalize("歧山村") == normalize("岐山村") == "岐山村"
    assert normalize("范家嘴村") == "范家咀村"
    assert normalize("臨潭縣城關鎮") == "临潭县城关镇"


def test_empty_input():
    assert normalize(None) == ""
    assert normalize("  ") == ""


def test_parse_full_address_with_province_and_prefecture():
    parsed = parse_address("甘肃省甘南藏族自治州临潭县城关镇西街村三组12号")
    assert parsed.province == "甘肃省"
    assert parsed.prefecture == "甘南藏族自治州"
    assert parsed.county == "临潭县"
    assert parsed.township == "城关镇"
    assert parsed.village == "西街村"
    assert parsed.group == 3
    assert parsed.number == "12"


def test_parse_province_short_name_and_short_prefecture():
    parsed = parse_address("甘肃甘南州临潭县术布乡")
    assert (parsed.province, parsed.prefecture, parsed.county) == ("甘肃省", "甘南州", "临潭县")
    assert parsed.township == "术布乡"


def test_parse_community_street_building_unit_room():
    parsed = parse_address("城关镇东环路社区北大街23号3栋2单元501室")
    assert parsed.village == "东环路社区"
    assert parsed.road == "北大街"
    assert (parsed.number, parsed.building, parsed.unit, parsed.room) == ("23", "3", "2", "501")


def test_parse_landmarks_and_committee_suffix():
    parsed = parse_address("冶力关镇池沟村村委会旁边")
    assert parsed.village == "池沟村"
    assert parsed.landmarks == ["村委会", "旁边"]


def test_township_named_like_a_banner_is_not_a_county():
    parsed = parse_address("王旗镇洪家村村2组")
    assert parsed.county is None
    assert parsed.township == "王旗镇"
    assert parsed.group == 2


def test_suffix_variants_reduce_to_one_core():
    for name in ("范家咀村民委员会", "范家咀村委会", "范家咀村", "范家嘴村"):
        assert village_core(name) == "范家咀"
    assert village_core("店子村村民委员会") == "店子"
    assert village_core("东环路社区居民委员会") == "东环路"
    assert township_core("冶力关镇") == "冶力关"
    assert township_core("城关街道") == "城关"
