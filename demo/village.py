"""A synthetic village for tests and benchmarks: clustered households and lopsided grids.

Everything here is made up (SYNTHETIC): an irregular village outline around a point, address
points in a few hamlets, one to four households each, and "current" grids drawn from random
seeds so that their household counts are badly out of balance, as after years of growth.
"""

from __future__ import annotations

import numpy as np
import shapely

from geo.redraw.cells import geoms_to_lonlat, geoms_to_metric
from geo.redraw.village import VillageInput

LINTAN_EPSG = 32648


def synthetic_village(
    *,
    code: str = "623021100201",
    n_addresses: int = 400,
    n_grids: int = 5,
    centre: tuple[float, float] = (103.35, 34.69),
    radius_m: float = 1500.0,
    seed: int = 0,
    concave: bool = True,
) -> VillageInput:
    """A SYNTHETIC village with ``n_addresses`` points and ``n_grids`` unbalanced grids."""
    rng = np.random.default_rng(seed)
    cx, cy = geoms_to_metric(np.array([shapely.Point(*centre)]), LINTAN_EPSG)[0].coords[0]
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    radii = radius_m * rng.uniform(0.6, 1.0, len(angles))
    if concave:
        radii[3:6] *= 0.35  # a deep notch, so some Voronoi cells fall apart when clipped
    outline = shapely.Polygon(
        np.column_stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)])
    )
    hamlets = rng.uniform(-0.6, 0.6, (6, 2)) * radius_m + (cx, cy)
    pts = []
    while len(pts) < n_addresses:
        h = hamlets[rng.integers(len(hamlets))]
        p = h + rng.normal(0, radius_m * 0.18, 2)
        if outline.contains(shapely.Point(p)):
            pts.append(p)
    pts = np.array(pts)
    seeds = pts[rng.choice(len(pts), n_grids, replace=False)]
    nearest = np.argmin(((pts[:, None, :] - seeds[None]) ** 2).sum(-1), axis=1)
    region = shapely.get_parts(
        shapely.voronoi_polygons(
            shapely.multipoints(seeds), extend_to=outline.buffer(radius_m), ordered=True
        )
    )
    village = geoms_to_lonlat(np.array([outline]), LINTAN_EPSG)[0]
    grid_geoms = shapely.intersection(geoms_to_lonlat(region, LINTAN_EPSG), village)
    codes = [f"{code}{i + 1:03d}" for i in range(n_grids)]
    points = geoms_to_lonlat(shapely.points(pts), LINTAN_EPSG)
    # Points re-tested against the 4326 grids, so that "current grid" matches its polygon.
    tree = shapely.STRtree(grid_geoms)
    idx_pt, idx_grid = tree.query(points, predicate="intersects")
    grid_of = nearest.copy()
    grid_of[idx_pt] = idx_grid
    houses = rng.integers(1, 5, len(pts))
    group_codes = np.array([None] * len(pts), dtype=object)
    return VillageInput(
        code=code,
        geom=village,
        address_ids=np.arange(1, len(pts) + 1),
        points=points,
        houses=houses,
        grid_codes=np.array([codes[g] for g in grid_of], dtype=object),
        group_codes=group_codes,
        current_grids={c: g for c, g in zip(codes, grid_geoms, strict=True)},
        used_grid_codes=set(codes),
    )
