"""Intake (兜底受理) of disputes and risk signals from files and from the API.

Policy, unlike the all-or-nothing base-layer loads: **good rows are committed, bad rows are
listed**. A clerk's spreadsheet with three bad rows out of 300 must not hold up the other
297, and a re-sent file must not duplicate anything:

- every row is checked (:mod:`geo.disputes.columns`); a rejected row is reported with its
  row number, field and reason, and the rest go on;
- accepted rows are located (:mod:`geo.disputes.locate`) and written with
  ``INSERT … ON CONFLICT (external_id) DO NOTHING``: a record already stored is reported as
  already present, never written twice;
- a record that cannot be put on a grid is kept (``grid_id`` null) and listed as needing a
  location;
- each new dispute gets its deadline (:mod:`core.limits`), its intake event
  (→ received), its parties (restricted table) and a duplicate check.

Files are processed in chunks; :func:`ingest_file` commits each chunk, so an interruption
loses nothing already accepted and a re-run picks up where it stopped (idempotence).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from core.errors import ImportRejected, InvalidRequest, NotFound, RowProblem
from geo import files
from geo.database.engine import transaction
from geo.database.sqlfiles import sql
from geo.disputes import columns as cols
from geo.disputes import intake_messages as say
from geo.disputes import intake_scope
from geo.disputes import intake_staging as staging
from geo.disputes.duplicates import flag_duplicates
from geo.disputes.locate import Locator
from geo.places.counties import which_county

CHUNK_ROWS = 5000


@dataclass
class IntakeReport:
    """What an intake did with each record it was given."""

    kind: str
    received: int = 0
    accepted: dict[str, int] = field(default_factory=dict)
    already_present: list[str] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    needs_location: list[str] = field(default_factory=list)
    flagged_duplicates: list[int] = field(default_factory=list)
    # 位置待核实: records stored without a certain grid or with conflicting evidence
    location_unverified: list[dict] = field(default_factory=list)
    # each English field with its column as the file writes it (for the messages)
    columns: dict[str, str] = field(default_factory=dict)
    # rows of the file the reader left out: row → "title", "totals" or "footer"
    skipped_rows: dict[int, str] = field(default_factory=dict)

    def merge(self, other: IntakeReport) -> None:
        """Add another chunk's report to this one."""
        self.received += other.received
        self.accepted.update(other.accepted)
        self.already_present += other.already_present
        self.rejected += other.rejected
        self.needs_location += other.needs_location
        self.flagged_duplicates += other.flagged_duplicates
        self.location_unverified += other.location_unverified
        self.columns = self.columns or other.columns
        self.skipped_rows |= other.skipped_rows

    def column(self, name: str | None) -> str | None:
        """The column ``name`` (an English field) as the file writes it."""
        return None if name is None else self.columns.get(name, name)

    def as_dict(self, *, limit: int | None = None) -> dict:
        """JSON-ready summary; ``limit`` caps the lists (counts stay exact)."""

        def cap(items: list) -> list:
            return items if limit is None else items[:limit]

        return {
            "kind": self.kind,
            "received": self.received,
            "accepted": len(self.accepted),
            "already_present": len(self.already_present),
            "rejected": len(self.rejected),
            "needs_location": len(self.needs_location),
            "flagged_duplicates": len(self.flagged_duplicates),
            "ids": cap([{"external_id": k, "id": v} for k, v in self.accepted.items()]),
            "already_present_ids": cap(self.already_present),
            "problems": cap(
                [{"row": p.row, "field": p.field, "reason": p.reason} for p in self.rejected]
            ),
            "needs_location_ids": cap(self.needs_location),
            "location_unverified": len(self.location_unverified),
            "location_checks": cap(self.location_unverified),
            "skipped_rows": [{"row": r, "kind": k} for r, k in sorted(self.skipped_rows.items())],
        }


@dataclass
class IntakeFile:
    """A file's records as text cells by spreadsheet row, and the rows the reader left out."""

    frame: pd.DataFrame
    skipped_rows: dict[int, str] = field(default_factory=dict)


def read_table(
    path: str | Path, *, layer: str | None = None, kind: str | None = None
) -> pd.DataFrame:
    """A CSV, Excel or GeoJSON/GeoPackage file as a frame of text cells, indexed by each
    record's spreadsheet row (:data:`geo.disputes.columns.ROW_INDEX`); see
    :func:`read_file`."""
    return read_file(path, layer=layer, kind=kind).frame


