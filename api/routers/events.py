"""``GET /api/v1/events``: server-sent events telling open pages that data changed.

The stream sends ``event: versions`` with the change counter of every data layer
(:func:`services.map_layers.layer_versions`) at once and then whenever one moves; a page
re-fetches only the layers drawn from what changed. The counters are read every
half-second, so a case created or moved over the API reaches an open page within a second.
A stream ends after a few minutes and the browser reconnects by itself (``retry``).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from services import map_layers

router = APIRouter(tags=["maps"])
POLL_SECONDS = 0.5
STREAM_SECONDS = 300
KEEPALIVE_SECONDS = 15


def _versions(request: Request) -> dict[str, int]:
    with request.app.state.sessions() as session:
        return map_layers.layer_versions(session=session)


async def _stream(request: Request) -> AsyncIterator[str]:
    yield "retry: 1000\n\n"
    last: dict[str, int] | None = None
    started = quiet_since = time.monotonic()
    while time.monotonic() - started < STREAM_SECONDS:
        if await request.is_disconnected():
            return
        versions = await run_in_threadpool(_versions, request)
        if versions != last:
            last = versions
            quiet_since = time.monotonic()
            yield f"event: versions\ndata: {json.dumps(versions)}\n\n"
        elif time.monotonic() - quiet_since > KEEPALIVE_SECONDS:
            quiet_since = time.monotonic()
            yield ": keep-alive\n\n"
        await asyncio.sleep(POLL_SECONDS)


@router.get("/events", response_class=StreamingResponse)
async def events(request: Request) -> StreamingResponse:
    """Server-sent events: ``versions`` (layer → change counter) now and on every change."""
    return StreamingResponse(
        _stream(request),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
