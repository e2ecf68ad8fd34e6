"""The gazetteer: a county's (or province's) admin units and standard addresses in memory.

Why in memory and not in PostgreSQL: a geocoding call is a dozen dictionary look-ups and, at
worst, a fuzzy comparison against the few dozen villages of one township: about 0.15 ms in
process. A query to PostgreSQL costs a round trip even for an indexed equality (measured on
this machine: 2,600 queries/s on one connection, against 5,400 geocodes/s for the whole
in-memory matcher) and a pg_trgm similarity search over the 30,000 full texts manages about
50 queries/s, finding a candidate for only half of the noisy texts (whole-string trigram
similarity is diluted by the prefixes and suffixes people add or drop). Memory is small:
about 750 bytes per address, 23 MB for the 30,000-address county (the benchmark process
with a 1,000,000-address province and its source frames peaks at 1.6 GB). Figures:
``bench/geocode_throughput.py``. The database stays the source of truth:
:func:`geo.geocode.store.load_gazetteer` reads it and
:func:`geo.geocode.store.gazetteer_version` tells a cached copy when to reload.

Indexes, so that no call scans all addresses:

- ``names``: every spelling of every county, township and village (official name, name
  without suffix, with 村/社区/村委会 forms, aliases, old names) → units, with the key
  lengths per first two characters (``name_lengths``): scanning a query costs one look-up
  per position where no name starts, whatever the size of the gazetteer.
- ``bigrams``: adjacent and skip character bigrams → villages and townships, so that a fuzzy
  comparison (typos, dropped characters) only meets units sharing a gram with the query.
- per-village blocks: (group, number), (road, number) and number → addresses, plus each
  group's centroid and grid; per-township, per-county and gazetteer-wide street blocks
  (road, number) for street addresses written without their community.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd

from geo.geocode.divisions import prefix_lengths
from geo.geocode.entries import AddressEntry, Landmark, NameKey, Unit, VillageBlock
from geo.geocode.frames import address_entries, at_unit, landmark_spellings, place_units
from geo.geocode.normalize import normalize
from geo.geocode.parse import township_core, village_core

__all__ = ["ALL_AREAS", "AddressEntry", "Gazetteer", "Landmark", "NameKey", "Unit", "VillageBlock"]

# Old names and other spellings of Lintan units, by official code. They come from comparing
# the NBS 2023 list with jionlp's dictionary (see shared/data/lintan_admin_codes/README.md);
# the database column ``admin_unit.aliases`` adds more per county.
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    "623021100211": ("苏家庄村",),
    "623021102201": ("洪家庄村",),
    "623021101001": ("新城社区",),
    "623021200201": ("鹿儿台子村",),
    "623021100200": ("范家嘴村",),
}


# Key of the street block holding every street address of the gazetteer.
ALL_AREAS = "*"


def name_grams(text: str) -> set[str]:
    """Adjacent and skip bigrams (西环路 → 西环, 环路, 西_路): a typo in the middle of a
    three-character name still leaves one gram shared with the right name."""
    grams = {text[i : i + 2] for i in range(len(text) - 1)}
    grams |= {text[i] + "_" + text[i + 2] for i in range(len(text) - 2)}
    return grams


def family_variants(core: str) -> list[str]:
    """The spellings people use for a "X家" village: 苏家庄子 → 苏家庄, 苏家; 洪家 → 洪家庄."""
    for suffix in ("家庄子", "家庄", "家"):
        if core.endswith(suffix) and len(core) > len(suffix):
            stem = core.removesuffix(suffix)
            return [stem + s for s in ("家庄子", "家庄", "家") if s != suffix]
    return []


def _spellings(unit: Unit, aliases: Iterable[str]) -> list[tuple[str, float]]:
    """Every spelling of a unit with the strength of a match on it."""
    name = normalize(unit.name)
    out: list[tuple[str, float]] = [(name, 1.0)]
    if unit.level == "county":
        core = name.removesuffix("县").removesuffix("区").removesuffix("市").removesuffix("旗")
        if len(core) >= 2:
            out.append((core, 0.9))
    elif unit.level == "township":
        core = township_core(unit.name)
        for suffix in ("镇", "乡", "街道"):
            out.append((core + suffix, 1.0))
        if core != name:
            out.append((core, 0.9))
    else:
        core = village_core(unit.name)
        for suffix in ("村", "村村", "社区", "村委会", "村民委员会", "社区居委会", "居委会"):
            out.append((core + suffix, 1.0))
        if len(core) >= 2:
            out.append((core, 0.85))
        for variant in family_variants(core):
            # X家庄 ↔ X家 ↔ X家庄子: a shade weaker, so an official name always wins a tie
            out.append((variant + "村", 0.95))
    bare = {core} if unit.level != "county" else set()
    for alias in aliases:
        alias_n = normalize(alias)
        out.append((alias_n, 0.85 if alias_n in bare else 1.0))
        if unit.level == "village":
            alias_core = village_core(alias)
            if len(alias_core) >= 2:
                out.append((alias_core, 0.85))
                out.append((alias_core + "村", 1.0))
    return out


class Gazetteer:
    """Admin units and standard addresses with the indexes described in the module docstring."""

    def __init__(
        self,
        units: list[Unit],
        addresses: list[AddressEntry],
        *,
        aliases: dict[str, Iterable[str]] | None = None,
        full_texts: dict[str, list[AddressEntry]] | None = None,
        landmarks: Iterable[Landmark] = (),
        grid_names: dict[str, str] | None = None,
        version: tuple = (),
    ) -> None:
        self.units: dict[str, Unit] = {u.code: u for u in units}
        self.version = version
        self.county_codes = {u.code for u in units if u.level == "county"}
        all_aliases = {code: list(BUILTIN_ALIASES.get(code, ())) for code in self.units}
        for code, names in (aliases or {}).items():
            if code in all_aliases:
                all_aliases[code].extend(n for n in names if n)
        self.names: dict[str, list[NameKey]] = defaultdict(list)
        self.bigrams: dict[str, set[str]] = defaultdict(set)
        self.children: dict[str, list[str]] = defaultdict(list)
        for unit in units:
            if unit.parent_code:
                self.children[unit.parent_code].append(unit.code)
            for spelling, strength in _spellings(unit, all_aliases.get(unit.code, ())):
                keys = self.names[spelling]
                if all(k.code != unit.code for k in keys):
                    keys.append(NameKey(unit.code, unit.level, strength))
                elif strength > 0:
                    self.names[spelling] = [
                        NameKey(k.code, k.level, max(k.strength, strength))
                        if k.code == unit.code
                        else k
                        for k in keys
                    ]
            if unit.level in ("township", "village"):
                core = (village_core if unit.level == "village" else township_core)(unit.name)
                for gram in name_grams(core) or {core}:
                    self.bigrams[gram].add(unit.code)
        self.names = dict(self.names)
        self.name_lengths = prefix_lengths(self.names)
        self.blocks: dict[str, VillageBlock] = defaultdict(VillageBlock)
        self.full_texts: dict[str, list[AddressEntry]] = full_texts or {}
        self._index_addresses(addresses)
        self.blocks = dict(self.blocks)
        self.address_count = len(addresses)
        self.addresses_by_code = {a.code: a for a in addresses}
        self.grid_names = dict(grid_names or {})
        self.landmarks: dict[str, Landmark] = {}
        for landmark in landmarks:
            if landmark.unit_code in self.units:
                for spelling in landmark_spellings(landmark.name, self._county_names()):
                    self.landmarks.setdefault(spelling, landmark)
        self.landmark_lengths = sorted({len(k) for k in self.landmarks}, reverse=True)

    def _county_names(self) -> list[str]:
        return [normalize(self.units[c].name) for c in self.county_codes]

    def add_address_alias(self, alias: str, code: str) -> bool:
        """Let ``alias`` name the standard address ``code`` (False when no such address)."""
        entry = self.addresses_by_code.get(code)
        if entry is None or not normalize(alias):
            return False
        self.full_texts.setdefault(normalize(alias), []).append(entry)
        return True

    def _index_addresses(self, addresses: list[AddressEntry]) -> None:
        group_points: dict[tuple[str, int], list[AddressEntry]] = defaultdict(list)
        for entry in addresses:
            if entry.village_code is None:
                continue
            block = self.blocks[entry.village_code]
            if entry.number is not None:
                if entry.group is not None:
                    block.by_group_number[(entry.group, entry.number)].append(entry)
                if entry.road:
                    # streets run across communities: a street address is also looked up
                    # in the township and the county when the community is not named
                    for code in (entry.village_code, entry.township_code, entry.county_code,
                                 ALL_AREAS):  # fmt: skip
                        if code:
                            area = self.blocks[code]
                            area.by_road_number[(entry.road, entry.number)].append(entry)
                            area.roads.add(entry.road)
                block.by_number[entry.number].append(entry)
            if entry.group is not None:
                group_points[(entry.village_code, entry.group)].append(entry)
        for (village_code, group), members in group_points.items():
            lon = float(np.mean([m.lon for m in members]))
            lat = float(np.mean([m.lat for m in members]))
            grids = Counter(m.grid_code for m in members)
            # a group gives a grid only when all its houses lie in that one grid
            grid = next(iter(grids)) if len(grids) == 1 else None
            self.blocks[village_code].groups[group] = (lon, lat, grid)

    def unit(self, code: str | None) -> Unit | None:
        """The unit with this code, if any."""
        return self.units.get(code) if code else None

    def village_block(self, code: str) -> VillageBlock | None:
        """The address block of a village (or the street block of a township or county)."""
        return self.blocks.get(code)

    @classmethod
    def from_frames(
        cls,
        *,
        admin_units: pd.DataFrame,
        addresses: pd.DataFrame,
        centres: pd.DataFrame | None = None,
        aliases: pd.DataFrame | None = None,
        landmarks: pd.DataFrame | None = None,
        grid_names: dict[str, str] | None = None,
        version: tuple = (),
    ) -> Gazetteer:
        """Build from plain frames (database rows or the demo generator's output).

        ``admin_units``: code, level, name, parent_code, county_code[, aliases].
        ``addresses``: code, county_code, township_code, village_code, full_text, group_no,
        lon, lat, grid_code[, township, village]: the parts after the village (road, number,
        unit) are read from ``full_text`` by the same parser as queries, so both agree.
        ``centres``: admin_code, lon, lat[, grid_code] — the village committee or township
        government point a fallback result lands on (else the mean of the unit's addresses).
        ``aliases``: alias, target_code[, kind, lon, lat] — the county's alias table: a unit
        code adds a spelling of that unit, an address code a spelling of that address, a
        row with a point (or kind ``landmark``) a landmark in the target unit.
        ``landmarks``: name, admin_code, lon, lat — facilities (派出所, 卫生院 …).
        """
        units = [
            Unit(
                code=str(r.code),
                level=str(r.level),
                name=str(r.name),
                parent_code=None if pd.isna(r.parent_code) else str(r.parent_code),
                county_code=str(r.county_code),
            )
            for r in admin_units.itertuples(index=False)
        ]
        spellings: dict[str, list[str]] = defaultdict(list)
        if "aliases" in admin_units.columns:
            for code, names in zip(admin_units["code"], admin_units["aliases"], strict=True):
                if isinstance(names, list | tuple | np.ndarray) and len(names):
                    spellings[str(code)].extend(str(n) for n in names)
        if "short_name" in admin_units.columns:
            for code, short in zip(admin_units["code"], admin_units["short_name"], strict=True):
                if isinstance(short, str) and short:
                    spellings[str(code)].append(short)
        by_code = {u.code: u for u in units}
        marks = [
            Landmark(str(r.name), str(r.admin_code), float(r.lon), float(r.lat))
            for r in (landmarks if landmarks is not None else pd.DataFrame()).itertuples()
            if isinstance(r.admin_code, str) and r.admin_code in by_code
        ]
        address_aliases: list[tuple[str, str]] = []
        for row in (aliases if aliases is not None else pd.DataFrame()).itertuples():
            alias, target = str(row.alias), str(row.target_code)
            lon, lat = getattr(row, "lon", None), getattr(row, "lat", None)
            has_point = lon is not None and lat is not None and not pd.isna(lon)
            if target in by_code and (has_point or getattr(row, "kind", "") == "landmark"):
                unit = by_code[target]
                point = (float(lon), float(lat)) if has_point else (unit.lon, unit.lat)
                marks.append(Landmark(alias, target, *point))
            elif target in by_code:
                spellings[target].append(alias)
            else:
                address_aliases.append((alias, target))
        # Millions of small acyclic objects: the cyclic collector would rescan them all again
        # and again while they are made (measured: a quarter of the build time at 1 M).
        collecting = gc.isenabled()
        gc.disable()
        try:
            entries, full_texts = address_entries(addresses, by_code)
            place_units(units, entries, centres)
            marks = [m if m.lon is not None else at_unit(m, by_code) for m in marks]
            gazetteer = cls(
                units, entries, aliases=spellings, full_texts=full_texts,
                landmarks=[m for m in marks if m.lon is not None], grid_names=grid_names,
                version=version,
            )  # fmt: skip
            for alias, code in address_aliases:
                gazetteer.add_address_alias(alias, code)
            return gazetteer
        finally:
            if collecting:
                gc.enable()
