"""Nothing good is replaced by something implausible: parents, moves and their likely cause.

- A township must lie in its county and a village in its township: at least
  :data:`MIN_INSIDE_SHARE` of its area inside the parent's outline (the parent from the same
  file, else the database; synthetic outlines are not judged against). Grids are held to
  their village by :mod:`geo.places.topology`, points to the county by
  :mod:`geo.places.spatial`.
- A unit, grid or point already stored whose new geometry moves its centre by more than
  :data:`MOVE_METRES`, or keeps less than :data:`MIN_OVERLAP` of its area in common with
  the stored one, is refused unless the load says ``--replace``; either way each such
  change is listed.
- When many rows land outside their parent, the file-level message names the likely cause
  (another CRS that fits, see :mod:`geo.places.guess`).
"""

from __future__ import annotations

import numpy as np
import shapely

from core.errors import RowProblem
from geo.places.coords import METRES_PER_DEGREE
from geo.places.guess import wrong_crs_cause

MIN_INSIDE_SHARE = 0.8
MOVE_METRES = 100.0
MIN_OVERLAP = 0.75
PARENT_LABEL = {"township": "县 / county", "village": "乡镇 / township"}


def _valid(geom):
    return geom if geom is None or geom.is_valid else shapely.make_valid(geom)


def parent_problems(
    *,
    records: list,
    geoms: list,
    rows: list[int],
    field: str,
    stored_parents: dict[str, dict],
    problems: list[RowProblem],
) -> int:
    """Refuse each township or village less than :data:`MIN_INSIDE_SHARE` inside its parent;
    return how many units were judged. ``stored_parents``: code → stored admin row."""
    in_file = {
        r["code"]: g for r, g in zip(records, geoms, strict=True) if r is not None and g is not None
    }
    judged = 0
    for record, geom, row in zip(records, geoms, rows, strict=True):
        if record is None or geom is None or record["level"] not in PARENT_LABEL:
            continue
        parent_code = record["parent_code"]
        parent = in_file.get(parent_code)
        if parent is None:
            stored = stored_parents.get(parent_code)
            if stored is None or stored["geom"] is None or stored["synthetic_geom"]:
                continue
            parent = stored["geom"]
        judged += 1
        share = shapely.intersection(_valid(geom), _valid(parent)).area / max(geom.area, 1e-18)
        if share < MIN_INSIDE_SHARE:
            zh, en = PARENT_LABEL[record["level"]].split(" / ")
            problems.append(
                RowProblem(row, field, f"{record['code']} {record['name']} 只有 {share:.0%} 的面积"
                           f"在上级{zh} {parent_code} 内（至少需 {MIN_INSIDE_SHARE:.0%}）/ only "
                           f"{share:.0%} of its area lies inside its parent {en} {parent_code} "
                           f"(at least {MIN_INSIDE_SHARE:.0%} must)")
            )  # fmt: skip
    return judged


def outside_cause(
    *,
    raw_xy: np.ndarray,
    given_epsg: int | None,
    outline,
    outside: int,
    judged: int,
    problems: list[RowProblem],
    field: str,
) -> None:
    """When most judged rows lie outside their parent, add the likely cause as a file-level
    problem (a CRS that fits the county, when one does)."""
    if judged == 0 or outside == 0 or outside * 2 <= judged:
        return
    cause = wrong_crs_cause(raw_xy, given_epsg, outline)
    if cause is None:
        cause = (
            "可能的原因：坐标系或坐标列不对（经纬度互换、GCJ-02 未加 --crs gcj02）/ likely cause: "
            "a wrong CRS or coordinate columns (lon/lat swapped, GCJ-02 without --crs gcj02)"
        )
    problems.append(
        RowProblem(None, field, f"{outside} / {judged} 行落在上级范围之外，整个文件被拒绝。{cause} "
                   f"/ {outside} of {judged} rows lie outside their parent: the whole file "
                   "was refused")
    )  # fmt: skip


def _shift(old, new) -> tuple[float, str]:
    a, b = old.centroid, new.centroid
    scale = np.cos(np.radians((a.y + b.y) / 2))
    dx, dy = (b.x - a.x) * METRES_PER_DEGREE * scale, (b.y - a.y) * METRES_PER_DEGREE
    if abs(dx) >= abs(dy):
        direction = "向东 / east" if dx > 0 else "向西 / west"
    else:
        direction = "向北 / north" if dy > 0 else "向南 / south"
    return float(np.hypot(dx, dy)), direction


def _distance(metres: float) -> str:
    return f"{metres / 1000:,.1f} km" if metres >= 1000 else f"{metres:,.0f} m"


def moved_problems(
    *,
    codes: list[str | None],
    geoms: list,
    rows: list[int],
    stored: dict[str, dict],
    field: str,
    replace: bool,
    problems: list[RowProblem],
) -> int:
    """List every stored geometry the load would move beyond the tolerance: refused unless
    ``replace``, a warning otherwise. ``stored``: code → row with ``geom`` and ``synthetic``.
    Returns how many move."""
    moved = 0
    for code, geom, row in zip(codes, geoms, rows, strict=True):
        old = stored.get(code) if code is not None else None
        if old is None or geom is None or old["geom"] is None or old["synthetic"]:
            continue
        metres, direction = _shift(old["geom"], geom)
        polygon = old["geom"].area > 0
        overlap = 1.0
        if polygon:
            common = shapely.intersection(_valid(old["geom"]), _valid(geom)).area
            overlap = common / max(old["geom"].area, geom.area, 1e-18)
        if metres <= MOVE_METRES and overlap >= MIN_OVERLAP:
            continue
        moved += 1
        what = f"中心移动 {_distance(metres)} {direction.split(' / ')[0]}" + (
            f"，与原范围只重叠 {overlap:.0%}" if polygon else ""
        )
        what_en = f"its centre moves {_distance(metres)} {direction.split(' / ')[1]}" + (
            f", only {overlap:.0%} of it overlaps the stored one" if polygon else ""
        )
        if replace:
            problems.append(
                RowProblem(row, field, f"{code}：{what}（--replace：已替换）/ {code}: {what_en} "
                           "(replaced, as --replace asks)", "warning")
            )  # fmt: skip
        else:
            problems.append(
                RowProblem(row, field, f"{code}：与库中现有的相比{what}；确需替换请加 --replace / "
                           f"{code}: compared with the stored one, {what_en}; pass --replace "
                           "to replace it")
            )  # fmt: skip
    return moved
