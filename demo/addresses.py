"""Standard addresses of the demo county: where the houses are and how their text reads.

Rural villages are made of hamlets (村民小组, "组"): each hamlet is a ribbon of houses along a
valley near the village centre, and its addresses read "临潭县城关镇范家咀村三组12号".
Communities (社区) sit in a town: a small street grid around the township seat, with buildings
of several units along the streets, read "临潭县城关镇东环路社区北大街23号2单元".
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from demo.chinese import chinese_numeral
from demo.geometry import random_points_in
from demo.settlement import points_along

STREET_NAMES = [
    "北大街", "南大街", "东大街", "西大街", "人民路", "解放路", "建设路", "团结路", "和平路",
    "民主路", "新华路", "滨河路", "环城路", "学府路", "振兴路", "文化街", "商贸街", "胜利路",
    "光明路", "幸福路", "迎宾路", "育才路", "丰收路", "园丁路",
]  # fmt: skip
STREET_SPACING_M = 180.0
SLOT_SPACING_M = 25.0
ADDRESSES_PER_HAMLET = 25


def _inside(geom: BaseGeometry, pts: np.ndarray) -> np.ndarray:
    return shapely.contains_xy(geom, pts[:, 0], pts[:, 1])


def _fill_inside(
    geom: BaseGeometry, sampler, n: int, rng: np.random.Generator, rounds: int = 30
) -> np.ndarray:
    """Draw from ``sampler(k)`` until ``n`` points fall inside ``geom`` (uniform fallback)."""
    out = np.empty((0, 2))
    for _ in range(rounds):
        need = n - len(out)
        if need <= 0:
            break
        cand = sampler(need)
        out = np.vstack([out, cand[_inside(geom, cand)]])
    if len(out) < n:
        out = np.vstack([out, random_points_in(geom, n - len(out), rng)])
    return out[:n]


def rural_addresses(
    village: BaseGeometry,
    centre: np.ndarray,
    valleys: list,
    n_addresses: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Hamlets strung along the valley near the centre; houses in ribbons along the valley."""
    n_hamlets = int(np.clip(round(n_addresses / ADDRESSES_PER_HAMLET), 1, 12))
    reach = 0.35 * math.sqrt(village.area)
    local_valleys = [
        piece
        for v in valleys
        for piece in shapely.get_parts(shapely.intersection(v, village))
        if piece.geom_type == "LineString" and piece.length > 100
    ]

    def hamlet_sampler(k: int) -> np.ndarray:
        around = centre + rng.normal(0, reach, (k, 2))
        if not local_valleys:
            return around
        on_valley = points_along(local_valleys, k, rng, spread=80.0)
        near = np.hypot(*(on_valley - centre).T) < 2.5 * reach
        take = (rng.uniform(size=k) < 0.7) & near
        return np.where(take[:, None], on_valley, around)

    hamlets = _fill_inside(village, hamlet_sampler, n_hamlets, rng)
    hamlets[0] = centre  # the first group lives around the village committee
    # order hamlets (组) outward from the centre so that 一组 is at the committee
    hamlets = hamlets[np.argsort(np.hypot(*(hamlets - centre).T), kind="stable")]
    shares = rng.dirichlet([2.0] * n_hamlets)
    sizes = rng.multinomial(n_addresses - n_hamlets, shares) + 1
    rows = []
    for g, (hamlet, size) in enumerate(zip(hamlets, sizes, strict=True), start=1):
        direction = _valley_direction(hamlet, local_valleys, rng)
        normal = np.array([-direction[1], direction[0]])
        along_sd, across_sd = rng.uniform(100, 260), rng.uniform(30, 70)

        def sampler(k: int, hamlet=hamlet, direction=direction, normal=normal,
                    along_sd=along_sd, across_sd=across_sd) -> np.ndarray:  # fmt: skip
            return (
                hamlet
                + rng.normal(0, along_sd, (k, 1)) * direction
                + rng.normal(0, across_sd, (k, 1)) * normal
            )

        pts = _fill_inside(village, sampler, int(size), rng)
        order = np.argsort(pts @ direction, kind="stable")
        for number, p in enumerate(pts[order], start=1):
            rows.append((p[0], p[1], g, None, str(number), None, "rural"))
    return pd.DataFrame(rows, columns=["x", "y", "group_no", "road", "number", "building", "form"])


