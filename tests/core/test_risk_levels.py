import math

from core import risk_levels as rl


def test_levels_are_multiples_of_the_county_mean():
    expected = [0.01] * 16 + [0.02, 0.05, 0.2, None]
    levels = rl.levels_of(expected)
    mean = rl.county_reference(expected)
    assert math.isclose(mean, (0.16 + 0.27) / 19)
    assert [lv.key for lv in levels[:16]] == ["low"] * 16
    # mean ≈ 0.0226: 0.02 is below it, 0.05 above twice it, 0.2 above four times it
    assert [lv.key for lv in levels[16:19]] == ["low", "elevated", "high"]
    assert levels[-1] is None


def test_each_multiple_gives_its_level():
    assert rl.level_of(4.0, 1.0).key == "high"
    assert rl.level_of(3.99, 1.0).key == "elevated"
    assert rl.level_of(2.0, 1.0).key == "elevated"
    assert rl.level_of(1.0, 1.0).key == "medium"
    assert rl.level_of(0.99, 1.0).key == "low"
    assert rl.level_of(0.0, 0.0).key == "low"
    assert rl.level_of(None, 1.0) is None


def test_a_grid_keeps_its_level_when_others_change_a_little():
    week1 = [0.01] * 99 + [0.08]
    week2 = [0.011] * 98 + [0.009, 0.08]
    assert rl.levels_of(week1)[-1].key == rl.levels_of(week2)[-1].key == "high"


def test_chance_orders_as_expectation():
    assert math.isclose(rl.chance_of_any(0.3), 1 - math.exp(-0.3))
    assert rl.chance_of_any(0.1) < rl.chance_of_any(0.2)


def test_expectation_in_words():
    assert rl.expected_text(0.3) == "预计下周约0.3起"
    assert rl.expected_text(0.061) == "预计下周约0.06起"
    assert rl.expected_text(0.0003) == "预计下周不到0.01起"
    assert rl.expected_text(12.4) == "预计下周约12起"
    assert rl.expected_text(None) == "暂无评分"


def test_four_distinct_colours_and_labels_in_words():
    assert len({lv.colour for lv in rl.LEVELS}) == 4
    assert [lv.label for lv in rl.LEVELS] == ["高 high", "较高 elevated", "中 medium", "低 low"]


def test_the_rule_in_chances_gives_the_same_levels_as_in_expectations():
    expected = [0.002, 0.01, 0.019, 0.021, 0.045, 0.09, 0.3, 1.5, 0.0, None]
    reference = rl.county_reference(expected)
    county_chance = rl.chance_of_any(reference)
    for value in expected:
        chance = None if value is None else rl.chance_of_any(value)
        assert rl.level_of_chance(chance, county_chance) == rl.level_of(value, reference)
    assert rl.level_of_chance(0.3, 0.0).key == "low"
    assert rl.level_of_chance(1.0, 0.1).key == "high"


def test_chance_in_words():
    assert rl.chance_text(0.123) == "下周至少一起的概率约12%"
    assert rl.chance_text(0.004) == "下周至少一起的概率不到1%"
    assert rl.chance_text(0.995) == "下周至少一起的概率超过99%"
    assert rl.chance_text(None) is None
