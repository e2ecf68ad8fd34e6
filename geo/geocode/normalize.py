"""Normalisation of Chinese address text before parsing and matching.

Every string that enters the gazetteer and every query goes through :func:`normalize`, so
both sides meet in one canonical form:

- full-width letters, digits and punctuation become half-width (NFKC);
- spaces and punctuation are removed (a hyphen between digits is kept: ``12-3号``);
- a few traditional characters that clerks' input methods produce become simplified;
- common miswritten or variant characters map to the form the official list uses
  (歧 → 岐, 嘴 → 咀 …): both spellings then compare equal;
- Chinese numerals in front of a unit (组, 社, 队, 号, 栋, 单元, 室 …) become Arabic:
  三组 → 3组, 十二号 → 12号, 二十一号 → 21号, 一百零五号 → 105号, 第三组 → 3组.

Numerals inside names (三岔乡, 八角镇, 九日卡村) are left alone because no unit follows them.
"""

from __future__ import annotations

import re
import unicodedata

# Variant or miswritten character → the form used by the official division list.
# Applied to gazetteer and query alike, so the direction only matters for display.
VARIANT_CHARS: dict[str, str] = {
    "歧": "岐",
    "嘴": "咀",
    "庒": "庄",
    "窪": "洼",
    "壩": "坝",
    "圵": "址",
    "侭": "尽",
}

# Traditional → simplified for the characters that occur in addresses of this kind.
TRADITIONAL_CHARS: dict[str, str] = {
    "縣": "县",
    "鎮": "镇",
    "鄉": "乡",
    "組": "组",
    "號": "号",
    "區": "区",
    "關": "关",
    "溝": "沟",
    "莊": "庄",
    "門": "门",
    "東": "东",
    "臨": "临",
    "橋": "桥",
    "灘": "滩",
    "園": "园",
    "樓": "楼",
    "單": "单",
    "棟": "栋",
    "廟": "庙",
    "楊": "杨",
    "陳": "陈",
    "馬": "马",
    "劉": "刘",
    "趙": "赵",
    "環": "环",
    "後": "后",
    "裡": "里",
    "場": "场",
    "龍": "龙",
    "劃": "划",
    "會": "会",
    "員": "员",
    "衛": "卫",
    "學": "学",
    "醫": "医",
    "廠": "厂",
}

_CHAR_TABLE = str.maketrans({**TRADITIONAL_CHARS, **VARIANT_CHARS})

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)

# Units after which a Chinese numeral is a count or house number, not part of a name.
NUMBER_UNITS = (
    "号楼",
    "单元",
    "组",
    "社(?!区)",
    "队",
    "号",
    "栋",
    "幢",
    "室",
    "楼",
    "层",
    "排",
    "户",
)
_UNIT_PATTERN = "|".join(NUMBER_UNITS)
_NUMERAL_BEFORE_UNIT = re.compile(rf"第?([{_NUMERAL_CHARS}]+)(?=(?:{_UNIT_PATTERN}))")
_ORDINAL_DIGITS = re.compile(rf"第(\d+)(?=(?:{_UNIT_PATTERN}))")

# Everything that is neither a letter, a digit nor a CJK character, except a hyphen kept
# between digits (12-3号) so that compound house numbers survive.
_NOISE = re.compile(r"[^\w\-]|_", re.UNICODE)
_STRAY_HYPHEN = re.compile(r"(?<!\d)-|-(?!\d)")


def chinese_numeral_to_int(numeral: str) -> int:
    """Value of a Chinese numeral: ``"十二"`` → 12, ``"一百零五"`` → 105, ``"一二"`` → 12.

    A numeral without 十/百/千 is read digit by digit (一二 → 12), as people do for house
    numbers. Raises ``ValueError`` for characters that are not numerals.
    """
    if not numeral or any(ch not in _DIGITS and ch not in _UNITS for ch in numeral):
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    if not any(ch in _UNITS for ch in numeral):
        return int("".join(str(_DIGITS[ch]) for ch in numeral))
    total, digit = 0, None
    for ch in numeral:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


def _replace_numeral(match: re.Match[str]) -> str:
    return str(chinese_numeral_to_int(match.group(1)))


def convert_numerals(text: str) -> str:
    """Turn Chinese numerals followed by a unit into Arabic digits (三组 → 3组, 第十二号 → 12号)."""
    text = _NUMERAL_BEFORE_UNIT.sub(_replace_numeral, text)
    return _ORDINAL_DIGITS.sub(r"\1", text)


def normalize(text: str | None) -> str:
    """Canonical form of an address string (see the module docstring for the rules)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = text.translate(_CHAR_TABLE)
    text = _NOISE.sub("", text)
    text = _STRAY_HYPHEN.sub("", text)
    return convert_numerals(text).upper()
