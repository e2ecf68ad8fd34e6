"""The review meeting's reasons are Chinese sentences built from Chinese labels, never codes."""

from __future__ import annotations

import re

import pandas as pd

from models.risk import _phrase


def test_the_category_reason_names_the_category_in_chinese():
    row = pd.Series({"cat_neighbour_lag13": 2.0, "cat_debt_lag13": 1.0})
    text = _phrase("category", row, {}, "周")
    assert text == "近13周邻里类纠纷2起"
    assert not re.search(
        r"[A-Za-z_]", _phrase("category", pd.Series({"cat_x_lag13": 1.0}), {}, "周")
    )
