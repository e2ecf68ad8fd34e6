"""Finding a house inside a village (or along a street): number rules, buildings, neighbours.

Numbers are never matched fuzzily (12号 for 13号 would be the wrong house), but three
things people write are read:

- **a building without its unit** (振兴路3号 for 振兴路3号1单元 … 3单元): the building is
  found when its units all lie in one grid; the result names the building;
- **a building with 栋/号楼/幢 instead of 号** (振兴路3栋, 3号楼) reads as number 3;
- **a number the list does not hold** (振兴路5号 where only 3号 and 7号 exist): the nearest
  numbers on the same road and the same side (same parity) at most
  :data:`NEAR_NUMBER_GAP` numbers away, and at most :data:`NEAR_METRES` apart, give level
  ``address_near`` with their grid when they share one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from geo.geocode.gazetteer import AddressEntry, VillageBlock
from geo.geocode.parse import ParsedAddress

ROAD_CUTOFF = 80.0
NEAR_NUMBER_GAP = 6  # at most three houses on the same side of the road
NEAR_METRES = 150.0  # the neighbours on both sides must lie this close to each other
NEAR_FACTOR = 0.8


@dataclass
class AddressHit:
    """A house found for a text: the address itself, its building, or its neighbours."""

    entry: AddressEntry
    factor: float
    kind: str = "address"  # address | building | near
    neighbours: list[AddressEntry] = field(default_factory=list)
    grid_code: str | None = None
    gap: int | None = None

    def __post_init__(self) -> None:
        if self.kind == "address":
            self.grid_code = self.entry.grid_code


def metres(a: AddressEntry, b: AddressEntry) -> float:
    """Distance between two addresses (equirectangular: they are a few hundred metres apart)."""
    dx = (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, a.lat - b.lat) * 111_320.0


def house_number(parsed: ParsedAddress) -> str | None:
    """The house number written: 号, else a building number (3栋, 3号楼) with no 号."""
    if parsed.number is not None:
        return parsed.number
    return parsed.building if parsed.unit is not None or parsed.room is None else None


def find_in_block(block: VillageBlock | None, parsed: ParsedAddress) -> AddressHit | None:
    """The house ``parsed`` names inside one block, or None (see the module docstring)."""
    number = house_number(parsed)
    if block is None or number is None:
        return None
    unit = parsed.unit if parsed.number is None else (parsed.unit or parsed.building)
    if parsed.group is not None:
        hits = block.by_group_number.get((parsed.group, number), [])
        return AddressHit(hits[0], 1.0) if len(hits) == 1 else None
    if parsed.road:
        road, factor = parsed.road, 1.0
        if road not in block.roads and block.roads:
            best = process.extractOne(
                road, block.roads, scorer=fuzz.ratio, score_cutoff=ROAD_CUTOFF
            )
            if best is None:
                return None
            road, factor = best[0], best[1] / 100.0
        hits = block.by_road_number.get((road, number), [])
        if not hits:
            return nearest_number(block, road, number, factor)
        return building_hit(hits, unit, factor)
    hits = block.by_number.get(number, [])
    if unit is not None and len(hits) > 1:
        hits = [h for h in hits if h.unit == unit]
    return AddressHit(hits[0], 0.85) if len(hits) == 1 else None


def building_hit(hits: list[AddressEntry], unit: str | None, factor: float) -> AddressHit | None:
    """One address when the unit decides it; the building when its units share one grid."""
    if unit is not None:
        chosen = [h for h in hits if h.unit == unit]
        if len(chosen) == 1:
            return AddressHit(chosen[0], factor)
        if len(hits) > 1 or chosen:
            return None
    if len(hits) == 1:
        return AddressHit(hits[0], factor)
    villages = {h.village_code for h in hits}
    grids = {h.grid_code for h in hits}
    if len(villages) == 1 and len(grids) == 1:
        first = min(hits, key=lambda h: (h.unit or "", h.code))
        return AddressHit(first, factor, kind="building", grid_code=first.grid_code)
    return None


def nearest_number(block: VillageBlock, road: str, number: str, factor: float) -> AddressHit | None:
    """The neighbours of a number the list lacks (same road, same side), or None."""
    if not number.isdigit():
        return None
    wanted = int(number)
    same_side = [
        (n, e) for n, e in block.numbers_on(road)
        if n % 2 == wanted % 2 and 0 < abs(n - wanted) <= NEAR_NUMBER_GAP
    ]  # fmt: skip
    if not same_side:
        return None
    below = [x for x in same_side if x[0] < wanted]
    above = [x for x in same_side if x[0] > wanted]
    sides = []
    for side, pick in ((below, max), (above, min)):
        if side:
            closest = pick(n for n, _ in side)
            sides.append([e for n, e in side if n == closest])
    neighbours = [e for side in sides for e in side]
    grids = {e.grid_code for e in neighbours}
    if len(sides) == 2 and metres(sides[0][0], sides[1][0]) > NEAR_METRES:
        return None
    nearest = min((abs(int(e.number) - wanted), e.unit or "", e.code, e) for e in neighbours)
    return AddressHit(
        nearest[3], factor * NEAR_FACTOR, kind="near", neighbours=neighbours,
        grid_code=grids.pop() if len(grids) == 1 else None, gap=nearest[0],
    )  # fmt: skip
