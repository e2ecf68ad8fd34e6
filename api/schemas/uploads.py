"""Responses of the ledger uploads (``POST /api/v1/disputes/upload``, ``/signals/upload``): the
outcome of every row, the counts, and what a commit stored."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.schemas.common import Out

Outcome = Literal["accepted", "needs_location", "duplicate", "already_present", "refused"]


class UploadRow(Out):
    """What became (or would become) of one data row of the file."""

    row: int = Field(description="行号，与 Excel 显示的一致 / the row as Excel shows it")
    external_id: str | None = Field(description="编号")
    outcome: Outcome = Field(
        description="accepted 可受理; needs_location 位置待核实 (stored, on no certain grid); "
        "duplicate 疑似重复 (stored, flagged); already_present 已登记 (not written twice); "
        "refused 不予受理"
    )
    label: str = Field(description="the outcome in Chinese and English")
    column: str | None = Field(description="the column at fault, as written in the file")
    reason: str | None = Field(description="why (Chinese first, English beside)")
    place: str | None = Field(description="matched place: township, village, grid (code)")
    grid: str | None = Field(description="grid code")
    case_id: int | None = Field(description="id stored under (null in a dry run)")
    duplicate_of: int | None = Field(description="the earlier case a duplicate may repeat")
    duplicate_of_row: int | None = Field(description="…or the earlier row of this file")


class SkippedRow(Out):
    """A row the reader left out: a title, a 合计 row, a footer."""

    row: int
    kind: str
    label: str


class UploadCounts(Out):
    """How many rows had each outcome; ``stored`` = accepted + needs_location + duplicate."""

    rows: int
    accepted: int
    needs_location: int
    duplicate: int
    already_present: int
    refused: int
    stored: int
    skipped: int


class StoredCase(Out):
    """A case a commit stored, and where to read it."""

    row: int
    external_id: str | None
    id: int
    href: str | None


class UploadLinks(Out):
    """Where to look at what was stored."""

    list: str
    map: str
    cases: list[StoredCase]


class UploadOut(Out):
    """The preview of an upload (``dry_run``: nothing stored) or the result of its commit."""

    kind: Literal["disputes", "signals"]
    file: str
    dry_run: bool
    stored: bool = Field(description="true when the rows were written (a commit)")
    preview: str = Field(
        description="fingerprint of the outcomes; send it back with the commit so that the "
        "commit stores exactly what this preview showed (409 otherwise)"
    )
    counts: UploadCounts
    rows: list[UploadRow]
    skipped: list[SkippedRow]
    links: UploadLinks | None = Field(None, description="after a commit")
