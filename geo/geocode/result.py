"""What a geocoding call returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Finest first; the ``level`` of every result is one of these (DESIGN.md, core.vocab).
LEVELS = ("address", "group", "village", "township", "county", "none")


@dataclass
class Candidate:
    """One of several equally good readings of an ambiguous text."""

    level: str
    code: str
    name: str
    township: str | None
    address_code: str | None
    grid_code: str | None
    lon: float | None
    lat: float | None


@dataclass
class GeocodeResult:
    """Where one address text lands, at which level and how sure (score 0–1)."""

    input: str
    level: str = "none"
    score: float = 0.0
    address_code: str | None = None
    grid_code: str | None = None
    lon: float | None = None
    lat: float | None = None
    county_code: str | None = None
    township_code: str | None = None
    village_code: str | None = None
    group: int | None = None
    method: str = "none"
    ambiguous: bool = False
    candidates: list[Candidate] = field(default_factory=list)
    named_region: str | None = None
    named_region_code: str | None = None
    note: str | None = None

    def as_dict(self) -> dict:
        """Plain dict (JSON responses, CSV rows)."""
        return asdict(self)
