"""Filling a :class:`GeocodeResult` from a unit, a house found, or several candidates."""

from __future__ import annotations

import re

from geo.geocode.gazetteer import Gazetteer, Unit
from geo.geocode.lookup import AddressHit, find_in_block
from geo.geocode.parse import ParsedAddress
from geo.geocode.result import Candidate, GeocodeResult

MAX_CANDIDATES = 5


def fill_unit(result: GeocodeResult, unit: Unit, score: float, method: str) -> None:
    """Put ``result`` at ``unit`` (its centre point; never its grid: see finish)."""
    result.level = unit.level
    result.score = round(min(max(score, 0.0), 1.0), 3)
    result.method = method
    result.county_code = unit.county_code
    if unit.level == "village":
        result.village_code = unit.code
        result.township_code = unit.parent_code
    elif unit.level == "township":
        result.township_code = unit.code
    result.lon, result.lat = unit.lon, unit.lat


def unit_result(result: GeocodeResult, unit: Unit, score: float, method: str) -> GeocodeResult:
    """``result`` put at ``unit``."""
    fill_unit(result, unit, score, method)
    return result


def address_result(
    gaz: Gazetteer, result: GeocodeResult, hit: AddressHit, *, score: float, method: str
) -> GeocodeResult:
    """``result`` put at a house: the address, its building, or its nearest neighbours."""
    entry = hit.entry
    result.score = round(min(max(score, 0.0), 1.0), 3)
    result.method = method
    result.grid_code = hit.grid_code
    result.lon, result.lat = entry.lon, entry.lat
    result.county_code = entry.county_code
    result.township_code = entry.township_code
    result.village_code = entry.village_code
    result.group = entry.group
    result.level = "address"
    if hit.kind == "address":
        result.address_code = entry.code
        result.standard_address = entry.text
    elif hit.kind == "building":
        result.standard_address = building_text(entry.text)
        result.note = "building named without its unit: all its units lie in one grid"
    else:
        result.level, result.method = "address_near", "near"
        result.standard_address = entry.text
        result.note = f"number not listed: nearest on the same road, {hit.gap} numbers away"
        result.candidates = [
            address_candidate(gaz, e, score=round(score * 0.5, 3)) for e in hit.neighbours
        ][:MAX_CANDIDATES]
    return result


def address_candidate(gaz: Gazetteer, entry, *, score: float) -> Candidate:
    """A standard address offered as a candidate."""
    village = gaz.unit(entry.village_code)
    township = gaz.unit(entry.township_code)
    return Candidate(
        level="address", code=entry.code, name=village.short if village else entry.code,
        township=township.short if township else None, address_code=entry.code,
        grid_code=entry.grid_code, lon=entry.lon, lat=entry.lat, score=score,
        standard_address=entry.text,
    )  # fmt: skip


def ambiguous_result(
    gaz: Gazetteer, result: GeocodeResult, units: list[Unit], tail: ParsedAddress
) -> GeocodeResult:
    """Several units fit equally: up to five candidates, the unit they share, no grid."""
    units = list({u.code: u for u in units}.values())
    share = round(1.0 / max(len(units), 1), 3)
    for unit in units[:MAX_CANDIDATES]:
        hit = None
        if unit.level == "village":
            hit = find_in_block(gaz.village_block(unit.code), tail)
        entry = hit.entry if hit and hit.kind == "address" else None
        parent = gaz.unit(unit.parent_code)
        result.candidates.append(
            Candidate(
                level="address" if entry else unit.level,
                code=unit.code,
                name=unit.short,
                township=parent.short if parent and unit.level == "village" else None,
                address_code=entry.code if entry else None,
                grid_code=hit.grid_code if hit else None,
                lon=entry.lon if entry else unit.lon,
                lat=entry.lat if entry else unit.lat,
                score=share,
                standard_address=entry.text if entry else None,
            )
        )
    shared = shared_parent(gaz, units)
    if shared is not None:
        fill_unit(result, shared, 0.4, "ambiguous")
    else:
        result.method = "ambiguous"
    result.ambiguous = True
    result.score = 0.4 if shared is not None else 0.0
    result.note = "ambiguous: " + ", ".join(
        f"{c.township or ''}{c.name}" for c in result.candidates
    )
    return result


def building_text(text: str | None) -> str | None:
    """A unit's address without the unit: …振兴路3号1单元 → …振兴路3号."""
    return re.sub(r"\d+单元$", "", text) if text else text


def shared_parent(gaz: Gazetteer, units: list[Unit]) -> Unit | None:
    """The finest unit containing all of ``units`` (a township, or the county)."""
    parents = {u.parent_code for u in units}
    if len(parents) == 1:
        parent = gaz.unit(parents.pop())
        if parent is not None:
            return parent
    counties = {u.county_code for u in units}
    return gaz.unit(counties.pop()) if len(counties) == 1 else None