def read_file(path: str | Path, *, layer: str | None = None, kind: str | None = None) -> IntakeFile:
    """A CSV, Excel or GeoJSON/GeoPackage file for intake, with the rows its reader skipped.

    Spreadsheets are read by :func:`geo.files.read_table` (title rows above the header,
    totals rows and footers dropped; ``kind`` narrows the header names looked for); the
    points of a GIS layer become lon/lat columns, features numbered from 1.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InvalidRequest(f"找不到文件 / no such file: {path}")
    if suffix in (".geojson", ".json", ".gpkg", ".shp"):
        return IntakeFile(_read_layer(path, layer))
    if not files.is_table(path) and suffix != ".xls":
        raise InvalidRequest(
            f"不支持的文件类型 {suffix!r} / unsupported file type {suffix!r}: "
            "use .csv, .xlsx or .geojson"
        )
    try:
        sheet = files.read_table(path, known=cols.known_headers(kind), sheet=layer)
    except ImportRejected as rejected:
        raise InvalidRequest("; ".join(p.reason for p in rejected.problems)) from None
    return IntakeFile(sheet.text_frame(cols.ROW_INDEX), dict(sheet.dropped))


def _read_layer(path: Path, layer: str | None) -> pd.DataFrame:
    import geopandas as gpd

    try:
        files.check_size(path)
        frame = gpd.read_file(path, layer=layer)
    except ImportRejected as rejected:
        raise InvalidRequest("; ".join(p.reason for p in rejected.problems)) from None
    except Exception as error:  # GDAL and its drivers raise many kinds for a damaged file
        raise InvalidRequest(
            "无法读取这个文件（已损坏或格式不对）/ cannot read the file (damaged, or not "
            f"GeoJSON, GeoPackage or Shapefile): {type(error).__name__}"
        ) from None
    if frame.crs is not None and frame.crs.is_projected:
        frame = frame.to_crs(4326)
    # Geographic CRSs (WGS84, CGCS2000, 3-D EPSG:4979) differ by centimetres: read as WGS84;
    # a height is dropped.
    points = frame.geometry
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    is_point = points.notna() & (points.geom_type == "Point")
    out["lon"] = np.where(is_point, points.x.where(is_point), np.nan)
    out["lat"] = np.where(is_point, points.y.where(is_point), np.nan)
    out.index = pd.RangeIndex(1, len(out) + 1, name=cols.ROW_INDEX)
    return out


def default_county(*, session: Session) -> str | None:
    """The county code when the database holds exactly one county, else None."""
    try:
        return which_county(session=session)
    except (NotFound, InvalidRequest):
        return None


def ingest_frame(
    *,
    session: Session,
    frame: pd.DataFrame,
    kind: str,
    locator: Locator,
    actor: str = "intake",
    source: str = "file",
    crs: str | None = None,
    county: str | None = None,
    synthetic: bool = False,
    check_duplicates: bool = True,
    now: dt.datetime | None = None,
    scope: dict | None = None,
) -> IntakeReport:
    """Check, locate and write one batch of records (a whole small file or one chunk).

    ``scope`` (``Principal.scope_params()``, API intake): every record must land inside it
    (:mod:`geo.disputes.intake_scope`)."""
    if kind not in cols.TEMPLATES:
        raise InvalidRequest(
            f"未知的受理类型 {kind!r}：可为 disputes 或 signals / unknown intake kind {kind!r}: "
            "disputes or signals"
        )
    template = cols.TEMPLATES[kind]
    now = now or dt.datetime.now(dt.UTC)
    report = IntakeReport(kind=kind, received=len(frame))
    report.columns = cols.written_headers(frame, template)
    renamed = cols.rename_headers(frame, template)
    checked = cols.check(renamed, template, crs=crs, now=now, written=report.columns)
    report.rejected = checked.problems
    rows = checked.rows
    if rows.empty:
        return report
    present = set(
        session.execute(
            sql(f"{kind}_intake_present"), {"ids": rows["external_id"].tolist()}
        ).scalars()
    )
    stored = rows["external_id"].isin(present)
    report.already_present = rows.loc[stored, "external_id"].tolist()
    if scope is not None and report.already_present:
        report.already_present, taken = intake_scope.split_present(
            session=session, kind=kind, rows=rows.loc[stored, "row"].tolist(),
            external_ids=report.already_present, scope=scope,
        )  # fmt: skip
        report.rejected += taken
    rows = rows[~stored].reset_index(drop=True)
    if rows.empty:
        return report
    rows["source"] = rows["source"].where(rows["source"].notna(), source)
    rows["synthetic"] = synthetic
    where = locator.locate(rows)
    fallback = county or default_county(session=session)
    where["county_code"] = where["county_code"].where(where["county_code"].notna(), fallback)
    no_county = where["county_code"].isna()
    for row in rows.loc[no_county, "row"]:
        report.rejected.append(RowProblem(int(row), "address", say.no_county()))
    rows, where = rows[~no_county], where[~no_county]
    where["level_places"] = where["grid_id"].notna() | (where["geocode_level"] == "none")
    # Plans over a 5,000-row batch look expensive enough to trigger JIT compilation, which
    # costs more than it saves on these index-driven statements.
    session.execute(text("SET LOCAL jit = off"))
    staging.stage(session, kind, rows, where)
    if scope is not None:
        intake_scope.refuse_outside(session=session, kind=kind, scope=scope)
    inserted = session.execute(sql(f"{kind}_intake_insert")).all()
    report.accepted = {r.external_id: r.id for r in inserted}
    report.already_present += [e for e in rows["external_id"] if e not in report.accepted]
    placed = where["grid_id"].notna().to_numpy()
    report.needs_location = [
        e for e, ok in zip(rows["external_id"], placed, strict=True)
        if not ok and e in report.accepted
    ]  # fmt: skip
    report.location_unverified = [
        {"external_id": e, "row": int(r), **c}
        for e, r, c in zip(rows["external_id"], rows["row"], where["location_check"], strict=True)
        if c is not None and e in report.accepted
    ]
    if kind == "disputes" and report.accepted:
        ids = list(report.accepted.values())
        note = f"intake ({source})"
        session.execute(sql("disputes_intake_events"), {"ids": ids, "actor": actor, "note": note})
        staging.write_parties(session, rows, report.accepted)
        if check_duplicates:
            report.flagged_duplicates = flag_duplicates(session=session, ids=ids)
    report.rejected.sort(key=lambda p: p.row or 0)
    return report


def ingest_records(
    *, session: Session, records: list[dict], kind: str, locator: Locator, **options
) -> IntakeReport:
    """Intake of JSON records (the API): each record is one row of the file template."""
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    if frame.empty:
        raise InvalidRequest("没有记录 / no records given")
    return ingest_frame(session=session, frame=frame, kind=kind, locator=locator, **options)


def ingest_file(
    *,
    engine: Engine,
    path: str | Path,
    kind: str,
    crs: str | None = None,
    county: str | None = None,
    layer: str | None = None,
    actor: str = "intake",
    chunk_rows: int = CHUNK_ROWS,
    on_progress: Callable[[int, int], None] | None = None,
) -> IntakeReport:
    """Ingest a file chunk by chunk, committing each chunk; return the merged report (with the
    title, totals and footer rows the reader skipped)."""
    read = read_file(path, layer=layer, kind=kind)
    report = ingest_dataframe(
        engine=engine, frame=read.frame, kind=kind, crs=crs, county=county, actor=actor,
        source=f"file:{Path(path).name}", chunk_rows=chunk_rows, on_progress=on_progress,
    )  # fmt: skip
    report.skipped_rows = read.skipped_rows
    return report


def ingest_dataframe(
    *,
    engine: Engine,
    frame: pd.DataFrame,
    kind: str,
    chunk_rows: int = CHUNK_ROWS,
    on_progress: Callable[[int, int], None] | None = None,
    locator: Locator | None = None,
    **options,
) -> IntakeReport:
    """Ingest an in-memory frame in committed chunks (the file path, the demo, the bench).

    Repeated external ids across chunks are caught too: a later chunk sees the earlier
    one's rows in the table and reports them as already present. Pass ``locator`` to reuse
    one already loaded (building the gazetteer costs seconds).
    """
    if locator is None:
        with transaction(engine) as session:
            locator = Locator.load(session=session, county=options.get("county"))
    report = IntakeReport(kind=kind)
    total = len(frame)
    if frame.index.name != cols.ROW_INDEX:
        frame = frame.set_axis(pd.Index(cols.row_numbers(frame), name=cols.ROW_INDEX))
    for start in range(0, max(total, 1), chunk_rows):
        chunk = frame.iloc[start : start + chunk_rows].copy()
        if chunk.empty:
            break
        with transaction(engine) as session:
            report.merge(
                ingest_frame(session=session, frame=chunk, kind=kind, locator=locator, **options)
            )
        if on_progress:
            on_progress(min(start + chunk_rows, total), total)
    return report
