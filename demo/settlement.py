"""Where people live: synthetic valleys, township seats, village centres and their polygons.

Everything is in local metres (see :class:`demo.geometry.LocalFrame`). Settlements in a
mountain county follow the valleys, so the generator draws a few meandering valley lines across
the county, puts township seats and village centres along them, and tiles the county by Voronoi
cells of the seats (townships) and of the village centres inside each township (villages).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import LineString
from shapely.geometry.base import BaseGeometry

from demo.geometry import partition, random_points_in

VALLEY_KM2_EACH = 230.0  # one main valley per ~230 km² of county
VALLEY_STEP_M = 400.0


@dataclass
class Layout:
    """Synthetic skeleton of a county in local metres."""

    valleys: list[LineString]
    seat_index: int  # which township holds the county town
    township_seats: np.ndarray  # (n_townships, 2)
    township_geoms: list  # MultiPolygons, in township order
    village_centres: np.ndarray  # (n_villages, 2)
    village_geoms: list  # MultiPolygons, in village order


def _walk(start: np.ndarray, heading: float, length: float, rng: np.random.Generator) -> np.ndarray:
    steps = max(2, int(length / VALLEY_STEP_M))
    turns = np.cumsum(rng.normal(0.0, 0.12, steps))
    angles = heading + turns
    moves = VALLEY_STEP_M * np.column_stack([np.cos(angles), np.sin(angles)])
    return start + np.vstack([[0.0, 0.0], np.cumsum(moves, axis=0)])


def make_valleys(county: BaseGeometry, rng: np.random.Generator) -> list[LineString]:
    """Meandering main valleys across the county and a few tributaries, clipped to it."""
    area_km2 = county.area / 1e6
    diameter = math.sqrt(county.area)
    n_main = max(2, round(area_km2 / VALLEY_KM2_EACH))
    main_body = max(shapely.get_parts(county), key=lambda p: p.area)
    lines: list[LineString] = []
    starts = random_points_in(main_body, n_main, rng)
    for start in starts:
        heading = rng.uniform(0, 2 * math.pi)
        forward = _walk(start, heading, rng.uniform(0.3, 0.5) * diameter, rng)
        backward = _walk(start, heading + math.pi, rng.uniform(0.3, 0.5) * diameter, rng)
        lines.append(LineString(np.vstack([backward[::-1], forward[1:]])))
    tributaries = []
    for line in lines:
        for _ in range(rng.integers(1, 4)):
            origin = np.array(line.interpolate(rng.uniform(0.2, 0.8), normalized=True).coords[0])
            heading = rng.uniform(0, 2 * math.pi)
            tributaries.append(
                LineString(_walk(origin, heading, rng.uniform(0.1, 0.25) * diameter, rng))
            )
    clipped = []
    for line in lines + tributaries:
        for piece in shapely.get_parts(shapely.intersection(line, county)):
            if piece.geom_type == "LineString" and piece.length > 1_000:
                clipped.append(piece)
    return clipped


def points_along(
    lines: list[LineString], n: int, rng: np.random.Generator, spread: float
) -> np.ndarray:
    """``n`` points along ``lines`` (uniform by length) with a normal offset of sd ``spread``."""
    if not lines or n == 0:
        return np.empty((0, 2))
    lengths = np.array([ln.length for ln in lines])
    which = rng.choice(len(lines), size=n, p=lengths / lengths.sum())
    along = rng.uniform(0, 1, n) * lengths[which]
    pts = shapely.line_interpolate_point(np.array(lines, dtype=object)[which], along)
    return shapely.get_coordinates(pts) + rng.normal(0.0, spread, (n, 2))


def _spaced_pick(
    candidates: np.ndarray, fixed: np.ndarray, n: int, spacing: float, rng: np.random.Generator
) -> np.ndarray:
    """Pick ``n`` candidates at least ``spacing`` apart (and from ``fixed``); relax if needed."""
    chosen = [p for p in fixed]
    picked: list[np.ndarray] = []
    order = rng.permutation(len(candidates))
    while len(picked) < n:
        for idx in order:
            if len(picked) == n:
                break
            p = candidates[idx]
            if all(np.hypot(*(p - q)) >= spacing for q in chosen):
                chosen.append(p)
                picked.append(p)
        spacing *= 0.8
        if spacing < 1.0:
            raise ValueError("not enough room to place settlements")
    return np.array(picked)


def _interior_candidates(
    geom: BaseGeometry, valleys: list[LineString], n: int, rng: np.random.Generator
) -> np.ndarray:
    """Candidate sites inside ``geom``: mostly on its valleys, some anywhere inside."""
    inside_valleys = [
        piece
        for v in valleys
        for piece in shapely.get_parts(shapely.intersection(v, geom))
        if piece.geom_type == "LineString" and piece.length > 200
    ]
    pts = points_along(inside_valleys, 4 * n, rng, spread=150.0)
    if len(pts):
        pts = pts[shapely.contains_xy(geom, pts[:, 0], pts[:, 1])]
    extra = random_points_in(geom, max(n, 4 * n - len(pts)) // 2 + 1, rng)
    return np.vstack([pts, extra]) if len(pts) else extra


def place_township_seats(
    county: BaseGeometry,
    valleys: list[LineString],
    n_townships: int,
    seat_index: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Township seats along valleys, well apart; the county town sits deep inside the county."""
    main_body = max(shapely.get_parts(county), key=lambda p: p.area)
    candidates = _interior_candidates(main_body, valleys, 400, rng)
    depth = shapely.distance(shapely.points(candidates), main_body.boundary)
    deep = candidates[depth >= np.quantile(depth, 0.8)]
    town = deep[rng.integers(len(deep))]
    spacing = 0.75 * math.sqrt(county.area / n_townships)
    others = _spaced_pick(candidates, np.array([town]), n_townships - 1, spacing, rng)
    seats = np.insert(others, seat_index, town, axis=0) if len(others) else np.array([town])
    return seats


