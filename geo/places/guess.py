"""Working out what projected coordinates are from the county outline.

A surveyor's file often comes without its ``.prj``, or with the neighbouring zone picked by
mistake (EPSG:4544 for EPSG:4543 moves a county about 275 km east). The candidates are every
CGCS2000 Gauss-Krüger CRS and UTM zone that fits the eastings (:func:`core.crs.
projected_candidates`), in both axis orders (surveyors write X for the northing); each is
tried on a sample of the coordinates, and the one putting them inside the county outline
is the suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer

from core.crs import in_china, projected_candidates

SAMPLE_POINTS = 2000
# Share of the sampled coordinates that must fall inside the outline for a CRS to fit.
FIT_SHARE = 0.9


@dataclass(frozen=True)
class CrsGuess:
    """One candidate CRS and how well it fits: the share of points inside the outline."""

    epsg: int
    description: str
    share: float
    swapped: bool  # x holds the northing (surveying order)

    def option(self) -> str:
        """The ``--crs`` value that reads the file this way."""
        return f"EPSG:{self.epsg}"


@lru_cache(maxsize=128)
def _to_lonlat(epsg: int) -> Transformer:
    return Transformer.from_crs(CRS.from_epsg(epsg), CRS.from_epsg(4326), always_xy=True)


def sample_xy(geoms: list, limit: int = SAMPLE_POINTS) -> np.ndarray:
    """A point inside each of up to ``limit`` features spread over ``geoms`` (x, y as the
    file gives them): inside, since a township's vertices lie on the county's boundary."""
    present = [g for g in geoms if g is not None and not g.is_empty]
    if not present:
        return np.empty((0, 2))
    if len(present) > limit:
        present = [present[k] for k in np.linspace(0, len(present) - 1, limit).astype(int)]
    inside = shapely.point_on_surface(np.array(present, dtype=object))
    return shapely.get_coordinates(inside)


def share_inside(lonlat: np.ndarray, outline) -> float:
    """Share of (lon, lat) points inside ``outline`` (China's box when it is None)."""
    if len(lonlat) == 0:
        return 0.0
    ok = np.isfinite(lonlat).all(axis=1)
    if not ok.any():
        return 0.0
    x, y = lonlat[ok, 0], lonlat[ok, 1]
    inside = in_china(x, y) if outline is None else shapely.intersects_xy(outline, x, y)
    return float(np.sum(inside)) / len(lonlat)


def reproject_xy(xy: np.ndarray, epsg: int) -> np.ndarray:
    """Coordinates of EPSG ``epsg`` as (lon, lat)."""
    lon, lat = _to_lonlat(epsg).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def guess_crs(xy: np.ndarray, outline) -> list[CrsGuess]:
    """Every candidate CRS (both axis orders) putting some points inside ``outline``, the
    best first."""
    if len(xy) == 0:
        return []
    guesses = []
    for swapped in (False, True):
        ordered = xy[:, ::-1] if swapped else xy
        for epsg, description in projected_candidates(float(np.median(ordered[:, 0]))):
            share = share_inside(reproject_xy(ordered, epsg), outline)
            if share > 0:
                guesses.append(CrsGuess(epsg, description, share, swapped))
    # Equal fits keep the candidates' order: 3-degree zones (what county surveyors use),
    # then 6-degree zones, then UTM; the order as given before the swapped one.
    order = {id(g): k for k, g in enumerate(guesses)}
    return sorted(guesses, key=lambda g: (-round(g.share, 2), g.swapped, order[id(g)]))


def fitting(guesses: list[CrsGuess]) -> list[CrsGuess]:
    """The guesses that fit (at least :data:`FIT_SHARE` inside)."""
    return [g for g in guesses if g.share >= FIT_SHARE]


def _order_note(guess: CrsGuess) -> tuple[str, str]:
    if not guess.swapped:
        return "", ""
    return (
        "，X 与 Y 是测量习惯顺序（X 为北坐标）",
        " (X and Y in surveying order: X is the northing)",
    )


def no_crs_message(xy: np.ndarray, outline) -> str:
    """Why a file without a CRS and with projected coordinates is refused, with the CRS
    that fits the county outline when exactly one does."""
    x, y = xy[0]
    head = (
        f"文件没有坐标系，坐标是米制投影坐标（第一个点 {x:.1f}, {y:.1f}）/ the file names no "
        f"coordinate system and its coordinates are projected metres (first: {x:.1f}, {y:.1f})"
    )
    found = fitting(guess_crs(xy, outline))
    if outline is not None and len(found) >= 1:
        best = found[0]
        others = ", ".join(g.option() for g in found[1:3] if g.swapped == best.swapped)
        also = f"（也可能是 {others} / or perhaps {others}）" if others else ""
        zh, en = _order_note(best)
        return (
            f"{head}. 按县界推算应为 {best.option()}（{best.description}）{zh}："
            f"请加 --crs {best.option()} 重新导入 / against the county outline they fit "
            f"{best.option()}{en}: load again with --crs {best.option()}{also}"
        )
    if outline is None and len(found) == 1:
        best = found[0]
        return f"{head}. 坐标符合 {best.description}：请加 --crs {best.option()} / pass --crs " \
            f"{best.option()}"  # fmt: skip
    where = "与县界都不符 / none fits the county outline" if outline is not None else (
        "请先导入县界以推算坐标系 / load the county outline first to have the CRS worked out"
    )  # fmt: skip
    return (
        f"{head}; {where}. 请用 --crs EPSG:XXXX 指定（如 EPSG:4543 为 CGCS2000 3度带 中央经线 "
        "102°E）/ pass --crs EPSG:XXXX (e.g. EPSG:4543, CGCS2000 3-degree Gauss-Krüger CM 102E)"
    )


def wrong_crs_cause(xy: np.ndarray, given_epsg: int | None, outline) -> str | None:
    """The likely cause when data read as ``given_epsg`` lands outside the county: another
    candidate that fits (None when none does, or the given one already fits)."""
    if outline is None or len(xy) == 0:
        return None
    found = fitting(guess_crs(xy, outline))
    if not found or any(g.epsg == given_epsg and not g.swapped for g in found):
        return None
    best = found[0]
    zh, en = _order_note(best)
    return (
        f"可能的原因：坐标系不对，按 {best.option()}（{best.description}）{zh}"
        f"读取才落在县界内，请加 --crs {best.option()} / likely cause: a wrong CRS; the "
        f"coordinates fall inside the county only when read as {best.option()}{en}: load "
        f"again with --crs {best.option()}"
    )
