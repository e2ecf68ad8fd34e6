"""Import one file of a county's own data: read, check everything, then write all or nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from sqlalchemy.orm import Session

from core.errors import ImportRejected, RowProblem
from geo.places import existing, plausible
from geo.places.columns import GEOMETRY_REQUIRED, POLYGON_KINDS
from geo.places.coords import GCJ_NAMES, choose_crs, to_wgs84
from geo.places.fields import BUILDERS
from geo.places.guess import sample_xy
from geo.places.kinds import load_kinds
from geo.places.reading import SourceTable, read_source
from geo.places.shapes import clean_points, clean_polygons
from geo.places.spatial import (
    county_area,
    gcj_polygon_suspicion,
    gcj_suspicion,
    looks_gcj,
    place_points,
)
from geo.places.topology import DEFAULT_TOLERANCE_M2, GridPiece, check_village, snap_village
from geo.places.writing import WriteCounts, write_admin_units, write_grids, write_points

KINDS = ("admin-units", "grids", "addresses", "facilities")


@dataclass
class ImportReport:
    """What one import did: counts, every warning, and the points left without a grid."""

    kind: str
    source: str
    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    moved: dict[str, int] = field(default_factory=dict)
    warnings: list[RowProblem] = field(default_factory=list)
    outside_grids: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    skipped_rows: dict[int, str] = field(default_factory=dict)  # title, totals, footer rows


def _errors(problems: list[RowProblem]) -> list[RowProblem]:
    return [p for p in problems if p.severity == "error"]


def _geometry_field(table: SourceTable) -> str:
    if table.geometry_from == "lonlat":
        return f"{table.columns.label('lon')}/{table.columns.label('lat')}"
    if table.geometry_from in ("wkt", "location"):
        return table.columns.label(table.geometry_from)
    return "geometry"


def _geometries(
    *, session: Session, kind: str, table: SourceTable, crs: str | None, problems, outline
) -> list:
    field_name = _geometry_field(table)
    required = GEOMETRY_REQUIRED[kind]
    if table.geometry_from == "none":
        if required:
            problems.append(
                RowProblem(table.header_row, "geometry", "没有坐标：请加经度、纬度两列或 WKT 列 / "
                           "no geometry: add longitude and "
                           "latitude columns (经度, 纬度 / lon, lat) or a WKT column")
            )  # fmt: skip
        return [None] * len(table)
    flagged = {(p.row, p.field) for p in problems}
    geoms = list(table.geometries)
    for row, geom in zip(table.rows, geoms, strict=True):
        if required and (geom is None or geom.is_empty):
            fields = {f for r, f in flagged if r == row}
            if not any(f and (f in field_name) for f in fields):
                problems.append(
                    RowProblem(row, field_name, "位置为空 / empty: every row needs a location")
                )
    if crs is None and table.geometry_from == "location":
        crs = "gcj02"
        problems.append(
            RowProblem(None, field_name, "“location”一列是高德/腾讯导出的坐标，"
                       "按 GCJ-02 读取并转换为 WGS84；若不是，请加 --crs EPSG:4326"
                       "（百度导出用 --crs bd09）/ a 'location' "
                       "column is an Amap/Tencent export: read as GCJ-02 and converted to WGS84 "
                       "(pass --crs EPSG:4326 if it is not; --crs bd09 for Baidu)", "warning")
        )  # fmt: skip
    choice = choose_crs(option=crs, declared=table.crs, problems=problems)
    geoms = to_wgs84(
        geoms,
        choice=choice,
        rows=table.rows,
        field=field_name,
        area=county_area(session),
        problems=problems,
        outline=outline,
    )
    if any(p.field == "CRS" or "swapped" in p.reason for p in _errors(problems)):
        return [None] * len(table)  # every later spatial check would be meaningless
    if kind in POLYGON_KINDS:
        names = [table.value("code", i) or f"row {r}" for i, r in enumerate(table.rows)]
        return clean_polygons(
            geoms, rows=table.rows, field=field_name, names=names, problems=problems
        )
    geoms = clean_points(geoms, rows=table.rows, field=field_name, problems=problems)
    if not choice.gcj02:  # a hint, worth giving even when other rows are refused
        villages = table.values.get("village_code") or [None] * len(table)
        moved_in, moved_out = gcj_suspicion(session=session, points=geoms, village_codes=villages)
        if looks_gcj(moved_in, moved_out):
            problems.append(
                RowProblem(None, field_name, f"{moved_in} 个点只有按 GCJ-02 读取才落在所属村/"
                           "网格/县内，像是高德/腾讯坐标，请加 --crs gcj02 / "
                           f"{moved_in} points fall inside their village/"
                           f"grid/county only when read as GCJ-02 ({moved_out} the other way): "
                           "the file looks like Amap/Tencent (GCJ-02) coordinates, a few "
                           "hundred metres off. If so, load it again with --crs gcj02",
                           "warning")
            )  # fmt: skip
    return geoms


def _check_grids(
    *, session: Session, records, geoms, rows, field_name, tolerance, problems, gcj_given
) -> None:
    gaps = not _errors(problems)
    by_village: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        if record is not None:
            by_village[record["village_code"]].append(index)
    if not by_village:
        return
    outlines = existing.unit_geometries(session, by_village)
    stored = existing.current_grids(session, by_village)
    already = len(problems)
    for village, members in sorted(by_village.items()):
        if any(geoms[i] is None for i in members):
            continue  # the row's own problem is reported already
        in_file = {records[i]["code"] for i in members}
        pieces = [GridPiece(records[i]["code"], geoms[i], rows[i]) for i in members]
        pieces += [
            GridPiece(g["code"], g["geom"], None)
            for g in stored
            if g["village_code"] == village and g["code"] not in in_file
        ]
        outline = outlines.get(village)
        if outline is None:
            problems.append(
                RowProblem(rows[members[0]], field_name, f"村 {village} "
                           "在库中没有边界，未检查空隙和越界 / "
                           f"village {village} has no boundary "
                           "in the database: gaps and grids outside it were not checked",
                           "warning")
            )  # fmt: skip
        pieces = snap_village(
            village_code=village, village_geom=outline, grids=pieces, field=field_name,
            tolerance=tolerance, problems=problems,
        )  # fmt: skip
        for index, piece in zip(members, pieces, strict=False):
            geoms[index] = piece.geom
        check_village(
            village_code=village,
            village_geom=outline,
            grids=pieces,
            field=field_name,
            tolerance=tolerance,
            problems=problems,
            gaps=gaps,
        )
    if gcj_given or not any("outside its village" in p.reason for p in problems[already:]):
        return
    pairs = [
        (geoms[i], outlines[records[i]["village_code"]])
        for i, record in enumerate(records)
        if record is not None and geoms[i] is not None and record["village_code"] in outlines
    ]
    given, converted = gcj_polygon_suspicion(pairs)
    if converted < 0.5 * given:
        problems.append(
            RowProblem(None, field_name, "按 GCJ-02 读取时网格越出村界少得多，像是在高德/腾讯"
                       "地图上画的，请加 --crs gcj02 / "
                       f"read as GCJ-02, the grids would stick out of their "
                       f"villages {given / max(converted, 1e-18):.0f} times less: they look "
                       "drawn on an Amap/Tencent map. If so, load the file with --crs gcj02",
                       "warning")
        )  # fmt: skip


def import_file(
    *,
    session: Session,
    kind: str,
    path: str | Path,
    crs: str | None = None,
    layer: str | None = None,
    tolerance_m2: float = DEFAULT_TOLERANCE_M2,
    replace: bool = False,
    kinds: str | Path | None = None,
) -> ImportReport:
    """Check every row of ``path`` as ``kind`` and upsert it by code, or write nothing.

    Every layer is checked against its parent (:mod:`geo.places.plausible`); a stored unit,
    grid or point the file would move beyond the tolerance is refused unless ``replace``.
    ``kinds``: the table mapping web-map type strings to facility kinds (default
    :data:`geo.places.kinds.DEFAULT_TABLE`).

    Raises :class:`ImportRejected` listing every problem (row as a spreadsheet counts it,
    field, reason) when any row is refused. Runs inside the caller's transaction; the
    writes sit in a savepoint, so a failure half-way leaves the caller's work intact.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    path = Path(path)
    table = read_source(path=path, kind=kind, layer=layer)
    problems = list(table.problems)
    if not len(table):
        problems.append(RowProblem(None, None, "文件中没有数据行 / the file holds no data rows"))
    if not len(table) or table.header_refused:
        raise ImportRejected(str(path), problems)
    known = existing.known_units(session)
    options = {"kinds": load_kinds(kinds)} if kind == "facilities" else {}
    records = BUILDERS[kind](table, known=known, problems=problems, **options)
    counties = existing.county_geometries(session)
    outline = shapely.union_all([c["geom"] for c in counties]) if counties else None
    geoms = _geometries(
        session=session, kind=kind, table=table, crs=crs, problems=problems, outline=outline
    )
    field_name = _geometry_field(table)
    already = len(problems)
    judged = _check_moves_and_parents(
        session=session, kind=kind, records=records, geoms=geoms, rows=table.rows,
        field_name=field_name, replace=replace, problems=problems,
    )  # fmt: skip
    placed = None
    if kind == "grids":
        _check_grids(
            session=session,
            records=records,
            geoms=geoms,
            rows=table.rows,
            field_name=field_name,
            tolerance=tolerance_m2,
            problems=problems,
            gcj_given=bool(crs) and crs.strip().lower() in GCJ_NAMES,
        )
    elif kind in ("addresses", "facilities"):
        villages = [
            (r.get("village_code") if kind == "addresses" else None) if r else None for r in records
        ]
        placed = place_points(
            session=session,
            points=geoms,
            rows=table.rows,
            village_codes=villages,
            field=field_name,
            problems=problems,
        )
    outside = sum(1 for p in problems[already:] if p.severity == "error" and _is_outside(p))
    plausible.outside_cause(
        raw_xy=sample_xy(table.geometries), given_epsg=_given_epsg(crs, table.crs),
        outline=outline, outside=outside, judged=judged or len(table), problems=problems,
        field=field_name,
    )  # fmt: skip
    if _errors(problems):
        raise ImportRejected(str(path), problems)
    report = ImportReport(
        kind=kind, source=str(path), rows=len(table), ignored_columns=table.columns.ignored,
        skipped_rows=table.skipped,
    )  # fmt: skip
    if placed is not None:
        for record, spot, row in zip(records, placed, table.rows, strict=True):
            record["county_code"] = spot.county_code
            if kind == "addresses":
                record["grid_id"] = spot.grid_id
                if record["village_code"] is None and spot.grid_code is not None:
                    record["village_code"] = spot.grid_code[:12]
                elif spot.grid_code is not None and spot.grid_code[:12] != record["village_code"]:
                    problems.append(
                        RowProblem(row, field_name, f"{record['code']} 填的村是 "
                                   f"{record['village_code']}，但点落在网格 {spot.grid_code} 内 / "
                                   f"{record['code']} says village "
                                   f"{record['village_code']} but its point lies in grid "
                                   f"{spot.grid_code} of village {spot.grid_code[:12]}",
                                   "warning")
                    )  # fmt: skip
                village = known.get(record["village_code"] or "")
                record["township_code"] = village["parent_code"] if village else None
                if spot.grid_id is None:
                    report.outside_grids.append(
                        RowProblem(row, field_name, f"{record['code']} 在县内但不在任何"
                                   "现有网格内，已保留（无网格）/ "
                                   f"{record['code']} lies inside the county "
                                   "but outside every current grid: kept with no grid",
                                   "warning")
                    )  # fmt: skip
    present = set(table.columns.fields)
    with session.begin_nested():
        if kind == "admin-units":
            counts = write_admin_units(
                session=session, records=records, geoms=geoms, present=present
            )
        elif kind == "grids":
            counts = write_grids(session=session, records=records, geoms=geoms, present=present)
        else:
            table_name = "address" if kind == "addresses" else "facility"
            counts = write_points(
                session=session, table=table_name, records=records, geoms=geoms, present=present
            )
    _fill(report, counts)
    report.warnings = [p for p in problems if p.severity != "error"]
    return report


