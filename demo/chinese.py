"""Small helpers for Chinese text: numerals, full-width digits, synthetic people."""

from __future__ import annotations

import numpy as np

_DIGITS = "零一二三四五六七八九"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# Common surnames of the area (Han, Hui and Tibetan families) and neutral given-name characters.
SURNAMES = list("马杨王李丁敏刘张陈赵何冯石韩唐周安苏罗魏")
GIVEN = list("建国平华明军强英兰芳海福成志文秀忠玉红德学发龙")


def chinese_numeral(n: int) -> str:
    """Chinese numeral for 0 ≤ n < 10,000 as used in addresses: 3 → 三, 12 → 十二, 23 → 二十三."""
    if n < 0 or n >= 10_000:
        raise ValueError(f"number out of range: {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    # above 99 clerks read the digits one by one (一二三号)
    return "".join(_DIGITS[int(d)] for d in str(n))


def full_width(text: str) -> str:
    """Replace ASCII digits by full-width digits (as typed with a Chinese input method)."""
    return text.translate(_FULL_WIDTH)


def synthetic_person_name(rng: np.random.Generator) -> str:
    """A made-up name, marked as such: e.g. "马建华（模拟）"."""
    given = "".join(rng.choice(GIVEN, size=int(rng.integers(1, 3))))
    return f"{rng.choice(SURNAMES)}{given}（模拟）"


def synthetic_phone(serial: int) -> str:
    """A phone number that cannot exist (Chinese numbers never start with 000)."""
    return f"000{serial:08d}"


def synthetic_id_number(rng: np.random.Generator, serial: int) -> str:
    """An 18-character identity number with area code 000000, which no real person has."""
    year = int(rng.integers(1950, 2005))
    month = int(rng.integers(1, 13))
    day = int(rng.integers(1, 29))
    return f"000000{year}{month:02d}{day:02d}{serial % 1000:03d}0"
