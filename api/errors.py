"""Domain errors → HTTP responses, in one table."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from core import errors

STATUS_BY_ERROR: dict[type[errors.WanggeError], int] = {
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Forbidden: 403,
    errors.InvalidRequest: 422,
    errors.ImportRejected: 422,
}


def _status_for(exc: errors.WanggeError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def install(app: FastAPI) -> None:
    """Register the handler that turns every :class:`core.errors.WanggeError` into JSON."""

    @app.exception_handler(errors.WanggeError)
    async def _domain_error(request: Request, exc: errors.WanggeError) -> JSONResponse:
        body: dict = {"detail": str(exc), "error": type(exc).__name__}
        if isinstance(exc, errors.ImportRejected):
            body["problems"] = [
                {"row": p.row, "field": p.field, "reason": p.reason} for p in exc.problems
            ]
        return JSONResponse(status_code=_status_for(exc), content=body)
