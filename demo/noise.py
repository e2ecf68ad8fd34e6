"""Address text the way a clerk types it, and GPS the way a phone reports it.

From a standard address the clerk may add the prefecture (甘南州) or drop the county or the
township, use another name of the village (its bare name or a variant spelling), write numbers in
Chinese (三组十二号) or full-width digits, say 社 for 组 as people do in Gansu, describe the place
by a landmark (村委会旁边, 卫生院对面) instead of a number, or add stray spaces and "附近".
"""

from __future__ import annotations

import math

import numpy as np

from demo.chinese import chinese_numeral, full_width
from demo.inputs import VARIANT_CHARACTERS

RURAL_LANDMARKS = ["村委会旁边", "村委会对面", "卫生院对面", "小学附近", "清真寺后面", "村口",
                   "大桥旁", "商店门口", "水磨房附近"]  # fmt: skip
TOWN_LANDMARKS = ["农贸市场旁", "县医院对面", "客运站附近", "步行街口", "邮政局旁边", "广场东侧"]
GPS_JITTER_M = (10.0, 50.0)


def _number(n: int, rng: np.random.Generator) -> str:
    r = rng.uniform()
    if r < 0.6:
        return str(n)
    if r < 0.8:
        return chinese_numeral(n)
    return full_width(str(n))


def _group(n: int, rng: np.random.Generator) -> str:
    r = rng.uniform()
    if r < 0.4:
        return f"{chinese_numeral(n)}组"
    if r < 0.65:
        return f"{n}组"
    if r < 0.85:
        return f"{n}社"
    return f"{chinese_numeral(n)}社"


def _typo(text: str, rng: np.random.Generator) -> str:
    spots = [i for i, ch in enumerate(text) if ch in VARIANT_CHARACTERS]
    if not spots:
        return text
    i = int(rng.choice(spots))
    return text[:i] + VARIANT_CHARACTERS[text[i]] + text[i + 1 :]


def noisy_address(
    *,
    county: str,
    region: str = "",
    township: str,
    village: str,
    village_aliases: list[str] | None,
    group_no: int | None,
    road: str | None,
    number: str | None,
    building: str | None,
    rng: np.random.Generator,
) -> str:
    """One address as a clerk might type it (see the module docstring for the kinds of noise)."""
    r = rng.uniform()
    prefix = region + county if r < 0.1 else county if r < 0.45 else ""
    town = township if rng.uniform() < 0.7 else ""
    r = rng.uniform()
    use_alias = r >= 0.85 and bool(village_aliases)
    name = str(rng.choice(village_aliases)) if use_alias else village
    r = rng.uniform()
    building = building if isinstance(building, str) else ""
    if not isinstance(road, str):  # rural: group and house number
        if r < 0.55:
            tail = f"{_group(int(group_no), rng)}{_number(int(number), rng)}号"
        elif r < 0.75:
            tail = _group(int(group_no), rng)
        else:
            tail = str(rng.choice(RURAL_LANDMARKS))
    else:
        if r < 0.6:
            tail = f"{road}{_number(int(number), rng)}号{building}"
            name = name if rng.uniform() < 0.5 else ""
        elif r < 0.85:
            tail = f"{road}{rng.choice(TOWN_LANDMARKS)}"
        else:
            tail = str(rng.choice(TOWN_LANDMARKS))
    text = f"{prefix}{town}{name}{tail}"
    if rng.uniform() < 0.1:
        text = _typo(text, rng)
    if rng.uniform() < 0.1:
        cut = int(rng.integers(1, len(text)))
        text = text[:cut] + " " + text[cut:]
    if rng.uniform() < 0.08 and not text.endswith(("附近", "旁边", "对面")):
        text += "附近"
    return text


def gps_jitter(n: int, rng: np.random.Generator) -> np.ndarray:
    """(n, 2) offsets in metres, 10–50 m in a random direction (a phone's GPS in a valley)."""
    radius = rng.uniform(*GPS_JITTER_M, n)
    angle = rng.uniform(0, 2 * math.pi, n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