OUTSIDE_MARKS = ("outside its village", "outside the county boundary", "inside its parent")


def _is_outside(problem: RowProblem) -> bool:
    return problem.row is not None and any(mark in problem.reason for mark in OUTSIDE_MARKS)


def _given_epsg(option: str | None, declared) -> int | None:
    if option is not None and option.strip().lower().startswith("epsg:"):
        tail = option.strip()[5:]
        return int(tail) if tail.isdigit() else None
    return declared.to_epsg() if declared is not None and declared.is_projected else None


def _check_moves_and_parents(
    *, session: Session, kind: str, records, geoms, rows, field_name, replace, problems
) -> int:
    """Parents and moves (see :mod:`geo.places.plausible`); returns the units judged
    against a parent (0 when the kind has no such check here)."""
    codes = [r["code"] if r is not None else None for r in records]
    present = [c for c in codes if c is not None]
    judged = 0
    if kind == "admin-units":
        stored_rows = existing.admin_rows(
            session, present + [r["parent_code"] for r in records if r and r["parent_code"]]
        )
        judged = plausible.parent_problems(
            records=records, geoms=geoms, rows=rows, field=field_name,
            stored_parents=stored_rows, problems=problems,
        )  # fmt: skip
        stored = {c: {"geom": r["geom"], "synthetic": r["synthetic_geom"]}
                  for c, r in stored_rows.items()}  # fmt: skip
    elif kind == "grids":
        villages = {r["village_code"] for r in records if r is not None}
        stored = {g["code"]: g for g in existing.current_grids(session, villages)}
    else:
        table_name = "address" if kind == "addresses" else "facility"
        stored = existing.point_rows(session, table_name, present)
    plausible.moved_problems(
        codes=codes, geoms=geoms, rows=rows, stored=stored, field=field_name, replace=replace,
        problems=problems,
    )  # fmt: skip
    return judged


def _fill(report: ImportReport, counts: WriteCounts) -> None:
    report.inserted = counts.inserted
    report.updated = counts.updated
    report.unchanged = counts.unchanged
    report.closed = counts.closed
    report.moved = counts.moved
