"""Fuzzy matching of village and township names that the name index did not find.

The words where a village name should stand (after the township, up to the first number or
landmark) are compared with rapidfuzz's ``ratio`` against the villages of the township
named, or, with no township, against the villages sharing an adjacent or skip bigram with
them. A tie between the two best is no answer: 上河滩 and 下河滩 are equally close to 能河滩.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from geo.geocode.divisions import RegionMatch
from geo.geocode.gazetteer import Gazetteer, NameKey, Unit, name_grams
from geo.geocode.parse import LANDMARK_PLACES, LANDMARK_RELATIONS, township_core, village_core

CUTOFF_IN_TOWNSHIP = 60.0
CUTOFF_IN_COUNTY = 75.0
SEGMENT_MAX = 16  # no village name is longer; bounds the work on long free text
_LANDMARK_WORDS = sorted(LANDMARK_PLACES + LANDMARK_RELATIONS, key=len, reverse=True)
_SEGMENT_STOP = re.compile(r"\d|" + "|".join(_LANDMARK_WORDS))
_SUFFIX_AT = re.compile(r"(?:村民委员会|村委会|社区居委会|居委会|社区|村)*")
_VILLAGE_SUFFIX = re.compile(r"村民委员会|村委会|社区|居委会|村")
_SEGMENT_SUFFIX = re.compile(r"(?:村民委员会|村委会|社区居委会|居委会|社区|村)+$")


@dataclass
class Mention:
    """A span of the normalised text that is a spelling of one or more units."""

    start: int
    end: int
    keys: list[NameKey]


def gram_candidates(gaz: Gazetteer, segment: str) -> set[str]:
    """Units sharing an adjacent or skip bigram with ``segment`` (see gazetteer.name_grams)."""
    candidates: set[str] = set()
    for gram in name_grams(segment):
        candidates |= gaz.bigrams.get(gram, set())
    return candidates


def segments(text: str, mentions: list[Mention], region: RegionMatch | None) -> list[str]:
    """Where a village name should be: after the last admin name, up to a number.

    Two readings: after the last county/township name of any strength, and after the last
    one written with its suffix (石门乡石门加村: 石门 is the start of the village). A region
    named by the national table (甘肃省甘南州 …) is skipped too.
    """
    admin = [m for m in mentions if any(k.level in ("county", "township") for k in m.keys)]
    full = [m for m in admin if any(k.strength >= 1.0 for k in m.keys)]
    starts = [max((m.end for m in admin), default=0), max((m.end for m in full), default=0)]
    if region is not None and (region.full or region.support):
        starts = [max(s, region.end) if region.start <= s else s for s in starts]
    return list(dict.fromkeys(segment_from(text, s) for s in starts))


def segment_from(text: str, start: int) -> str:
    """The name-like words of ``text`` from ``start``, without a village suffix."""
    rest = text[start : start + SEGMENT_MAX]
    segment = rest
    for stop in _SEGMENT_STOP.finditer(rest):
        # a landmark word right at the start belongs to the name (石门口村, not 门口)
        if stop.start() >= 2 or stop.group()[0].isdigit():
            segment = rest[: stop.start()]
            break
    suffix = _VILLAGE_SUFFIX.search(segment)
    if suffix is not None and suffix.start() >= 2:
        segment = segment[: suffix.start()]
    return _SEGMENT_SUFFIX.sub("", segment)


def fuzzy_village(
    gaz: Gazetteer,
    text: str,
    mentions: list[Mention],
    *,
    townships: dict[str, float],
    counties: set[str],
    region: RegionMatch | None,
) -> tuple[Unit, tuple[int, int] | None, float] | None:
    """(village, its span in ``text``, ratio 0–1) for the closest village name, or None."""
    for segment in segments(text, mentions, region):
        found = _village_for(gaz, text, segment, townships, counties)
        if found is not None:
            return found
    return None


def _village_for(
    gaz: Gazetteer, text: str, segment: str, townships: dict[str, float], counties: set[str]
) -> tuple[Unit, tuple[int, int] | None, float] | None:
    if len(segment) < 2:
        return None
    if townships:  # a township holds a few dozen villages: compare with all of them
        candidates = {c for t in townships for c in gaz.children.get(t, ())}
    else:
        candidates = gram_candidates(gaz, segment)
    choices = {}
    for code in candidates:
        unit = gaz.units[code]
        if unit.level != "village":
            continue
        if townships and unit.parent_code not in townships:
            continue
        if counties and unit.county_code not in counties:
            continue
        choices[code] = village_core(unit.name)
    if not choices:
        return None
    cutoff = CUTOFF_IN_TOWNSHIP if townships else CUTOFF_IN_COUNTY
    found = process.extract(segment, choices, scorer=fuzz.ratio, limit=2, score_cutoff=cutoff)
    if not found or (len(found) > 1 and found[1][1] == found[0][1]):
        return None
    _, ratio, code = found[0]
    start = text.find(segment)
    span = None
    if start >= 0:
        suffix = _SUFFIX_AT.match(text, start + len(segment))
        span = (start, suffix.end() if suffix else start + len(segment))
    return gaz.units[code], span, ratio / 100.0


def fuzzy_township(
    gaz: Gazetteer,
    text: str,
    mentions: list[Mention],
    *,
    counties: set[str],
    region: RegionMatch | None,
) -> tuple[Unit, float] | None:
    """(township, ratio 0–1) for the closest township name, or None."""
    segment = segments(text, mentions, region)[0]
    if len(segment) < 2:
        return None
    choices = {
        code: township_core(gaz.units[code].name)
        for code in gram_candidates(gaz, segment)
        if gaz.units[code].level == "township"
        and (not counties or gaz.units[code].county_code in counties)
    }
    if not choices:
        return None
    longest = max(len(c) for c in choices.values())
    best = process.extractOne(
        segment[: longest + 1], choices, scorer=fuzz.ratio, score_cutoff=CUTOFF_IN_COUNTY
    )
    if not best:
        return None
    return gaz.units[best[2]], best[1] / 100.0
