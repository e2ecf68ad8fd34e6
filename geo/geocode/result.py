"""What a geocoding call returns, with what a clerk needs to check it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Finest first; the ``level`` of every result is one of these (core.vocab.GEOCODE_LEVELS).
LEVELS = ("address", "address_near", "group", "village", "township", "county", "none")

LEVEL_LABELS = {
    "address": "门牌地址",
    "address_near": "相邻门牌",
    "group": "村民小组",
    "village": "村/社区",
    "township": "乡镇",
    "county": "县",
    "none": "未定位",
}

# Levels at which a result may carry a grid: the evidence places it in one grid
# (a group only when all its addresses lie in one grid, a nearest number only when its
# neighbours do).
GRID_LEVELS = ("address", "address_near", "group")

UNVERIFIED = "位置待核实"


@dataclass
class Candidate:
    """One of several readings of an ambiguous text, or a unit a coarse result may mean."""

    level: str
    code: str
    name: str
    township: str | None
    address_code: str | None
    grid_code: str | None
    lon: float | None
    lat: float | None
    score: float = 0.0
    standard_address: str | None = None


@dataclass
class Conflict:
    """Two pieces of evidence that disagree; both are kept and shown, neither is dropped.

    ``kind``: ``admin`` (the text names a township/village the matched unit is not in) or
    ``gps`` (the text and the GPS fix lie in different townships or villages).
    """

    kind: str
    message: str
    named: str | None = None
    matched: str | None = None
    distance_m: float | None = None


@dataclass
class GeocodeResult:
    """Where one address text lands, at which level and how sure (score 0–1, calibrated:
    among results scored 0.9 or more, at least 99 % are right on the labelled bench)."""

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
    level_zh: str = LEVEL_LABELS["none"]
    standard_address: str | None = None
    county_name: str | None = None
    township_name: str | None = None
    village_name: str | None = None
    grid_name: str | None = None
    reason: str | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    unverified: bool = True

    def as_dict(self) -> dict:
        """Plain dict (JSON responses, CSV rows)."""
        return asdict(self)

    @property
    def status(self) -> str | None:
        """``位置待核实`` when the result carries no grid or a conflict, else None."""
        return UNVERIFIED if self.unverified else None
