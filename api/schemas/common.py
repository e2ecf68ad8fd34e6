"""Pieces shared by the request and response models of several routers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema

# Query and body patterns of codes
CODE = r"^\d{6,20}$"
COUNTY = r"^\d{6}$"
UNIT = r"^\d{6}(\d{3})?(\d{3})?$"

# The longest text, in characters, each kind of free-text field of a request may hold. Every
# request model takes its limits from here; a longer value is refused with 422 naming the
# field (``loc``), and the limits appear in the OpenAPI schema as ``maxLength``.
MAX_LABEL = 32  # a word of a vocabulary: category, status, kind, post, act, crs, rating source
MAX_CODE = 100  # a code: staff, facility, scope unit, grid (as a dict key too)
MAX_NAME = 100  # a name
MAX_ADDRESS = 500  # an address as written
MAX_COMMENT = 500  # a citizen's comment on a rating
MAX_PUBLIC_TEXT = 1_000  # a citizen's description of what happened
MAX_NOTE = 2_000  # a note, reason or action taken on a case, a review or a clock
MAX_DESCRIPTION = 4_000  # a description, a handover note, any cell of an intake record
MAX_HEADER = 64  # a column name of an intake record or uploaded file


class Out(BaseModel):
    """A JSON object returned by a route. Members not declared here are passed through
    (``additionalProperties``), so a model never drops what the data layer adds."""

    model_config = ConfigDict(extra="allow")


def _iso(value: str | dt.date) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value


# A time or date as the data layer gives it (ISO 8601 text, or a date/datetime made ISO text
# exactly as the untyped routes did).
Stamp = Annotated[
    str | dt.datetime | dt.date,
    PlainSerializer(_iso, return_type=str),
    WithJsonSchema({"type": "string", "description": "ISO 8601 date or time"}),
]


class RowProblemOut(Out):
    """Why one record (row) was refused: its row number (header = row 1), field and reason."""

    row: int | None
    field: str | None
    reason: str


class ErrorOut(BaseModel):
    """An error: ``detail`` says what went wrong (Chinese first where it concerns data, English
    beside); ``error`` names the domain error; ``problems`` lists refused rows of a file."""

    detail: str
    error: str | None = None
    problems: list[RowProblemOut] | None = None


ERROR_RESPONSES: dict[int | str, dict] = {
    401: {"model": ErrorOut, "description": "not logged in, or the token is no longer valid"},
    403: {"model": ErrorOut, "description": "outside the caller's role or scope"},
    404: {"model": ErrorOut, "description": "no such object"},
    409: {"model": ErrorOut, "description": "conflict: a stale version or an illegal step"},
}
