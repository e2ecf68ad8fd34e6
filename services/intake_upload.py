"""Intake of an uploaded ledger (台账) with a per-row preview (``/intake``, the upload endpoints).

The file is read by the one tabular reader (:func:`geo.files.read_table`: encodings, title
rows, totals rows) and goes through the same intake as ``wangge ingest`` and
``POST /api/v1/disputes`` (:func:`geo.disputes.intake.ingest_frame`), all in the caller's one
transaction. The outcome of every data row is worked out from the intake's report, and a
fingerprint of those outcomes (:attr:`UploadResult.token`) lets a commit check that it stores
exactly what its preview showed: the caller rolls a preview back and commits a commit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from core.errors import ImportRejected, InvalidRequest, NotFound, RowProblem
from core.principal import Principal
from geo import files
from geo.disputes import columns as cols
from geo.disputes import intake, listing
from geo.disputes.locate import Locator

OUTCOMES = {
    "accepted": "可受理 accepted",
    "needs_location": "位置待核实 needs a location",
    "duplicate": "疑似重复 possible duplicate",
    "already_present": "已登记 already stored",
    "refused": "不予受理 refused",
}
SKIPPED_ROWS = {"title": "标题行 title row", "totals": "合计行 totals row", "footer": "表尾 footer"}
STORED_OUTCOMES = ("accepted", "needs_location", "duplicate")
COLUMN_LABELS = {
    "external_id": "编号", "reported_at": "受理时间", "observed_at": "发现时间",
    "category": "类别", "severity": "等级", "kind": "类型", "weight": "权重", "address": "地址",
    "lon": "经度", "lat": "纬度", "crs": "坐标系", "description": "简要情况", "source": "来源",
    "parties": "当事人",
}  # fmt: skip


@dataclass
class Upload:
    """A file read for intake: its records as text cells indexed by spreadsheet row, the rows
    the reader left out, and each English field's header as written in the file."""

    kind: str
    name: str
    digest: str
    frame: pd.DataFrame
    skipped: dict[int, str]
    headers: dict[str, str]
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class UploadResult:
    """The outcome of every data row of an upload, with the counts and a fingerprint."""

    kind: str
    name: str
    rows: list[dict]
    skipped: list[dict]
    token: str
    accepted_ids: dict[str, int]

    def counts(self) -> dict[str, int]:
        """How many rows had each outcome; ``stored`` counts the rows written."""
        counted = {outcome: 0 for outcome in OUTCOMES}
        for row in self.rows:
            counted[row["outcome"]] += 1
        stored = sum(counted[o] for o in STORED_OUTCOMES)
        return {"rows": len(self.rows), **counted, "stored": stored, "skipped": len(self.skipped)}


def read_upload(
    path: Path, *, kind: str, name: str, max_cell_chars: int, max_header_chars: int
) -> Upload:
    """Read an uploaded .xlsx or .csv for intake of ``kind`` (disputes or signals).

    A header longer than ``max_header_chars`` refuses the file; a row holding a cell longer
    than ``max_cell_chars`` is refused alone, naming its row and column."""
    if kind not in cols.TEMPLATES:
        raise InvalidRequest(f"未知的类型 {kind!r} / unknown intake kind {kind!r}")
    try:
        sheet = files.read_table(path, known=cols.known_headers(kind))
    except ImportRejected as rejected:
        raise ImportRejected(source=name, problems=rejected.problems) from None
    if not sheet.rows:
        raise InvalidRequest(f"{name}：没有数据行 / {name}: the file holds no data rows")
    frame = sheet.text_frame(cols.ROW_INDEX)
    for header in frame.columns:
        if len(str(header)) > max_header_chars:
            raise InvalidRequest(
                f"列名超过 {max_header_chars} 字 / a column name is longer than "
                f"{max_header_chars} characters"
            )
    english = cols.rename_headers(frame.iloc[:0], cols.TEMPLATES[kind]).columns
    headers = {str(e): str(w) for e, w in zip(english, frame.columns, strict=True)}
    frame, problems = _without_overlong(frame, max_cell_chars)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Upload(kind, name, digest, frame, dict(sheet.dropped), headers, problems)


