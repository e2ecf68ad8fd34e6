"""Building the gazetteer's records from plain frames (database rows, the demo generator)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from geo.geocode.entries import AddressEntry, Landmark, Unit
from geo.geocode.normalize import normalize
from geo.geocode.parse import parse_tail, village_core


def at_unit(mark: Landmark, units: dict[str, Unit]) -> Landmark:
    """A landmark without a point of its own stands at its unit's point (placed by now)."""
    unit = units[mark.unit_code]
    return Landmark(mark.name, mark.unit_code, unit.lon, unit.lat)


# Words an official facility name starts with that people leave out (临潭县公安局城关派出所 →
# 城关派出所).
_AUTHORITY_WORDS = ("公安局", "司法局", "人民法院", "人民检察院", "卫生健康局", "教育局")


def landmark_spellings(name: str, county_names: list[str]) -> list[str]:
    """The ways a landmark is written: in full, without the county, without the authority."""
    full = normalize(name)
    out = [full]
    for county in county_names:
        for prefix in (county, county.removesuffix("县")):
            if len(prefix) >= 2 and full.startswith(prefix) and len(full) - len(prefix) >= 3:
                out.append(full.removeprefix(prefix))
    for spelling in list(out):
        for word in _AUTHORITY_WORDS:
            if spelling.startswith(word) and len(spelling) - len(word) >= 3:
                out.append(spelling.removeprefix(word))
    return list(dict.fromkeys(s for s in out if len(s) >= 3))


def _column(frame: pd.DataFrame, name: str) -> list:
    """A column as a plain list with missing values as None (fast to iterate)."""
    if name not in frame.columns:
        return [None] * len(frame)
    values = frame[name].astype(object).tolist()
    return [None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v
            for v in values]  # fmt: skip


def address_entries(
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
            text=None if full is None else str(full),
        )
        entries.append(entry)
        full_texts[text].append(entry)
    return entries, dict(full_texts)


def place_units(
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
