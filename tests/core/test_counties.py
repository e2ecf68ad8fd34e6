"""The one rule for which county a request is about (core/counties.py)."""

from __future__ import annotations

import pytest

from core.counties import choose_county, county_of
from core.errors import Forbidden, InvalidRequest, NotFound

LINTAN, ZHUONI = "623021", "623022"
TOWNSHIP = "623021100"
GRID = "623021100201001"


def test_the_county_asked_for_comes_first():
    assert choose_county(loaded=[LINTAN, ZHUONI], requested=ZHUONI) == ZHUONI
    assert choose_county(loaded=[LINTAN], requested=LINTAN, scope=TOWNSHIP) == LINTAN
    assert choose_county(loaded=[LINTAN], requested=LINTAN, scope=LINTAN) == LINTAN


def test_a_county_asked_for_is_taken_as_given_even_when_not_loaded():
    assert choose_county(loaded=[], requested="999999") == "999999"


def test_without_a_request_the_callers_own_county():
    assert choose_county(loaded=[LINTAN, ZHUONI], scope=TOWNSHIP) == LINTAN
    assert choose_county(loaded=[LINTAN, ZHUONI], scope=GRID) == LINTAN
    assert choose_county(loaded=[], scope=ZHUONI) == ZHUONI


def test_else_the_only_county_loaded():
    assert choose_county(loaded=[LINTAN]) == LINTAN
    assert choose_county(loaded=(ZHUONI,), requested=None, scope=None) == ZHUONI
    assert choose_county(loaded=[LINTAN], requested="", scope="") == LINTAN


def test_a_county_outside_the_scope_is_refused_in_both_languages():
    with pytest.raises(Forbidden) as refused:
        choose_county(loaded=[LINTAN, ZHUONI], requested=ZHUONI, scope=TOWNSHIP)
    message = str(refused.value)
    assert "权限范围" in message and "outside the scope" in message
    assert message.index("权限") < message.index("outside")
    with pytest.raises(Forbidden):
        choose_county(loaded=[LINTAN], requested="6230", scope=TOWNSHIP)


def test_nothing_loaded_says_how_to_load_a_county():
    with pytest.raises(NotFound) as missing:
        choose_county(loaded=[])
    message = str(missing.value)
    assert "尚未载入" in message and "no county loaded" in message
    assert "wangge demo" in message and "wangge load admin-units" in message


def test_several_loaded_and_none_named_lists_them_and_asks_for_one():
    with pytest.raises(InvalidRequest) as ambiguous:
        choose_county(loaded=[ZHUONI, LINTAN])
    message = str(ambiguous.value)
    assert "请指明县代码" in message and "name the county code" in message
    assert f"{LINTAN}、{ZHUONI}" in message and f"{LINTAN}, {ZHUONI}" in message


def test_the_county_of_an_area_code_is_its_first_six_digits():
    assert county_of(GRID) == county_of(TOWNSHIP) == county_of(LINTAN) == LINTAN


def test_the_loaded_counties_are_read_only_when_nothing_else_decides():
    reads = []

    def loaded():
        reads.append(1)
        return ["623021"]

    assert choose_county(loaded=loaded, requested="623021") == "623021"
    assert choose_county(loaded=loaded, scope="623021100") == "623021"
    assert reads == []
    assert choose_county(loaded=loaded) == "623021"
    assert reads == [1]