def _without_overlong(frame: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, list[RowProblem]]:
    problems = []
    for row, record in frame.iterrows():
        for header, cell in record.items():
            if isinstance(cell, str) and len(cell) > limit:
                reason = f"超过 {limit} 字 / longer than {limit} characters"
                problems.append(RowProblem(int(row), str(header), reason))
                break
    refused = {p.row for p in problems}
    return frame[~frame.index.isin(refused)], problems


class _Watching:
    """A :class:`Locator` that remembers where it placed each row (the matched place)."""

    def __init__(self, locator: Locator) -> None:
        self.locator = locator
        self.placed: dict[int, tuple[int | None, str | None]] = {}

    def locate(self, rows: pd.DataFrame) -> pd.DataFrame:
        """The wrapped locator's answer, noted row by row."""
        where = self.locator.locate(rows)
        for row, grid, unit in zip(
            rows["row"], where["grid_id"], where["location_admin_code"], strict=True
        ):
            self.placed[int(row)] = (None if pd.isna(grid) else int(grid), unit)
        return where


def run_intake(
    *,
    session: Session,
    upload: Upload,
    locator: Locator,
    user: Principal,
    scope: dict | None,
) -> UploadResult:
    """Take ``upload`` in through the ordinary intake in ``session`` (not committed here) and
    say what became of every row."""
    watching = _Watching(locator)
    report = intake.ingest_frame(
        session=session, frame=upload.frame, kind=upload.kind, locator=watching,
        actor=user.username, source=f"upload:{upload.name}", scope=scope,
    )  # fmt: skip
    places = _Places(locator)
    duplicate_of = _duplicate_of(session, user, report.flagged_duplicates)
    rows = _outcomes(upload, report, watching.placed, places, duplicate_of)
    skipped = [
        {"row": row, "kind": kind, "label": SKIPPED_ROWS.get(kind, kind)}
        for row, kind in sorted(upload.skipped.items())
    ]
    return UploadResult(
        upload.kind, upload.name, rows, skipped, _token(upload, rows), dict(report.accepted)
    )


def _row_ids(upload: Upload) -> dict[int, str]:
    """Each row's external id as written (a repeat is refused by the intake's checks)."""
    column = upload.headers.get("external_id")
    if column is None:
        return {}
    return {
        int(row): value.strip()
        for row, value in upload.frame[column].items()
        if isinstance(value, str) and value.strip()
    }


def _outcomes(upload, report, placed, places, duplicate_of) -> list[dict]:
    problems: dict[int, list[RowProblem]] = {}
    for problem in [*upload.problems, *report.rejected]:
        if problem.row is not None:
            problems.setdefault(int(problem.row), []).append(problem)
    external_at = _row_ids(upload)
    first_row: dict[str, int] = {}
    for row, external_id in sorted(external_at.items()):
        first_row.setdefault(external_id, row)
    unverified = {c["external_id"]: c for c in report.location_unverified}
    flagged = set(report.flagged_duplicates)
    present = set(report.already_present)
    row_of_case = {case_id: first_row.get(e) for e, case_id in report.accepted.items()}
    rows = []
    for row in sorted({*upload.frame.index.astype(int), *(p.row for p in upload.problems)}):
        external_id = external_at.get(row)
        entry = {"row": row, "external_id": external_id, "column": None, "reason": None,
                 "place": None, "grid": None, "case_id": None, "duplicate_of": None,
                 "duplicate_of_row": None}  # fmt: skip
        if row in problems:
            first = problems[row][0]
            entry |= {
                "outcome": "refused",
                "column": _column_as_written(upload, first.field),
                "reason": "；".join(p.reason for p in problems[row]),
            }
        elif external_id in report.accepted:
            case_id = report.accepted[external_id]
            grid_id, unit = placed.get(row, (None, None))
            entry |= {"case_id": case_id, **places.describe(grid_id, unit)}
            if case_id in flagged:
                entry |= _duplicate(duplicate_of.get(case_id), row_of_case)
            elif grid_id is None or external_id in unverified:
                entry["outcome"] = "needs_location"
                entry["reason"] = _location_reason(unverified.get(external_id))
            else:
                entry["outcome"] = "accepted"
        elif external_id in present:
            entry |= {
                "outcome": "already_present",
                "column": _column_as_written(upload, "external_id"),
                "reason": f"编号 {external_id} 已登记，不重复写入 / external_id {external_id} "
                "is stored already: not written twice",
            }
        else:
            entry |= {"outcome": "refused", "reason": "未受理 / not taken in"}
        entry["label"] = OUTCOMES[entry["outcome"]]
        rows.append(entry)
    return rows


