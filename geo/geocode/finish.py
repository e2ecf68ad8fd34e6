"""Finishing a result for people: names, the standard address text, the grid rule, a
calibrated score, the reason in words, and 位置待核实.

**The grid rule.** A result carries a grid only when its evidence places the case in one
grid: an address (or its building, or neighbours that share one grid), or a group whose
houses all lie in one grid. A village, township or county match, an ambiguous text and a
text whose parts contradict each other carry no grid: intake sends such a case to the
village or township and marks it 位置待核实.

**Calibration.** The raw score multiplies the strength of the names found, the fuzzy ratio
and the penalties; :data:`SCORE_CAPS` then caps it by how the result was reached, so that a
score means a probability of being right. The caps were set on the synthetic noisy texts of
``bench/geocode_accuracy.py`` (the tuning set) and checked on the hand-written labelled set
``bench/data/geocode_labelled.csv`` (held out): among results with score ≥ 0.9, at least
99 % right.
"""

from __future__ import annotations

from geo.geocode.gazetteer import Gazetteer
from geo.geocode.result import GRID_LEVELS, LEVEL_LABELS, GeocodeResult

# Highest score a result may have, by method (how it was reached) and by a few signs.
SCORE_CAPS = {
    "exact": 1.0,
    "alias": 1.0,
    "parsed": 1.0,
    "street": 0.95,
    "fuzzy": 0.85,
    "landmark": 0.8,
    "near": 0.8,
    "ambiguous": 0.4,
    "outside": 0.0,
    "none": 0.0,
}
CAP_WITH_CONFLICT = 0.6
CAP_BARE_NAME = 0.88  # a village written without 村 or its township (东山, 西街) could be a street

METHOD_WORDS = {
    "exact": ("与标准地址完全一致", "same as the standard address"),
    "alias": ("别名表中的名称", "a name from the alias table"),
    "parsed": ("按地名逐级匹配", "place names matched level by level"),
    "street": ("按街路门牌匹配", "street and house number matched"),
    "fuzzy": ("村名相近（可能有错别字）", "village name close (typo?)"),
    "landmark": ("按地标匹配", "matched a landmark"),
    "near": ("门牌不在标准地址中，取同一路上最近的门牌", "number not listed: nearest on the road"),
    "ambiguous": ("有多处同名地点", "several places have this name"),
    "outside": ("地址在本县以外", "outside the county"),
    "none": ("未识别出本县地名", "no place of the county recognised"),
}


def finish(gaz: Gazetteer, result: GeocodeResult) -> GeocodeResult:
    """Apply the grid rule, names, the calibrated score and the reason to ``result``."""
    if result.level not in GRID_LEVELS or result.conflicts or result.ambiguous:
        result.grid_code = None
    cap = SCORE_CAPS.get(result.method, 1.0)
    if result.conflicts:
        cap = min(cap, CAP_WITH_CONFLICT)
    if getattr(result, "_bare_name", False):
        cap = min(cap, CAP_BARE_NAME)
    result.score = round(min(max(result.score, 0.0), cap), 3)
    result.level_zh = LEVEL_LABELS.get(result.level, result.level)
    for attribute, code in (
        ("county_name", result.county_code),
        ("township_name", result.township_code),
        ("village_name", result.village_code),
    ):
        unit = gaz.unit(code)
        setattr(result, attribute, unit.short if unit else None)
    result.grid_name = gaz.grid_names.get(result.grid_code) if result.grid_code else None
    if result.standard_address is None and result.level not in ("none", "address"):
        parts = [result.county_name, result.township_name, result.village_name]
        text = "".join(p for p in parts if p)
        if result.level == "group" and result.group is not None:
            text += f"{result.group}组"
        result.standard_address = text or None
    result.unverified = result.grid_code is None or bool(result.conflicts)
    result.reason = _reason(result)
    return result


def _reason(result: GeocodeResult) -> str:
    zh, en = METHOD_WORDS.get(result.method, (result.method, result.method))
    parts_zh, parts_en = [zh], [en]
    if result.grid_code is None and result.level != "none":
        parts_zh.append(f"只定位到{result.level_zh}，不分配网格")
        parts_en.append(f"placed at {result.level.replace('_', ' ')} level only: no grid")
    if result.candidates:
        parts_zh.append(f"候选 {len(result.candidates)} 个")
        parts_en.append(f"{len(result.candidates)} candidates")
    for conflict in result.conflicts:
        parts_zh.append(conflict.message.split(" / ")[0])
        parts_en.append(conflict.message.split(" / ")[-1])
    return "；".join(parts_zh) + " / " + "; ".join(parts_en)
