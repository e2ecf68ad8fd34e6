"""``POST /api/v1/disputes/upload`` and ``POST /api/v1/signals/upload``: a ledger (台账) as a
file, with a per-row preview.

The county centre and township centres (``core.principal.MANAGER_ROLES``) send one .xlsx or
.csv file as ``multipart/form-data``. With ``dry_run=true`` the answer says what each row
would become and nothing is stored; without it the same intake stores the rows in one
transaction. A commit that sends back its preview's ``preview`` fingerprint is refused (409,
nothing stored) when the outcomes have changed since: it stores exactly what the preview
showed, or nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile

from api.deps import Manager, SessionDep, audit_case
from api.schemas.disputes import MAX_BATCH, MAX_CELL_CHARS, MAX_KEY_CHARS
from api.schemas.uploads import UploadOut
from core.errors import Conflict, InvalidRequest
from core.principal import Principal
from services import intake_upload

router = APIRouter(tags=["intake"])

SUFFIXES = (".xlsx", ".csv")
_COPY_CHUNK = 1 << 20

FileField = Annotated[
    UploadFile, File(description="一个 .xlsx 或 .csv 台账 / one .xlsx or .csv file")
]
DryRun = Annotated[bool, Form(description="true: preview only, nothing is stored")]
Preview = Annotated[
    str | None,
    Form(max_length=64, description="the fingerprint of the preview this commit follows"),
]


@router.post("/disputes/upload", response_model=UploadOut)
def upload_disputes(
    request: Request,
    session: SessionDep,
    user: Manager,
    file: FileField,
    dry_run: DryRun = False,
    preview: Preview = None,
) -> dict:
    """A disputes ledger as a file: each row's outcome (可受理, 位置待核实, 疑似重复, 已登记,
    不予受理 with the row and column); stored in one transaction unless ``dry_run``."""
    return _upload(request, session, user, file, "disputes", dry_run, preview)


@router.post("/signals/upload", response_model=UploadOut)
def upload_signals(
    request: Request,
    session: SessionDep,
    user: Manager,
    file: FileField,
    dry_run: DryRun = False,
    preview: Preview = None,
) -> dict:
    """A risk-signal ledger as a file (the same rules as disputes)."""
    return _upload(request, session, user, file, "signals", dry_run, preview)


def _file_name(upload: UploadFile) -> str:
    name = PurePath((upload.filename or "").replace("\\", "/")).name.strip()
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidRequest(
            f"请上传 .xlsx 或 .csv 文件（收到 {name or '无文件名'}）/ "
            f"upload a .xlsx or .csv file (got {name or 'no file name'!r})"
        )
    return name[:200]


def _save(upload: UploadFile, target: Path, limit: int) -> None:
    """Copy the upload to ``target``; 413 past ``limit`` bytes."""
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(_COPY_CHUNK):
            written += len(chunk)
            if written > limit:
                raise HTTPException(
                    413,
                    f"文件超过 {limit / 1e6:g} MB，请分成几个文件 / the file is larger than "
                    f"{limit / 1e6:g} MB: split it",
                )
            out.write(chunk)


def _upload(
    request: Request,
    session: SessionDep,
    user: Principal,
    file: UploadFile,
    kind: str,
    dry_run: bool,
    preview: str | None,
) -> dict:
    from geo.disputes.locate import LocatorCache

    name = _file_name(file)
    with tempfile.TemporaryDirectory(prefix="wangge-upload-") as folder:
        path = Path(folder) / f"upload{PurePath(name).suffix.lower()}"
        _save(file, path, request.app.state.settings.max_body_bytes)
        upload = intake_upload.read_upload(
            path, kind=kind, name=name, max_cell_chars=MAX_CELL_CHARS,
            max_header_chars=MAX_KEY_CHARS,
        )  # fmt: skip
    if len(upload.frame) > MAX_BATCH:
        raise InvalidRequest(
            f"{name} 有 {len(upload.frame)} 行，每次最多 {MAX_BATCH} 行，请分成几个文件 / "
            f"{len(upload.frame)} rows: at most {MAX_BATCH} per file, split it"
        )
    cache = getattr(request.app.state, "intake_locator", None)
    if cache is None:
        cache = request.app.state.intake_locator = LocatorCache()
    result = intake_upload.run_intake(
        session=session, upload=upload, locator=cache.get(session=session), user=user,
        scope=user.scope_params() if user.limits_writes else None,
    )  # fmt: skip
    if not dry_run and preview and preview != result.token:
        raise Conflict(
            "预览之后数据已有变化，未写入任何记录，请重新预览 / the outcome differs from the "
            "preview (the data changed since): nothing was stored, preview again"
        )
    if dry_run:
        session.rollback()
    else:
        for external_id, case_id in result.accepted_ids.items():
            audit_case(session, user, request, "change", case_id,
                       {"intake": external_id, "file": name}, object_type=kind[:-1])  # fmt: skip
    rows = result.rows
    if dry_run:
        # ids drawn in a rolled-back transaction name nothing: the rows of the file do
        rows = [
            {**row, "case_id": None,
             "duplicate_of": None if row["duplicate_of_row"] else row["duplicate_of"]}
            for row in rows
        ]  # fmt: skip
    return {
        "kind": kind,
        "file": name,
        "dry_run": dry_run,
        "stored": not dry_run,
        "preview": result.token,
        "counts": result.counts(),
        "rows": rows,
        "skipped": result.skipped,
        "links": None if dry_run else intake_upload.links(result),
    }
