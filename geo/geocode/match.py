"""Matching address text against the gazetteer: exact → normalised → fuzzy → fallback.

One call:

1. **exact / normalised**: the normalised text (with or without the county prefix) is a
   standard address's full text → that address.
2. **outside the county**: the text names a county, prefecture or province the gazetteer
   does not hold (read with the national division table, or by suffix when that table is
   missing) → level ``none`` with the region it names. A look-alike village at home is
   never used instead.
3. **names**: every substring of the text is looked up in the name index (official names,
   names without suffix, 村委会 forms, aliases). A village whose township is also named wins;
   a village named with a township it does not belong to still wins when its name is
   specific (the township is the likelier slip) but scores lower. Two villages that fit
   equally (东山村 in 新城镇 and in 冶力关镇) make the result ambiguous: the level drops to
   what they share and the candidates are listed.
4. **fuzzy**: with no village name found, the words after the township are compared with
   rapidfuzz against the villages sharing a character bigram with them (of that township
   when one is named): typos and dropped characters.
5. **address**: inside the village, (group, number) or (road, number[, unit]) must match
   exactly; a house number alone counts only when it is unique in the village; a building
   without its unit, and the nearest number on the same road, as :mod:`lookup` says.
   Numbers are never matched fuzzily: 12号 for 13号 would put the case in the wrong house.
6. **landmarks**: with nothing finer than a township, a facility or landmark of the alias
   table named in the text (城关派出所, 县医院) gives its point, at its unit's level.
7. **fallback**: otherwise the finest unit recognised: the group (centroid of its
   addresses), the village centre, the township centre, the county.

Every result is then finished by :func:`geo.geocode.finish.finish`: the grid rule (a grid
only when the evidence places the case in one grid), names, the standard address text, the
calibrated score, conflict flags and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.geocode.build import (
    address_result,
    ambiguous_result,
    fill_unit,
    unit_result,
)
from geo.geocode.divisions import DivisionIndex, RegionMatch, load_divisions
from geo.geocode.finish import finish
from geo.geocode.fuzzy import Mention, fuzzy_township, fuzzy_village
from geo.geocode.gazetteer import ALL_AREAS, AddressEntry, Gazetteer, Landmark, Unit
from geo.geocode.lookup import AddressHit, building_hit, find_in_block, house_number
from geo.geocode.normalize import normalize
from geo.geocode.parse import VILLAGE_CENTRE_WORDS, parse_address, parse_tail, village_core
from geo.geocode.result import LEVELS, Candidate, Conflict, GeocodeResult

__all__ = ["LEVELS", "Candidate", "GeocodeResult", "Geocoder"]


class Geocoder:
    """Geocodes address text against one :class:`Gazetteer` (thread-safe: read only)."""

    def __init__(
        self, gazetteer: Gazetteer, *, divisions: DivisionIndex | bool | None = True
    ) -> None:
        self.gazetteer = gazetteer
        self.divisions = load_divisions() if divisions is True else (divisions or None)
        self._local_regions = self._regions_of_local_counties()
        self._county_spellings = {
            spelling
            for spelling, keys in gazetteer.names.items()
            for key in keys
            if key.level == "county"
        }

    def _regions_of_local_counties(self) -> set[tuple[str, str]]:
        regions: set[tuple[str, str]] = set()
        if self.divisions is None:
            return regions
        for code in self.gazetteer.county_codes:
            division = self.divisions.by_code(code)
            if division is not None:
                regions.add(("province", division.province))
                if division.prefecture:
                    regions.add(("prefecture", division.prefecture))
                regions.add(("county", division.name))
        return regions

    def _region(self, normal: str) -> RegionMatch | None:
        """The region the national table reads in ``normal`` (cached), or None."""
        if self.divisions is None:
            return None
        return self.divisions.recognise(normal, normalised=True)

    # -- public -------------------------------------------------------------------------

    def geocode(self, text: str | None) -> GeocodeResult:
        """Geocode one address text (see the module docstring for the steps)."""
        raw = "" if text is None else str(text)
        result = GeocodeResult(input=raw)
        normal = normalize(raw)
        if not normal:
            result.note = "empty address"
            return finish(self.gazetteer, result)
        exact = self._exact(normal)
        if exact is not None:
            address_result(
                self.gazetteer, result, AddressHit(exact, 1.0), score=1.0, method="exact"
            )
            return finish(self.gazetteer, result)
        mentions = self._mentions(normal)
        outside = self._outside(normal, mentions)
        if outside is not None:
            result.named_region, result.named_region_code = outside
            result.method = "outside"
            result.note = f"outside the gazetteer: names {outside[0]}"
            return finish(self.gazetteer, result)
        landmark, span = self._landmark(normal)
        if landmark is not None:
            # the landmark's own words (新城派出所) name no village: read the rest without them
            rest = _cut(normal, [span])
            result = self._resolve(result, rest, self._mentions(rest))
            coarse = result.level in ("township", "county", "none") and not result.ambiguous
            if coarse and self._fits(landmark, result):
                result = self._landmark_result(GeocodeResult(input=raw), landmark)
            return finish(self.gazetteer, result)
        result = self._resolve(result, normal, mentions)
        return finish(self.gazetteer, result)

    def geocode_many(self, texts: Iterable[str | None]) -> list[GeocodeResult]:
        """Geocode each text (identical texts are geocoded once)."""
        cache: dict[str | None, GeocodeResult] = {}
        out = []
        for text in texts:
            if text not in cache:
                cache[text] = self.geocode(text)
            out.append(cache[text])
        return out

    # -- steps --------------------------------------------------------------------------

    def _exact(self, normal: str) -> AddressEntry | None:
        hits = self.gazetteer.full_texts.get(normal)
        if hits is None and len(self.gazetteer.county_codes) == 1:
            # one county: its name may be left out (with many, the text must say which)
            for spelling in self._county_spellings:
                if not normal.startswith(spelling):
                    hits = self.gazetteer.full_texts.get(spelling + normal)
                    if hits:
                        break
        return hits[0] if hits and len(hits) == 1 else None

    def _mentions(self, text: str) -> list[Mention]:
        names = self.gazetteer.names
        found: list[Mention] = []
        position = 0
        while position < len(text):
            for length in self.gazetteer.name_lengths.get(text[position : position + 2], ()):
                if position + length > len(text):
                    continue
                keys = names.get(text[position : position + length])
                if keys:
                    found.append(Mention(position, position + length, keys))
                    position += length
                    break
            else:
                position += 1
        return found

    def _outside(self, normal: str, mentions: list[Mention]) -> tuple[str, str | None] | None:
        """The region named when the text points outside the gazetteer, else None."""
        if self.divisions is None:
            county = parse_address(normal).county
            if county and normalize(county) not in self._county_spellings:
                return county, None
            return None
        region = self._region(normal)
        if region is None or region.level is None:
            return None
        length = region.end - region.start
        overlaps = any(
            m.start < region.end
            and region.start < m.end
            and (not region.full or m.end - m.start >= length)
            for m in mentions
        )
        if overlaps or not (region.full or region.support):
            # A short name (路南, 镇巴) that nothing supports, or a name that runs into a
            # longer local one, is a piece of a street or village name, not a county.
            return None
        if region.level == "county":
            name = region.county
            if region.code and region.code[:6] in self.gazetteer.county_codes:
                return None
            if ("county", name) in self._local_regions or normalize(name) in self._county_spellings:
                return None
            return name, region.code[:6] if region.code else None
        name = region.prefecture if region.level == "prefecture" else region.province
        if name is None or (region.level, name) in self._local_regions:
            return None
        if region.start != 0 or not self._local_regions:
            return None
        return name, region.code

    def _resolve(self, result: GeocodeResult, text: str, mentions: list[Mention]) -> GeocodeResult:
        gaz = self.gazetteer
        counties = {k.code for m in mentions for k in m.keys if k.level == "county"}
        townships: dict[str, float] = {}
        for m in mentions:
            for k in m.keys:
                if k.level == "township":
                    townships[k.code] = max(townships.get(k.code, 0.0), k.strength)
        if any(s >= 1.0 for s in townships.values()):
            # a township written with its suffix outranks a bare name that may be part of a
            # village name (术布乡古战山村: 古战 is not 古战镇 here)
            townships = {c: s for c, s in townships.items() if s >= 1.0}
        village_hits = [(m, k) for m in mentions for k in m.keys if k.level == "village"]
        township_spans = [
            (m.start, m.end) for m in mentions if any(k.code in townships for k in m.keys)
        ]
        apart = [
            (m, k) for m, k in village_hits
            if not any(m.start < end and start < m.end for start, end in township_spans)
        ]  # fmt: skip
        if apart:
            # a name read as the township (新城, 古战) is not also a village when another
            # village is named: 新城吴家沟 is 吴家沟 in 新城镇, not 新城社区
            village_hits = apart
        if counties:
            townships = {
                c: s for c, s in townships.items() if gaz.units[c].county_code in counties
            } or townships
        used_spans = [
            (m.start, m.end) for m in mentions if any(k.level != "village" for k in m.keys)
        ]
        score = 1.0
        method = "parsed"
        village: Unit | None = None
        village_span: tuple[int, int] | None = None
        if village_hits:
            ranked = []
            for mention, key in village_hits:
                unit = gaz.units[key.code]
                support = key.strength + (1.0 if unit.parent_code in townships else 0.0)
                support += 0.5 if unit.county_code in counties else 0.0
                ranked.append((support, mention, key, unit))
            ranked.sort(key=lambda item: item[0], reverse=True)
            best_support = ranked[0][0]
            tied = [r for r in ranked if r[0] == best_support]
            if len({r[3].code for r in tied}) > 1:
                return self._ambiguous(result, text, [r[3] for r in tied], ranked[0][1])
            support, mention, key, unit = ranked[0]
            township_conflict = bool(townships) and unit.parent_code not in townships
            specific = key.strength >= 1.0 or len(village_core(unit.name)) >= 3
            if township_conflict and not specific:
                village = None
            else:
                village, village_span = unit, (mention.start, mention.end)
                score *= key.strength
                # not a field: finish() reads it, as_dict() leaves it out
                result._bare_name = key.strength < 1.0 and not townships
                if township_conflict:
                    score *= 0.85
                    result.note = "village does not belong to the township named"
                    result.conflicts.append(self._admin_conflict(townships, unit))
        if village is None:
            fuzzy = fuzzy_village(
                gaz, text, mentions, townships=townships, counties=counties,
                region=self._region(text),
            )  # fmt: skip
            if fuzzy is not None:
                village, village_span, ratio = fuzzy
                score *= ratio
                method = "fuzzy"
        if village is not None:
            spans = [*used_spans, village_span] if village_span else used_spans
            return self._within_village(result, text, village, spans, score, method)
        if townships:
            best = max(townships, key=townships.get)
            street = self._street(result, text, used_spans, [best], townships[best] * 0.95)
            if street is not None:
                return street
            if len([c for c, s in townships.items() if s == townships[best]]) > 1:
                return self._ambiguous(result, text, [gaz.units[c] for c in townships], mentions[0])
            return unit_result(result, gaz.units[best], townships[best], method)
        township_guess = fuzzy_township(
            gaz, text, mentions, counties=counties, region=self._region(text)
        )
        if township_guess is not None:
            unit, ratio = township_guess
            return unit_result(result, unit, ratio, "fuzzy")
        # a street address unique in the county; less sure when the county is not named
        street = self._street(
            result, text, used_spans, sorted(counties) or [ALL_AREAS], 0.9 if counties else 0.7
        )
        if street is not None:
            return street
        if counties:
            return unit_result(result, gaz.units[sorted(counties)[0]], 1.0, method)
        region = self._region(text)
        if region is not None and region.county_code in gaz.county_codes:
            return unit_result(result, gaz.units[region.county_code], 0.9, method)
        result.note = "no place of the gazetteer recognised"
        return result

    def _admin_conflict(self, townships: dict[str, float], village: Unit) -> Conflict:
        named = "、".join(self.gazetteer.units[c].short for c in townships)
        actual = self.gazetteer.unit(village.parent_code)
        actual_name = actual.short if actual else "?"
        return Conflict(
            kind="admin",
            named=named,
            matched=f"{actual_name}{village.short}",
            message=(
                f"文字写的是{named}，但{village.short}属于{actual_name} / "
                f"the text names {named}, but {village.short} is in {actual_name}"
            ),
        )

    def _within_village(
        self,
        result: GeocodeResult,
        text: str,
        village: Unit,
        spans: list[tuple[int, int] | None],
        score: float,
        method: str,
    ) -> GeocodeResult:
        tail = _cut(text, [s for s in spans if s])
        parsed = parse_tail(tail)
        hit = find_in_block(self.gazetteer.village_block(village.code), parsed)
        if hit is not None:
            return address_result(
                self.gazetteer, result, hit, score=score * hit.factor, method=method
            )
        block = self.gazetteer.village_block(village.code)
        if parsed.group is not None and block is not None and parsed.group in block.groups:
            lon, lat, grid = block.groups[parsed.group]
            fill_unit(result, village, score * 0.95, method)
            result.level, result.group = "group", parsed.group
            result.lon, result.lat, result.grid_code = lon, lat, grid
            return result
        at_centre = any(w in parsed.landmarks for w in VILLAGE_CENTRE_WORDS)
        return unit_result(result, village, score * (1.0 if at_centre else 0.9), method)

    def _street(
        self,
        result: GeocodeResult,
        text: str,
        spans: list[tuple[int, int]],
        areas: list[str],
        score: float,
    ) -> GeocodeResult | None:
        """A street address (road + number [+ unit]) in ``areas``; several → ambiguous."""
        parsed = parse_tail(_cut(text, spans))
        number = house_number(parsed)
        if not parsed.road or number is None:
            return None
        unit = parsed.unit if parsed.number is None else (parsed.unit or parsed.building)
        hits: list[AddressEntry] = []
        for code in areas:
            block = self.gazetteer.village_block(code)
            if block is not None:
                hits += block.by_road_number.get((parsed.road, number), [])
        if not hits:
            return None
        found = building_hit(hits, unit, 1.0)
        if found is not None:
            return address_result(self.gazetteer, result, found, score=score, method="street")
        villages = {h.village_code: h for h in hits if unit is None or h.unit == unit}
        if len(villages) > 1:
            units = [self.gazetteer.units[c] for c in villages if c in self.gazetteer.units]
            return self._ambiguous(result, text, units, None, tail=parsed)
        return None

    # -- landmarks ----------------------------------------------------------------------

    def _landmark(self, text: str) -> tuple[Landmark | None, tuple[int, int]]:
        """The longest landmark spelling found in ``text`` and its span, or (None, (0, 0))."""
        marks = self.gazetteer.landmarks
        for length in self.gazetteer.landmark_lengths:
            for start in range(0, len(text) - length + 1):
                found = marks.get(text[start : start + length])
                if found is not None:
                    return found, (start, start + length)
        return None, (0, 0)

    def _fits(self, landmark: Landmark, result: GeocodeResult) -> bool:
        """A landmark agrees with the township or county the text named (if any)."""
        unit = self.gazetteer.units[landmark.unit_code]
        township = unit.code if unit.level == "township" else unit.parent_code
        if result.level == "township":
            return township == result.township_code
        return result.level in ("county", "none")

    def _landmark_result(self, result: GeocodeResult, landmark: Landmark) -> GeocodeResult:
        unit = self.gazetteer.units[landmark.unit_code]
        fill_unit(result, unit, 0.8, "landmark")
        result.lon, result.lat = landmark.lon, landmark.lat
        result.standard_address = landmark.name
        return result

    def _ambiguous(
        self,
        result: GeocodeResult,
        text: str,
        units: list[Unit],
        mention: Mention | None,
        *,
        tail=None,
    ) -> GeocodeResult:
        if tail is None:
            span = [(mention.start, mention.end)] if mention else []
            tail = parse_tail(_cut(text, span))
        return ambiguous_result(self.gazetteer, result, units, tail)


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` replaced by a space (so the rest reads in any order)."""
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)