def _valley_direction(p: np.ndarray, valleys: list, rng: np.random.Generator) -> np.ndarray:
    if valleys:
        pt = shapely.Point(p)
        nearest = min(valleys, key=lambda v: v.distance(pt))
        if nearest.distance(pt) < 1_500:
            s = nearest.project(pt)
            a = np.array(nearest.interpolate(max(0.0, s - 50)).coords[0])
            b = np.array(nearest.interpolate(min(nearest.length, s + 50)).coords[0])
            if np.hypot(*(b - a)) > 1:
                return (b - a) / np.hypot(*(b - a))
    angle = rng.uniform(0, math.pi)
    return np.array([math.cos(angle), math.sin(angle)])


def town_streets(seat: np.ndarray, n_communities: int, rng: np.random.Generator) -> list[tuple]:
    """A street grid around a township seat: list of (name, start xy, unit direction, length)."""
    radius = 700.0 + 350.0 * n_communities
    theta = rng.uniform(0, math.pi / 2)
    u = np.array([math.cos(theta), math.sin(theta)])
    v = np.array([-u[1], u[0]])
    names = list(rng.permutation(STREET_NAMES))
    offsets = np.arange(-radius, radius + 1, STREET_SPACING_M)
    streets = []
    for axis, across in ((u, v), (v, u)):
        for off in offsets:
            if not names:
                break
            length = 2 * math.sqrt(max(radius**2 - off**2, 0)) + 200
            start = seat + across * off - axis * length / 2
            streets.append((str(names.pop(0)), start, axis, length))
    return streets


def community_addresses(
    community: BaseGeometry,
    streets: list[tuple],
    n_addresses: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Buildings along the town streets inside the community, one address per unit (单元)."""
    slots = []
    for name, start, axis, length in streets:
        normal = np.array([-axis[1], axis[0]])
        k = np.arange(int(length / SLOT_SPACING_M))
        for side, parity in ((1, 1), (-1, 2)):
            xy = start + np.outer(k * SLOT_SPACING_M, axis) + side * 12.0 * normal
            ok = _inside(community, xy)
            for kk, p in zip(k[ok], xy[ok], strict=True):
                slots.append((name, int(2 * kk + parity), p, axis))
    rows = []
    if slots:
        order = rng.permutation(len(slots))
        for idx in order:
            if len(rows) >= n_addresses:
                break
            name, number, p, axis = slots[idx]
            units = int(rng.choice([1, 1, 2, 3, 4]))
            for unit in range(1, min(units, n_addresses - len(rows)) + 1):
                q = p + axis * 5.0 * (unit - 1)
                if not shapely.contains_xy(community, q[0], q[1]):
                    break
                building = f"{unit}单元" if units > 1 else None
                form = "unit" if units > 1 else "house"
                rows.append((q[0], q[1], None, name, str(number), building, form))
    missing = n_addresses - len(rows)
    if missing > 0:  # a community without enough street front: courtyards in lanes (巷)
        pts = random_points_in(community, missing, rng)
        lane_of = rng.integers(1, 6, missing)
        base = streets[0][0] if streets else "中心"
        for (x, y), lane, number in zip(pts, lane_of, range(1, missing + 1), strict=True):
            lane_name = f"{base}{chinese_numeral(int(lane))}巷"
            rows.append((x, y, None, lane_name, str(number), None, "house"))
    return pd.DataFrame(rows, columns=["x", "y", "group_no", "road", "number", "building", "form"])


def address_counts(
    n_addresses: int, houses: int, residents: int, form: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Houses (≥ 1) and residents per address, summing exactly to the village's totals."""
    from demo.profile import apportion

    unit = rng.gamma(4.0, 2.5, n_addresses)
    town_house = rng.gamma(1.0, 0.4, n_addresses)
    courtyard = rng.gamma(1.2, 0.5, n_addresses)
    size = np.where(form == "unit", unit, np.where(form == "house", town_house, courtyard))
    house_counts = 1 + apportion(houses - n_addresses, size)
    per_house = rng.gamma(6.0, 1 / 6.0, n_addresses)
    resident_counts = apportion(residents, house_counts * per_house)
    return house_counts, resident_counts
