"""The national division table: which province, prefecture and county a text names."""

from __future__ import annotations

import pytest

from geo.geocode.divisions import load_divisions


@pytest.fixture(scope="module")
def divisions():
    index = load_divisions()
    assert index is not None, "geo/geocode/data/cn_divisions.tsv is part of the package"
    return index


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甘肃省甘南藏族自治州临潭县城关镇", ("甘肃省", "甘南藏族自治州", "临潭县")),
        ("甘南州卓尼县柳林镇", ("甘肃省", "甘南藏族自治州", "卓尼县")),
        ("湖北省襄樊市小水街222号", ("湖北省", "襄阳市", None)),  # old prefecture name
        ("成都市新津县金华镇", ("四川省", "成都市", "新津区")),  # county become a district
        ("湘潭城塘社区", ("湖南省", "湘潭市", None)),  # short name: the prefecture, not 湘潭县
        ("福建省鼓楼区鼓楼医院", ("福建省", "福州市", "鼓楼区")),  # province picks the 鼓楼区
        ("重庆解放碑", ("重庆市", "重庆市", None)),  # 解放 is not 焦作's 解放区 here
    ],
)
def test_region_named_by_a_text(divisions, text, expected):
    match = divisions.recognise(text)
    assert (match.province, match.prefecture, match.county) == expected


def test_a_county_name_shared_by_prefectures_gives_the_county_alone(divisions):
    match = divisions.recognise("西湖区蒋村花园小区")
    assert (match.province, match.prefecture, match.county) == (None, None, "西湖区")


def test_lintan_code_and_parents(divisions):
    lintan = divisions.by_code("623021")
    assert (lintan.name, lintan.prefecture, lintan.province) == (
        "临潭县",
        "甘南藏族自治州",
        "甘肃省",
    )