def _duplicate(original: int | None, row_of_case: dict[int, int | None]) -> dict:
    """Outcome of a case flagged as a likely duplicate, naming the row of this file or the
    stored case it may repeat."""
    in_file = row_of_case.get(original) if original is not None else None
    if in_file is not None:
        shown, shown_en = f"本文件第 {in_file} 行", f"row {in_file} of this file"
    elif original is not None:
        shown, shown_en = f"案件 #{original}", f"case #{original}"
    else:
        shown, shown_en = "已有案件", "an earlier case"
    return {
        "outcome": "duplicate",
        "duplicate_of": original,
        "duplicate_of_row": in_file,
        "reason": f"疑似与{shown}重复（地点、时间相近，类别相同），已登记并标记待核对 / "
        f"possible duplicate of {shown_en} (near in place and time, same category): stored "
        "and flagged for review",
    }


def _location_reason(check: dict | None) -> str:
    if not check:
        return "未能落到网格，请核实位置 / on no grid: check the location"
    messages = [c.get("message") for c in check.get("conflicts") or [] if c.get("message")]
    reason = check.get("reason")
    said = "；".join([*([reason] if reason else []), *messages])
    return said or "位置待核实 / location unverified"


def _column_as_written(upload: Upload, field_name: str | None) -> str | None:
    """The column as the file names it (the intake's checks speak of English fields)."""
    if field_name is None:
        return None
    if field_name in upload.headers.values():
        return field_name
    written = upload.headers.get(field_name)
    return written or COLUMN_LABELS.get(field_name, field_name)


def _duplicate_of(session: Session, user: Principal, flagged: list[int]) -> dict[int, int]:
    """For each flagged new case, the earlier case it may repeat, when the caller may see it."""
    found = {}
    for case_id in flagged:
        feature = json.loads(listing.dispute_feature(session=session, dispute_id=case_id))
        original = feature["properties"].get("duplicate_of")
        if original is None:
            continue
        try:
            scope = listing.case_scope(session=session, dispute_id=int(original))
        except NotFound:
            continue
        if user.may_see_case(
            grid_code=scope["grid_code"], county_code=scope["county_code"],
            facility_code=scope["facility_code"],
        ):  # fmt: skip
            found[case_id] = int(original)
    return found


class _Places:
    """Names of the grid, village and township a row was placed in (from the locator)."""

    def __init__(self, locator: Locator) -> None:
        self.locator = locator
        self.codes = {grid_id: code for code, grid_id in locator.grid_ids.items()}
        self.gazetteer = locator.geocoder.gazetteer

    def _name(self, code: str | None) -> str | None:
        unit = self.gazetteer.unit(code) if code else None
        return unit.name if unit else code

    def describe(self, grid_id: int | None, unit_code: str | None) -> dict:
        """``place`` (words) and ``grid`` (code) of a placement."""
        if grid_id is None:
            name = self._name(unit_code)
            return {"place": f"{name}（未落到网格 no grid）" if name else None, "grid": None}
        code = self.codes.get(grid_id)
        village, township = self.locator.grid_units.get(grid_id, (None, None))
        grid_name = self.gazetteer.grid_names.get(code) if code else None
        parts = [self._name(township), self._name(village), grid_name]
        words = " ".join(p for p in parts if p)
        return {"place": f"{words} ({code})" if words else code, "grid": code}


def _token(upload: Upload, rows: list[dict]) -> str:
    """Fingerprint of what an upload does: the file and each row's outcome and place."""
    facts = [(r["row"], r["outcome"], r["external_id"], r["grid"], r["reason"]) for r in rows]
    text = json.dumps([upload.kind, upload.digest, facts], ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def links(result: UploadResult) -> dict:
    """Where to look at what an upload stored: the list, each stored case, the map."""
    kind = result.kind
    cases = [
        {"row": r["row"], "external_id": r["external_id"], "id": r["case_id"],
         "href": f"/api/v1/{kind}/{r['case_id']}" if kind == "disputes" else None}
        for r in result.rows if r["case_id"] is not None
    ]  # fmt: skip
    return {"list": f"/api/v1/{kind}", "map": "/maps/command-room", "cases": cases}
