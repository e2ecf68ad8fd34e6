"""Real inputs of the demo county: the county outline and the official list of divisions.

The defaults are the files in ``demo/data`` (Lintan, 623021). Another county passes its own
outline and a divisions table with the same columns as the CSV (``code, name, level,
parent_code``; ``code12`` optional).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_BOUNDARY_FILE = DATA_DIR / "lintan_623021_wgs84.geojson"
DEFAULT_DIVISIONS_FILE = DATA_DIR / "lintan_623021_divisions.csv"
NAME_VARIANTS_FILE = DATA_DIR / "name_variants.csv"

# Characters that clerks and other lists swap in place names (variant or look-alike forms).
VARIANT_CHARACTERS = {"岐": "歧", "歧": "岐", "咀": "嘴", "嘴": "咀", "磨": "摩", "坟": "汾"}


@dataclass(frozen=True)
class Divisions:
    """The county, its townships and its villages, as official rows with derived short names."""

    county: pd.Series
    townships: pd.DataFrame  # code, name, short_name, aliases, parent_code
    villages: pd.DataFrame  # code, name, short_name, aliases, parent_code, is_community


def load_default_boundary() -> BaseGeometry:
    """Return the real Lintan county outline (EPSG:4326 MultiPolygon)."""
    with DEFAULT_BOUNDARY_FILE.open(encoding="utf-8") as fh:
        collection = json.load(fh)
    geoms = [shapely.geometry.shape(f["geometry"]) for f in collection["features"]]
    return shapely.union_all(geoms)


def load_default_divisions() -> pd.DataFrame:
    """Return the official Lintan division list (NBS 2023 codes) as read from the CSV."""
    return pd.read_csv(DEFAULT_DIVISIONS_FILE, dtype=str)


def short_village_name(official: str) -> str:
    """Everyday name of a village or community from its committee's official name.

    "范家咀村民委员会" → "范家咀村", "店子村村民委员会" → "店子村",
    "东环路社区居民委员会" → "东环路社区".
    """
    for suffix in ("居民委员会", "村民委员会", "委员会"):
        if official.endswith(suffix):
            stem = official[: -len(suffix)]
            if suffix == "村民委员会" and not stem.endswith("村"):
                stem += "村"
            return stem
    return official


def _bare_name(short: str) -> str:
    """The name without its 村/社区/镇/乡/街道 suffix ("范家咀村" → "范家咀")."""
    for suffix in ("社区", "街道", "村", "镇", "乡"):
        if short.endswith(suffix) and len(short) > len(suffix) + 1:
            return short[: -len(suffix)]
    return short


def _variant_spellings(name: str) -> list[str]:
    swapped = "".join(VARIANT_CHARACTERS.get(ch, ch) for ch in name)
    return [swapped] if swapped != name else []


def aliases_for(official: str, short: str, extra: list[str] | None = None) -> list[str]:
    """Other names a clerk may use for a unit: bare name, variant characters, known variants."""
    names = [_bare_name(short), *_variant_spellings(short), *(extra or [])]
    seen: list[str] = []
    for name in names:
        if name and name not in (official, short) and name not in seen:
            seen.append(name)
    return seen


def _known_variants(county_code: str) -> dict[str, list[str]]:
    table = pd.read_csv(NAME_VARIANTS_FILE, dtype=str)
    table = table[table["code"].str.startswith(county_code)]
    return table.groupby("code")["alias"].agg(list).to_dict()


def prepare_divisions(divisions: pd.DataFrame, county_code: str) -> Divisions:
    """Validate a divisions table and derive short names, aliases and community flags."""
    required = {"code", "name", "level", "parent_code"}
    missing = required - set(divisions.columns)
    if missing:
        raise ValueError(f"divisions table lacks columns: {sorted(missing)}")
    table = divisions.astype({"code": str, "parent_code": str}).copy()
    table["code"] = table["code"].str.strip()
    county_rows = table[(table["level"] == "county") & (table["code"] == county_code)]
    if len(county_rows) != 1:
        raise ValueError(f"divisions table has no single county row with code {county_code}")
    townships = table[
        (table["level"] == "township") & (table["parent_code"] == county_code)
    ].sort_values("code")
    villages = table[
        (table["level"] == "village") & table["parent_code"].isin(townships["code"])
    ].sort_values("code")
    if townships.empty or villages.empty:
        raise ValueError(f"county {county_code} needs at least one township and one village")
    for frame, length in ((townships, 9), (villages, 12)):
        bad = frame[frame["code"].str.len() != length]
        if not bad.empty:
            raise ValueError(f"code {bad['code'].iloc[0]} should have {length} digits")
    variants = _known_variants(county_code)

    townships = townships[["code", "name", "parent_code"]].reset_index(drop=True)
    townships["short_name"] = townships["name"]
    townships["aliases"] = [
        aliases_for(n, n, variants.get(c))
        for c, n in zip(townships["code"], townships["name"], strict=True)
    ]
    villages = villages[["code", "name", "parent_code"]].reset_index(drop=True)
    villages["short_name"] = villages["name"].map(short_village_name)
    villages["aliases"] = [
        aliases_for(n, s, variants.get(c))
        for c, n, s in zip(villages["code"], villages["name"], villages["short_name"], strict=True)
    ]
    villages["is_community"] = villages["name"].str.contains("居民委员会") | villages[
        "short_name"
    ].str.endswith("社区")
    return Divisions(county=county_rows.iloc[0], townships=townships, villages=villages)
