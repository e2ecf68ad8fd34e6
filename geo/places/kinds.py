"""Facility kinds from web-map exports: Amap, Tencent and Baidu type strings.

A POI export names a category path such as ``政府机构及社会团体;公检法机构;派出所`` or
``…;公安警察`` (Tencent joins with ``:``, some tools with ``|``). The editable table
``poi_kinds.csv`` (next to this module, or another one given with ``--kinds``) maps keywords
to the kinds of :data:`core.vocab.FACILITY_KINDS`; rows are tried in order, first on the
most specific segment of the path, then on the others, then on the POI's name, so more
specific keywords go first. A kind not found gets the closest known ones suggested.
"""

from __future__ import annotations

import csv
import difflib
import re
from pathlib import Path

from core import vocab
from core.errors import ImportRejected, RowProblem

DEFAULT_TABLE = Path(__file__).with_name("poi_kinds.csv")
_SEGMENTS = re.compile(r"[;；:|/>]+")


def load_kinds(path: Path | None = None) -> list[tuple[str, str]]:
    """The (keyword, kind) rows of a kinds table, checked: every kind must be a known one."""
    path = Path(path) if path is not None else DEFAULT_TABLE
    if not path.exists():
        raise ImportRejected(
            str(path), [RowProblem(None, "--kinds", f"找不到类型对照表 / no kinds table: {path}")]
        )
    rows, problems = [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            keyword, kind = (row.get("keyword") or "").strip(), (row.get("kind") or "").strip()
            if not keyword:
                continue
            if kind not in vocab.FACILITY_KINDS:
                problems.append(
                    RowProblem(number, "kind", f"'{kind}' 不是设施类型 / not a facility kind; "
                               f"accepted: {', '.join(vocab.FACILITY_KINDS)}")
                )  # fmt: skip
            rows.append((keyword, kind))
    if problems:
        raise ImportRejected(str(path), problems)
    return rows


def poi_kind(type_text: str | None, name: str | None, table: list[tuple[str, str]]) -> str | None:
    """The facility kind a POI's type path (and name) maps to, or None."""
    segments = [s.strip() for s in _SEGMENTS.split(type_text or "") if s.strip()]
    for text in [*reversed(segments), name or ""]:
        for keyword, kind in table:
            if keyword in text:
                return kind
    return None


def closest_kinds(text: str, table: list[tuple[str, str]], limit: int = 3) -> list[str]:
    """The known kinds closest to ``text`` as "label (key)", for a suggestion."""
    labels = {label: key for key, label in vocab.FACILITY_KINDS.items()}
    labels.update({keyword: kind for keyword, kind in table})
    labels.update({key: key for key in vocab.FACILITY_KINDS})
    segments = [s for s in _SEGMENTS.split(text) if s.strip()] or [text]
    found: list[str] = []
    for segment in reversed(segments):
        for match in difflib.get_close_matches(segment.strip(), labels, n=limit, cutoff=0.2):
            key = labels[match]
            shown = f"{vocab.FACILITY_KINDS[key]} ({key})"
            if shown not in found:
                found.append(shown)
    return found[:limit]
