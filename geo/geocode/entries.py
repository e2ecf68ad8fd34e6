"""The records the gazetteer is made of: units, standard addresses, landmarks, blocks, keys."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from geo.geocode.normalize import normalize
from geo.geocode.parse import village_core


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
    text: str | None = None


@dataclass
class Landmark:
    """A named place (a facility, or a landmark row of the alias table) inside one unit."""

    name: str
    unit_code: str
    lon: float
    lat: float


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

    _on_road: dict[str, list[tuple[int, AddressEntry]]] | None = None

    def numbers_on(self, road: str) -> list[tuple[int, AddressEntry]]:
        """The addresses on ``road`` with a plain house number, by number (built once)."""
        if self._on_road is None:
            on_road: dict[str, list[tuple[int, AddressEntry]]] = defaultdict(list)
            for (name, number), entries in self.by_road_number.items():
                if number.isdigit():
                    on_road[name].extend((int(number), e) for e in entries)
            for items in on_road.values():
                items.sort(key=lambda item: (item[0], item[1].unit or ""))
            self._on_road = dict(on_road)
        return self._on_road.get(road, [])


@dataclass(frozen=True)
class NameKey:
    """One spelling of a unit in the name index."""

    code: str
    level: str
    strength: float  # 1.0 for a name with its suffix, less for a bare core
