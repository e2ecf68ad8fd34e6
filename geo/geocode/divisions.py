"""China's province / prefecture / county names, for reading the region an address names.

The county gazetteer knows its own townships and villages; this table knows every county in
the country, so that "甘肃省卓尼县柳林镇" is recognised as another county (and refused)
rather than matched to a look-alike village at home, and so that the parse can be compared
with cpca and jionlp on addresses from anywhere.

Data: ``data/cn_divisions.tsv`` and ``data/cn_division_changes.tsv``, derived from the
jionlp 1.5.31 dictionary (Apache-2.0, see ``data/NOTICE``). Nothing else depends on the
files: :func:`load_divisions` returns ``None`` when they are absent and the geocoder then
falls back to suffix parsing.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from geo.geocode.normalize import normalize

DATA_DIR = Path(__file__).parent / "data"
# Placeholders the source uses where a county has no prefecture above it.
_NO_PREFECTURE = {"省直辖行政区划", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_LEVEL_RANK = {"province": 1, "prefecture": 2, "county": 3}
# A short name followed by one of these is part of a smaller place's name (新城镇, 重庆路).
_NOT_AFTER_SHORT = tuple("镇乡村街路巷道社组号寺沟庄")


@dataclass(frozen=True)
class Division:
    """One province, prefecture or county with the names of its parents."""

    level: str
    name: str
    code: str
    province: str
    prefecture: str | None
    county: str | None


@dataclass(frozen=True)
class RegionMatch:
    """The region a text names: the finest unit found and its parents (names are official)."""

    province: str | None
    prefecture: str | None
    county: str | None
    code: str | None
    level: str | None
    start: int = -1
    end: int = -1
    full: bool = False  # named by its full name (卓尼县), not a short form (卓尼)
    support: int = 0  # how many of its parents the text also names

    @property
    def county_code(self) -> str | None:
        """Six-digit county code when the match is a county."""
        return self.code[:6] if self.level == "county" and self.code else None


@dataclass(frozen=True)
class _Key:
    division: Division
    full: bool


class DivisionIndex:
    """Name → division lookup with a chain resolver (see :meth:`recognise`)."""

    def __init__(
        self, divisions: list[Division], aliases: list[tuple[str, Division, bool]]
    ) -> None:
        self.divisions = divisions
        self._keys: dict[str, list[_Key]] = {}
        by_name: dict[tuple[str, str | None, str | None], Division] = {}
        for division in divisions:
            by_name[(division.province, division.prefecture, division.county)] = division
        self._by_code = {d.code: d for d in divisions if d.code}
        for division in divisions:
            self._add(normalize(division.name), division, full=True)
        for name, division, full in aliases:
            self._add(normalize(name), division, full=full)
        self._lengths_at = prefix_lengths(self._keys)
        self._by_chain = by_name

    def _add(self, key: str, division: Division, *, full: bool) -> None:
        if len(key) < 2:
            return
        entries = self._keys.setdefault(key, [])
        if all(e.division != division for e in entries):
            entries.append(_Key(division, full))

    def by_code(self, code: str) -> Division | None:
        """Division with this code (6 digits for a county)."""
        return self._by_code.get(code)

    def mentions(self, text: str) -> list[tuple[int, int, list[_Key]]]:
        """Non-overlapping name mentions in normalised ``text``, longest first at each start."""
        found: list[tuple[int, int, list[_Key]]] = []
        position = 0
        while position < len(text):
            for length in self._lengths_at.get(text[position : position + 2], ()):
                key = text[position : position + length]
                entries = self._keys.get(key)
                if entries and len(key) == length:
                    following = text[position + length : position + length + 1]
                    usable = [
                        e
                        for e in entries
                        if e.full or following not in _NOT_AFTER_SHORT or not following
                    ]
                    if usable:
                        found.append((position, position + length, usable))
                        position += length
                        break
            else:
                position += 1
        return found

    def recognise(self, text: str, *, normalised: bool = False) -> RegionMatch | None:
        """The region ``text`` names: the best-supported unit and its parents.

        Each candidate unit scores by how many of its parents are also named, then by
        level (a county beats a prefecture), then by full name, then by position. A short
        name shared by a prefecture and one of its counties (湘潭) reads as the prefecture.
        A county name shared by several prefectures with nothing to tell them apart (西湖区)
        gives the county alone without parents.
        """
        return self._recognise_normalised(text if normalised else normalize(text))

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one index per process, kept for its life
    def _recognise_normalised(self, text: str) -> RegionMatch | None:
        mentions = self.mentions(text)
        if not mentions:
            return None
        named = [(e.division.level, e.division.name, s) for s, _, ks in mentions for e in ks]
        scored: list[tuple[tuple, Division, int, int]] = []
        for start, end, keys in mentions:
            short_prefecture = any(k.division.level == "prefecture" for k in keys)
            for key in keys:
                division = key.division
                if division.level == "county" and not key.full and short_prefecture:
                    continue
                parents = {("province", division.province)}
                if division.level == "county":
                    parents.add(("prefecture", division.prefecture))
                if division.level == "province":
                    parents = set()
                support = len({(lv, nm) for lv, nm, s in named if s != start} & parents)
                # A short name after a region it does not belong to is most likely a
                # word of the street address (重庆解放碑 is not 焦作's 解放区).
                contradicted = not key.full and any(
                    s < start and lv != "county" and (lv, nm) not in parents for lv, nm, s in named
                )
                level = _LEVEL_RANK[division.level]
                rank = (support, -int(contradicted), level, int(key.full), -start)
                scored.append((rank, division, start, end))
        if not scored:
            return None
        scored.sort(key=lambda item: item[0], reverse=True)
        best = scored[0]
        rank, division, start, end = best
        rivals = [
            d
            for r, d, s, _ in scored[1:]
            if r == rank and s == start and d.level == division.level and d != division
        ]
        if rivals:
            return RegionMatch(
                province=None,
                prefecture=None,
                county=division.name if division.level == "county" else None,
                code=None,
                level=division.level,
                start=start,
                end=end,
                full=bool(rank[3]),
                support=rank[0],
            )
        county = division.county
        if division.level == "prefecture" and text[end : end + 3] == "市辖区":
            county = "市辖区"
        return RegionMatch(
            province=division.province,
            prefecture=None if division.prefecture in _NO_PREFECTURE else division.prefecture,
            county=county,
            code=division.code or None,
            level=division.level,
            start=start,
            end=end,
            full=bool(rank[3]),
            support=rank[0],
        )


def prefix_lengths(keys) -> dict[str, tuple[int, ...]]:
    """First two characters → lengths of the keys starting with them, longest first.

    Scanning a text then costs one dictionary look-up per position where no name starts,
    whatever the number of names.
    """
    lengths: dict[str, set[int]] = {}
    for key in keys:
        lengths.setdefault(key[:2], set()).add(len(key))
    return {head: tuple(sorted(found, reverse=True)) for head, found in lengths.items()}


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@functools.cache
def load_divisions(data_dir: Path = DATA_DIR) -> DivisionIndex | None:
    """The national division index, or ``None`` when the data files are not there."""
    table = data_dir / "cn_divisions.tsv"
    if not table.exists():
        return None
    divisions: list[Division] = []
    aliases: list[tuple[str, Division, bool]] = []
    chain: dict[tuple[str, str, str], Division] = {}
    for row in _read_tsv(table):
        level = row["level"]
        name = row[level]
        division = Division(
            level=level,
            name=name,
            code=row["code"],
            province=row["province"],
            prefecture=row["prefecture"] or None,
            county=row["county"] or None,
        )
        divisions.append(division)
        chain[(row["province"], row["prefecture"], row["county"])] = division
        for short in filter(None, row["short"].split("/")):
            if short != name:
                aliases.append((short, division, False))
        if level == "prefecture" and name.endswith("自治州"):
            for short in filter(None, row["short"].split("/")):
                aliases.append((short + "州", division, True))
    changes = data_dir / "cn_division_changes.tsv"
    if changes.exists():
        for row in _read_tsv(changes):
            target = chain.get((row["province"], row["prefecture"], row["county"]))
            if target is None:
                continue
            if row["old_county"]:
                aliases.append((row["old_county"], target, True))
            elif row["old_prefecture"]:
                aliases.append((row["old_prefecture"], target, True))
                if row["old_prefecture_short"]:
                    aliases.append((row["old_prefecture_short"], target, False))
    return DivisionIndex(divisions, aliases)
