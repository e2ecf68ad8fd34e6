"""A SYNTHETIC province: many demo counties side by side, each with its own codes and divisions.

Nothing here is real. The province outline is a smooth random blob around Gannan (about
1,557 km² per county, the area of Lintan); the counties are the cells of a relaxed Voronoi
tiling of it (Lloyd iterations, so cells are compact and of similar size); each county gets
made-up townships and villages (16 townships, 147 villages of which 6 communities, as in
Lintan) with invented two-character names. Codes start with 99, which no real province has:
county ``99PPCC`` (prefecture ``PP``, county ``CC`` from 21), township ``+1TT`` for a town
(镇) or ``+2TT`` for a township (乡), village ``+0VV`` for a community and ``+2VV`` for a
village. Every county is then built by :func:`demo.generate`, so grids, addresses and
events follow exactly the same process as the demo county; the county rows are marked
``synthetic_geom = True`` as well, because here the outline is invented too.

    from demo.province import province_counties, generate_county
    specs = province_counties(10, seed=1)          # outlines, codes, divisions
    county = generate_county(specs[3], seed=1)     # one DemoCounty, loadable with load_county

Counties are generated one at a time (a province does not fit comfortably in memory as frames).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from demo.county import DemoCounty, generate

PROVINCE_PREFIX = "99"
PROVINCE_NAME = "模拟省"
COUNTY_KM2 = 1_557.0
COUNTIES_PER_PREFECTURE = 10
TOWNSHIPS_PER_COUNTY = 16
VILLAGES_PER_COUNTY = 147
COMMUNITIES_PER_COUNTY = 6
CENTRE_LONLAT = (103.5, 34.8)
KM_PER_DEG_LAT = 110.574

# Characters for invented place names (common in north-western place names, none rare).
_NAME_CHARS = list(
    "安宝北城川大东丰峰福甘沟谷关河和红华家尖金井康口兰梁林岭龙马门南宁平坪崎泉山石水台滩"
    "田头湾王西峡新兴阳杨永玉园源寨庄"
)


@dataclass(frozen=True)
class CountySpec:
    """One synthetic county of the province: its code, name, outline and divisions table."""

    code: str
    name: str
    prefecture_code: str
    prefecture_name: str
    boundary: BaseGeometry
    divisions: pd.DataFrame


def county_code(index: int) -> str:
    """Code of the ``index``-th county (0-based): 99 + prefecture (01…) + county (21…)."""
    prefecture, within = divmod(index, COUNTIES_PER_PREFECTURE)
    return f"{PROVINCE_PREFIX}{prefecture + 1:02d}{within + 21:02d}"


def _to_lonlat(xy_km: np.ndarray) -> np.ndarray:
    lon0, lat0 = CENTRE_LONLAT
    km_per_deg_lon = KM_PER_DEG_LAT * np.cos(np.radians(lat0))
    return np.column_stack(
        [lon0 + xy_km[:, 0] / km_per_deg_lon, lat0 + xy_km[:, 1] / KM_PER_DEG_LAT]
    )


def province_outline_km(
    n_counties: int, rng: np.random.Generator, county_km2: float = COUNTY_KM2
) -> Polygon:
    """A smooth random blob (local km, centred on 0) of ``n_counties`` × ``county_km2``."""
    angles = np.linspace(0, 2 * np.pi, 240, endpoint=False)
    radius = np.ones_like(angles)
    for k in (2, 3, 5):
        radius += rng.uniform(0.03, 0.10) * np.sin(k * angles + rng.uniform(0, 2 * np.pi))
    blob = Polygon(np.column_stack([radius * np.cos(angles), radius * np.sin(angles)]))
    scale = np.sqrt(n_counties * county_km2 / blob.area)
    return shapely.affinity.scale(blob, scale, scale, origin=(0, 0))


def tile_counties_km(outline: Polygon, n: int, rng: np.random.Generator) -> list[BaseGeometry]:
    """``n`` compact cells tiling ``outline``: Voronoi of random seeds after Lloyd relaxation."""
    if n == 1:
        return [outline]
    minx, miny, maxx, maxy = outline.bounds
    seeds: list[tuple[float, float]] = []
    while len(seeds) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if outline.contains(shapely.Point(x, y)):
            seeds.append((x, y))
    points = np.array(seeds)
    cells: list[BaseGeometry] = []
    for _ in range(12):
        diagram = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=outline.buffer(10))
        regions = list(diagram.geoms)
        # voronoi_polygons does not keep the seed order: match each region back to its seed.
        order = [
            next(i for i, r in enumerate(regions) if r.contains(shapely.Point(p))) for p in points
        ]
        cells = [regions[i].intersection(outline) for i in order]
        points = np.array([[c.centroid.x, c.centroid.y] for c in cells])
    return cells


def _warp(cells: list[BaseGeometry], rng: np.random.Generator) -> list[BaseGeometry]:
    """Bend straight Voronoi edges into wandering borders with one smooth displacement field.

    The same field moves every cell, so shared borders stay shared; real county borders follow
    ridges and rivers, and straight edges also trip the demo generator's address cells.
    """
    waves = [(rng.uniform(0.05, 0.2), rng.uniform(0, 2 * np.pi), rng.uniform(1.5, 4.0))
             for _ in range(6)]  # fmt: skip

    def move(xy: np.ndarray) -> np.ndarray:
        out = xy.copy()
        for k, (freq, phase, amp) in enumerate(waves):
            axis = k % 2
            out[:, axis] += amp * np.sin(freq * xy[:, 1 - axis] + phase)
        return out

    dense = shapely.segmentize(np.asarray(cells, dtype=object), 1.0)
    return [shapely.make_valid(shapely.transform(c, move)) for c in dense]


def _invented_names(count: int, rng: np.random.Generator, taken: set[str]) -> list[str]:
    pool = ["".join(p) for p in product(_NAME_CHARS, repeat=2) if p[0] != p[1]]
    names: list[str] = []
    for index in rng.permutation(len(pool)):
        if pool[index] not in taken:
            names.append(pool[index])
            taken.add(pool[index])
            if len(names) == count:
                return names
    raise ValueError("not enough invented names")


def _row(code: str, name: str, level: str, parent_code: str, parent_name: str) -> dict:
    return {"code": code, "name": name, "level": level, "parent_code": parent_code,
            "parent_name": parent_name}  # fmt: skip


@dataclass(frozen=True)
class CountySize:
    """How many divisions each synthetic county has (default: as many as Lintan)."""

    townships: int = TOWNSHIPS_PER_COUNTY
    villages: int = VILLAGES_PER_COUNTY
    communities: int = COMMUNITIES_PER_COUNTY


def county_divisions(
    code: str,
    name: str,
    prefecture_name: str,
    rng: np.random.Generator,
    size: CountySize = CountySize(),
) -> pd.DataFrame:
    """A made-up divisions table for one county, in the columns of the Lintan CSV."""
    if size.villages - size.communities < 3 * size.townships:
        raise ValueError("each township needs at least 3 villages")
    taken: set[str] = {name}
    township_names = ["城关", *_invented_names(size.townships - 1, rng, taken)]
    n_towns = max(1, size.townships * 2 // 3)
    rows = [_row(code, f"{name}县", "county", code[:4] + "00", prefecture_name)]
    townships = []
    for i, short in enumerate(township_names):
        is_town = i < n_towns
        tcode = f"{code}{1 if is_town else 2}{i if is_town else i - n_towns:02d}"
        townships.append(tcode)
        rows.append(_row(tcode, short + ("镇" if is_town else "乡"), "township", code, f"{name}县"))
    village_names = _invented_names(size.villages, rng, taken)
    rural = size.villages - size.communities
    # Every township gets at least 3 villages; the rest spread at random.
    per_township = 3 + rng.multinomial(
        rural - 3 * size.townships, np.ones(size.townships) / size.townships
    )
    names = iter(village_names)
    for c in range(size.communities):
        vcode = f"{townships[0]}{c + 1:03d}"
        rows.append(_row(vcode, f"{next(names)}社区居民委员会", "village", townships[0], "城关镇"))
    for tcode, count in zip(townships, per_township, strict=True):
        for v in range(int(count)):
            vcode = f"{tcode}{200 + v:03d}"
            rows.append(_row(vcode, f"{next(names)}村民委员会", "village", tcode, ""))
    table = pd.DataFrame(rows)
    table.insert(1, "code12", table["code"].str.ljust(12, "0"))
    return table


def province_counties(
    n_counties: int,
    *,
    seed: int = 1,
    size: CountySize = CountySize(),
    county_km2: float = COUNTY_KM2,
) -> list[CountySpec]:
    """The ``n_counties`` SYNTHETIC counties of a province: codes, names, outlines, divisions.

    ``size`` sets the divisions per county and ``county_km2`` the mean area (small values make
    small, fast counties for tests).
    """
    if n_counties < 1:
        raise ValueError("a province needs at least one county")
    rng = np.random.default_rng([seed, n_counties])
    outline = province_outline_km(n_counties, rng, county_km2)
    cells = _warp(tile_counties_km(outline, n_counties, rng), rng)
    # Number counties from north-west to south-east, as statistical codes usually run.
    order = sorted(
        range(n_counties), key=lambda i: (-round(cells[i].centroid.y / 40), cells[i].centroid.x)
    )
    taken: set[str] = set()
    county_names = _invented_names(n_counties, rng, taken)
    prefecture_names = _invented_names(n_counties // COUNTIES_PER_PREFECTURE + 1, rng, taken)
    specs = []
    for index, cell_index in enumerate(order):
        cell = cells[cell_index]
        lonlat = shapely.transform(cell, _to_lonlat)
        code = county_code(index)
        prefecture = f"{prefecture_names[index // COUNTIES_PER_PREFECTURE]}市"
        divisions = county_divisions(code, county_names[index], prefecture, rng, size)
        specs.append(CountySpec(code=code, name=f"{county_names[index]}县",
                                prefecture_code=code[:4] + "00", prefecture_name=prefecture,
                                boundary=lonlat, divisions=divisions))  # fmt: skip
    return specs


def generate_county(
    spec: CountySpec, *, seed: int = 1, end: dt.date = dt.date(2026, 11, 15), years: int = 2
) -> DemoCounty:
    """Build one SYNTHETIC county of the province with the demo generator.

    On some invented outlines GEOS refuses a union of the demo generator's address cells
    (an incorrectly noded coverage); the county is then drawn again with the next seed, up to
    three times, so a province always gets all its counties and stays deterministic.
    """
    for attempt in range(3):
        try:
            county = generate(
                seed=seed + 1000 * attempt, end=end, years=years, county_code=spec.code,
                boundary=spec.boundary, divisions=spec.divisions,
            )  # fmt: skip
            break
        except shapely.errors.GEOSException:
            if attempt == 2:
                raise
    is_county = county.admin_units["level"] == "county"
    county.admin_units.loc[is_county, ["synthetic_geom", "synthetic"]] = True
    return county
