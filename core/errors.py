"""Domain errors raised by geo/ and mapped to HTTP codes in one table (api/errors.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


class WanggeError(Exception):
    """Base of every error that a caller is expected to handle and show to a person."""


class NotFound(WanggeError):
    """The thing asked for does not exist (or is not visible to the caller)."""


class Conflict(WanggeError):
    """The request clashes with the current state: a stale version, a stale plan, a duplicate."""


class Forbidden(WanggeError):
    """The caller's role or scope does not allow this."""


class InvalidRequest(WanggeError):
    """The request itself is malformed in a way the schema could not catch."""


@dataclass
class RowProblem:
    """One problem with one input row: the row (1-based, as a spreadsheet shows it) and field."""

    row: int | None
    field: str | None
    reason: str
    severity: str = "error"

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason


@dataclass
class ImportRejected(WanggeError):
    """A file was refused as a whole; nothing was written. Every problem found is listed."""

    source: str
    problems: list[RowProblem] = field(default_factory=list)

    def __str__(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"{self.source}: {len(errors)} problem(s), nothing was written"
        lines = [f"  {p}" for p in errors[:50]]
        if len(errors) > 50:
            lines.append(f"  … and {len(errors) - 50} more")
        return "\n".join([head, *lines])