def place_village_centres(
    township: BaseGeometry,
    seat: np.ndarray,
    valleys: list[LineString],
    is_community: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Centres of one township's villages: communities ring the seat, villages follow valleys."""
    n = len(is_community)
    centres = np.empty((n, 2))
    n_comm = int(is_community.sum())
    if n_comm:
        angles = rng.uniform(0, 2 * math.pi) + 2 * math.pi * np.arange(n_comm) / n_comm
        radius = rng.uniform(250, 450, n_comm) * (1 + 0.25 * n_comm)
        ring = seat + np.column_stack([np.cos(angles), np.sin(angles)]) * radius[:, None]
        if n_comm == 1:
            ring = seat[None, :] + rng.normal(0, 60, (1, 2))
        ring_ok = shapely.contains_xy(township, ring[:, 0], ring[:, 1])
        if not ring_ok.all():
            ring[~ring_ok] = random_points_in(township, int((~ring_ok).sum()), rng)
        centres[is_community] = ring
    n_rural = n - n_comm
    if n_rural:
        candidates = _interior_candidates(township, valleys, 30 * n_rural, rng)
        spacing = 0.6 * math.sqrt(township.area / n)
        fixed = centres[is_community] if n_comm else seat[None, :]
        # with communities the town is taken; without, a village may hold the seat itself
        spacing_from_seat = fixed if n_comm else np.empty((0, 2))
        centres[~is_community] = _spaced_pick(candidates, spacing_from_seat, n_rural, spacing, rng)
        if not n_comm:
            nearest = int(np.argmin(np.hypot(*(centres[~is_community] - seat).T)))
            rural_idx = np.flatnonzero(~is_community)
            near_seat = seat + rng.normal(0, 80, 2)
            if not shapely.contains_xy(township, *near_seat):
                near_seat = seat
            centres[rural_idx[nearest]] = near_seat
    return centres


def build_layout(
    county: BaseGeometry,
    township_of_village: np.ndarray,
    is_community: np.ndarray,
    n_townships: int,
    seat_index: int,
    rng: np.random.Generator,
) -> Layout:
    """Valleys, seats, village centres and the exact township and village tilings."""
    valleys = make_valleys(county, rng)
    seats = place_township_seats(county, valleys, n_townships, seat_index, rng)
    township_geoms = partition(county, seats)
    centres = np.empty((len(township_of_village), 2))
    village_geoms: list = [None] * len(township_of_village)
    for t in range(n_townships):
        members = np.flatnonzero(township_of_village == t)
        seat = seats[t]
        if not shapely.contains_xy(township_geoms[t], *seat):
            seat = shapely.get_coordinates(township_geoms[t].point_on_surface())[0]
            seats[t] = seat
        c = place_village_centres(township_geoms[t], seat, valleys, is_community[members], rng)
        centres[members] = c
        for idx, geom in zip(members, partition(township_geoms[t], c), strict=True):
            village_geoms[idx] = geom
    return Layout(valleys, seat_index, seats, township_geoms, centres, village_geoms)
