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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.geocode.divisions import prefix_lengths
from geo.geocode.normalize import normalize
from geo.geocode.parse import parse_tail, township_core, village_core

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


@dataclass
class Unit:
    """A county, township or village with the point and grid a fallback result uses."""

    code: str
    level: str
    name: str
    parent_code: str | None
    county_code: str
    lon: float | None = None
    lat: float | None = None
    grid_code: str | None = None

    @property
    def short(self) -> str:
        """Name without the committee suffix (范家咀村民委员会 → 范家咀村)."""
        name = normalize(self.name)
        if self.level == "village":
            core = village_core(self.name)
            return core + ("社区" if "社区" in name or "居委会" in name else "村")
        return name


@dataclass
class AddressEntry:
    """One standard address as the matcher sees it."""

    code: str
    county_code: str
    township_code: str | None
    village_code: str | None
    group: int | None
    road: str | None
    number: str | None
    unit: str | None
    lon: float
    lat: float
    grid_code: str | None


@dataclass
class VillageBlock:
    """The addresses of one village, keyed the ways a query can name them.

    Townships and counties have a block too, holding only their street addresses.
    """

    by_group_number: dict[tuple[int, str], list[AddressEntry]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_road_number: dict[tuple[str, str], list[AddressEntry]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_number: dict[str, list[AddressEntry]] = field(default_factory=lambda: defaultdict(list))
    groups: dict[int, tuple[float, float, str | None]] = field(default_factory=dict)
    roads: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class NameKey:
    """One spelling of a unit in the name index."""

    code: str
    level: str
    strength: float  # 1.0 for a name with its suffix, less for a bare core


def name_grams(text: str) -> set[str]:
    """Adjacent and skip bigrams (西环路 → 西环, 环路, 西_路): a typo in the middle of a
    three-character name still leaves one gram shared with the right name."""
    grams = {text[i : i + 2] for i in range(len(text) - 1)}
    grams |= {text[i] + "_" + text[i + 2] for i in range(len(text) - 2)}
    return grams


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
            grid = Counter(m.grid_code for m in members).most_common(1)[0][0]
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
        version: tuple = (),
    ) -> Gazetteer:
        """Build from plain frames (database rows or the demo generator's output).

        ``admin_units``: code, level, name, parent_code, county_code[, aliases].
        ``addresses``: code, county_code, township_code, village_code, full_text, group_no,
        lon, lat, grid_code[, township, village]: the parts after the village (road, number,
        unit) are read from ``full_text`` by the same parser as queries, so both agree.
        ``centres``: admin_code, lon, lat[, grid_code] — the village committee or township
        government point a fallback result lands on (else the mean of the unit's addresses).
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
        aliases: dict[str, list[str]] = defaultdict(list)
        if "aliases" in admin_units.columns:
            for code, names in zip(admin_units["code"], admin_units["aliases"], strict=True):
                if isinstance(names, list | tuple | np.ndarray) and len(names):
                    aliases[str(code)].extend(str(n) for n in names)
        if "short_name" in admin_units.columns:
            for code, short in zip(admin_units["code"], admin_units["short_name"], strict=True):
                if isinstance(short, str) and short:
                    aliases[str(code)].append(short)
        by_code = {u.code: u for u in units}
        # Millions of small acyclic objects: the cyclic collector would rescan them all again
        # and again while they are made (measured: a quarter of the build time at 1 M).
        collecting = gc.isenabled()
        gc.disable()
        try:
            entries, full_texts = _address_entries(addresses, by_code)
            _place_units(units, entries, centres)
            return cls(units, entries, aliases=aliases, full_texts=full_texts, version=version)
        finally:
            if collecting:
                gc.enable()


def _column(frame: pd.DataFrame, name: str) -> list:
    """A column as a plain list with missing values as None (fast to iterate)."""
    if name not in frame.columns:
        return [None] * len(frame)
    values = frame[name].astype(object).tolist()
    return [None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v
            for v in values]  # fmt: skip


def _address_entries(
    addresses: pd.DataFrame, units: dict[str, Unit]
) -> tuple[list[AddressEntry], dict[str, list[AddressEntry]]]:
    entries: list[AddressEntry] = []
    full_texts: dict[str, list[AddressEntry]] = defaultdict(list)
    spellings: dict[str, tuple[str, ...]] = {}
    columns = [
        _column(addresses, name)
        for name in ("code", "county_code", "township_code", "village_code", "full_text",
                     "group_no", "lon", "lat", "grid_code")
    ]  # fmt: skip
    for code, county, township, village_code, full, group, lon, lat, grid in zip(
        *columns, strict=True
    ):
        text = normalize(full)
        village = units.get(str(village_code)) if village_code is not None else None
        tail = text
        if village is not None:
            if village.code not in spellings:
                spellings[village.code] = (
                    village.short, normalize(village.name), village_core(village.name)
                )  # fmt: skip
            for spelling in spellings[village.code]:
                cut = text.find(spelling)
                if cut >= 0:
                    tail = text[cut + len(spelling) :]
                    break
        parsed = parse_tail(tail)
        entry = AddressEntry(
            code=str(code),
            county_code=str(county),
            township_code=None if township is None else str(township),
            village_code=None if village is None else village.code,
            group=int(group) if group is not None else parsed.group,
            road=parsed.road,
            number=parsed.number,
            unit=parsed.unit or parsed.building,
            lon=float(lon),
            lat=float(lat),
            grid_code=None if grid is None else str(grid),
        )
        entries.append(entry)
        full_texts[text].append(entry)
    return entries, dict(full_texts)


def _place_units(
    units: list[Unit], entries: list[AddressEntry], centres: pd.DataFrame | None
) -> None:
    """Give every unit the point (and grid) a fallback result at its level lands on."""
    by_code = {u.code: u for u in units}
    if centres is not None and len(centres):
        for row in centres.itertuples(index=False):
            unit = by_code.get(str(row.admin_code))
            if unit is not None and unit.lon is None:
                unit.lon, unit.lat = float(row.lon), float(row.lat)
                grid = getattr(row, "grid_code", None)
                unit.grid_code = None if grid is None or pd.isna(grid) else str(grid)
    members: dict[str, list[AddressEntry]] = defaultdict(list)
    for entry in entries:
        for code in (entry.village_code, entry.township_code, entry.county_code):
            if code:
                members[code].append(entry)
    for unit in units:
        if unit.lon is not None or not members.get(unit.code):
            continue
        points = members[unit.code]
        lon = float(np.mean([p.lon for p in points]))
        lat = float(np.mean([p.lat for p in points]))
        nearest = min(points, key=lambda p: (p.lon - lon) ** 2 + (p.lat - lat) ** 2)
        unit.lon, unit.lat = lon, lat
        unit.grid_code = nearest.grid_code
