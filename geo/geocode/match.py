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
   exactly; a house number alone counts only when it is unique in the village. Numbers are
   never matched fuzzily: 12号 for 13号 would put the case in the wrong house.
6. **fallback**: otherwise the finest unit recognised: the group (centroid of its
   addresses), the village centre, the township centre, the county.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from geo.geocode.divisions import DivisionIndex, RegionMatch, load_divisions
from geo.geocode.fuzzy import Mention, fuzzy_township, fuzzy_village
from geo.geocode.gazetteer import ALL_AREAS, AddressEntry, Gazetteer, Unit
from geo.geocode.normalize import normalize
from geo.geocode.parse import VILLAGE_CENTRE_WORDS, parse_address, parse_tail, village_core
from geo.geocode.result import LEVELS, Candidate, GeocodeResult

__all__ = ["LEVELS", "Candidate", "GeocodeResult", "Geocoder"]

_ROAD_CUTOFF = 80.0


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
            return result
        exact = self._exact(normal)
        if exact is not None:
            return self._address_result(result, exact, score=1.0, method="exact")
        mentions = self._mentions(normal)
        outside = self._outside(normal, mentions)
        if outside is not None:
            result.named_region, result.named_region_code = outside
            result.method = "outside"
            result.note = f"outside the gazetteer: names {outside[0]}"
            return result
        return self._resolve(result, normal, mentions)

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
                if township_conflict:
                    score *= 0.85
                    result.note = "village does not belong to the township named"
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
            street = self._street_address(text, used_spans, [best])
            if street is not None:
                return self._address_result(
                    result, street, score=townships[best] * 0.95, method="street"
                )
            if len([c for c, s in townships.items() if s == townships[best]]) > 1:
                return self._ambiguous(result, text, [gaz.units[c] for c in townships], mentions[0])
            return self._unit_result(result, gaz.units[best], townships[best], method)
        township_guess = fuzzy_township(
            gaz, text, mentions, counties=counties, region=self._region(text)
        )
        if township_guess is not None:
            unit, ratio = township_guess
            return self._unit_result(result, unit, ratio, "fuzzy")
        street = self._street_address(text, used_spans, sorted(counties) or [ALL_AREAS])
        if street is not None:
            # a street address unique in the county; less sure when the county is not named
            score = 0.9 if counties else 0.7
            return self._address_result(result, street, score=score, method="street")
        if counties:
            return self._unit_result(result, gaz.units[sorted(counties)[0]], 1.0, method)
        region = self._region(text)
        if region is not None and region.county_code in gaz.county_codes:
            return self._unit_result(result, gaz.units[region.county_code], 0.9, method)
        result.note = "no place of the gazetteer recognised"
        return result

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
        entry, factor = self._find_address(village, parsed)
        if entry is not None:
            return self._address_result(result, entry, score=score * factor, method=method)
        block = self.gazetteer.village_block(village.code)
        if parsed.group is not None and block is not None and parsed.group in block.groups:
            lon, lat, grid = block.groups[parsed.group]
            self._fill_unit(result, village, score * 0.95, method)
            result.level, result.group = "group", parsed.group
            result.lon, result.lat, result.grid_code = lon, lat, grid
            return result
        at_centre = any(w in parsed.landmarks for w in VILLAGE_CENTRE_WORDS)
        return self._unit_result(result, village, score * (1.0 if at_centre else 0.9), method)

    def _street_address(
        self, text: str, spans: list[tuple[int, int]], areas: list[str]
    ) -> AddressEntry | None:
        """A street address (road + number [+ unit]) unique in one of ``areas``."""
        parsed = parse_tail(_cut(text, spans))
        if not parsed.road or parsed.number is None:
            return None
        found = []
        for code in areas:
            entry, factor = self._find_in_block(code, parsed)
            if entry is not None and factor >= 1.0:
                found.append(entry)
        return found[0] if len(found) == 1 else None

    def _find_address(self, village: Unit, parsed) -> tuple[AddressEntry | None, float]:
        return self._find_in_block(village.code, parsed)

    def _find_in_block(self, code: str, parsed) -> tuple[AddressEntry | None, float]:
        block = self.gazetteer.village_block(code)
        if block is None or parsed.number is None:
            return None, 0.0
        unit = parsed.unit or parsed.building
        if parsed.group is not None:
            hits = block.by_group_number.get((parsed.group, parsed.number), [])
            return (hits[0], 1.0) if len(hits) == 1 else (None, 0.0)
        if parsed.road:
            road, factor = parsed.road, 1.0
            if road not in block.roads and block.roads:
                best = process.extractOne(
                    road, block.roads, scorer=fuzz.ratio, score_cutoff=_ROAD_CUTOFF
                )
                if best is None:
                    return None, 0.0
                road, factor = best[0], best[1] / 100.0
            hits = block.by_road_number.get((road, parsed.number), [])
            if unit is not None and len(hits) > 1:
                hits = [h for h in hits if h.unit == unit]
            return (hits[0], factor) if len(hits) == 1 else (None, 0.0)
        hits = block.by_number.get(parsed.number, [])
        if unit is not None and len(hits) > 1:
            hits = [h for h in hits if h.unit == unit]
        return (hits[0], 0.85) if len(hits) == 1 else (None, 0.0)

    # -- results ------------------------------------------------------------------------

    def _fill_unit(self, result: GeocodeResult, unit: Unit, score: float, method: str) -> None:
        gaz = self.gazetteer
        result.level = unit.level
        result.score = round(min(max(score, 0.0), 1.0), 3)
        result.method = method
        result.county_code = unit.county_code
        if unit.level == "village":
            result.village_code = unit.code
            result.township_code = unit.parent_code
        elif unit.level == "township":
            result.township_code = unit.code
        result.lon, result.lat, result.grid_code = unit.lon, unit.lat, unit.grid_code
        if unit.level == "township" and gaz.units.get(unit.code) is None:
            result.note = "unknown township"

    def _unit_result(
        self, result: GeocodeResult, unit: Unit, score: float, method: str
    ) -> GeocodeResult:
        self._fill_unit(result, unit, score, method)
        return result

    def _address_result(
        self, result: GeocodeResult, entry: AddressEntry, *, score: float, method: str
    ) -> GeocodeResult:
        result.level = "address"
        result.score = round(min(max(score, 0.0), 1.0), 3)
        result.method = method
        result.address_code = entry.code
        result.grid_code = entry.grid_code
        result.lon, result.lat = entry.lon, entry.lat
        result.county_code = entry.county_code
        result.township_code = entry.township_code
        result.village_code = entry.village_code
        result.group = entry.group
        return result

    def _ambiguous(
        self, result: GeocodeResult, text: str, units: list[Unit], mention: Mention
    ) -> GeocodeResult:
        gaz = self.gazetteer
        units = list({u.code: u for u in units}.values())
        tail = parse_tail(_cut(text, [(mention.start, mention.end)]))
        for unit in units:
            entry = None
            if unit.level == "village":
                entry, _ = self._find_address(unit, tail)
            parent = gaz.unit(unit.parent_code)
            result.candidates.append(
                Candidate(
                    level="address" if entry else unit.level,
                    code=unit.code,
                    name=unit.name,
                    township=parent.name if parent and unit.level == "village" else None,
                    address_code=entry.code if entry else None,
                    grid_code=entry.grid_code if entry else unit.grid_code,
                    lon=entry.lon if entry else unit.lon,
                    lat=entry.lat if entry else unit.lat,
                )
            )
        shared = _shared_parent(gaz, units)
        if shared is not None:
            self._fill_unit(result, shared, 0.5, "ambiguous")
        else:
            result.method = "ambiguous"
        result.ambiguous = True
        result.score = 0.5 if shared is not None else 0.0
        result.note = "ambiguous: " + ", ".join(
            f"{c.township or ''}{c.name}" for c in result.candidates
        )
        return result


def _shared_parent(gaz: Gazetteer, units: list[Unit]) -> Unit | None:
    """The finest unit containing all of ``units`` (a township, or the county)."""
    parents = {u.parent_code for u in units}
    if len(parents) == 1:
        parent = gaz.unit(parents.pop())
        if parent is not None:
            return parent
    counties = {u.county_code for u in units}
    return gaz.unit(counties.pop()) if len(counties) == 1 else None


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` replaced by a space (so the rest reads in any order)."""
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)
