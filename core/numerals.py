"""Numbers as Chinese addresses write them: 一组, 十二号, 三单元, 第二十一组, 3组, ３组.

:func:`chinese_number` reads a numeral (Arabic, full-width or Chinese, 〇 to 九千九百九十九,
with 两 and 零); :func:`numbered` reads "numeral + unit word" such as 一组 or 十二号.
"""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
UNITS = {"十": 10, "百": 100, "千": 1000}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_NUMBERED = re.compile(r"^\s*第?\s*([0-9０-９零〇○一二两三四五六七八九十百千]+)\s*(\S*?)\s*$")


def chinese_number(text: str) -> int | None:
    """The whole number ``text`` writes (``12``, ``１２``, ``十二``, ``一百零五``, ``二〇``),
    or None when it is not one."""
    text = text.strip().translate(_FULL_WIDTH)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(c in DIGITS for c in text):  # digit by digit, as in 二〇 or 一二
        return int("".join(str(DIGITS[c]) for c in text))
    total, digit = 0, None
    for char in text:
        if char in "零〇○":
            continue  # a place left empty, as in 一百零五
        if char in DIGITS:
            if digit is not None:
                return None  # two digits in a row inside a positional numeral
            digit = DIGITS[char]
        elif char in UNITS:
            total += (1 if digit is None else digit) * UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def numbered(text: str, units: tuple[str, ...] = ()) -> int | None:
    """The number in "numeral + unit" text (一组 → 1, 第十二号 → 12, 3 → 3), when the unit
    word is one of ``units`` or absent; None otherwise."""
    match = _NUMBERED.match(text)
    if match is None:
        return None
    unit = match.group(2)
    if unit and unit not in units:
        return None
    return chinese_number(match.group(1))
