"""ASGI middleware: request body size limit (413) and defensive response headers."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    """Raised while the app reads a streamed body that passes the limit (a 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"request body larger than {limit} bytes")


async def _send_json_error(
    send: Send, status: int, body: bytes, extra_headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    """Answer with ``status`` and the JSON ``body`` before the app is reached."""
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send(
        {"type": "http.response.start", "status": status, "headers": [*headers, *extra_headers]}
    )
    await send({"type": "http.response.body", "body": body})


async def _send_413(send: Send, limit: int) -> None:
    body = json.dumps(
        {"detail": f"request body larger than {limit} bytes", "error": "PayloadTooLarge"}
    ).encode()
    await _send_json_error(send, 413, body, ((b"connection", b"close"),))


class BodyLimit:
    """Refuse bodies above ``max_bytes``: by ``Content-Length`` before reading, and by
    counting when the body is chunked (the handler never sees more than the limit)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_bytes:
                    await _send_413(send, self.max_bytes)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _send_413(send, self.max_bytes)


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"same-origin"),
]

_SELF_ONLY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'self'; form-action 'self'"
)
# Content-Security-Policy by path prefix, first match wins. Scripts come from this origin
# only, everywhere. The API docs viewers (vendored) inject their styles; the map and login
# pages carry their data and set-up in inline script, and the map draws basemap tiles from
# the configured tile server over HTTPS.
CONTENT_SECURITY_POLICIES: tuple[tuple[str, str], ...] = (
    ("/docs", _SELF_ONLY.replace("img-src", "style-src 'self' 'unsafe-inline'; img-src")),
    ("/redoc", _SELF_ONLY.replace("img-src", "style-src 'self' 'unsafe-inline'; img-src")),
    (
        "/maps/",
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'self'; form-action 'self'",
    ),
    (
        "/report",
        _SELF_ONLY.replace("img-src 'self' data:", "img-src 'self' data: https:"),
    ),
    (
        "/login",
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'self'; frame-ancestors 'self'; form-action 'self'",
    ),
)
HSTS = b"max-age=31536000; includeSubDomains"


def content_security_policy(path: str) -> str:
    """The Content-Security-Policy of a response to ``path`` (self only unless a page needs
    inline script or style, see :data:`CONTENT_SECURITY_POLICIES`)."""
    for prefix, policy in CONTENT_SECURITY_POLICIES:
        if path == prefix or path.startswith(prefix if prefix.endswith("/") else prefix + "/"):
            return policy
    return _SELF_ONLY


class SecurityHeaders:
    """Add ``nosniff``, frame and referrer headers and a Content-Security-Policy to every HTTP
    response, and ``Strict-Transport-Security`` in production (served over HTTPS behind the
    proxy)."""

    def __init__(self, app: ASGIApp, production: bool = False) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [
            *SECURITY_HEADERS,
            (b"content-security-policy", content_security_policy(scope["path"]).encode()),
        ]
        if self.production:
            headers.append((b"strict-transport-security", HSTS))

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in headers if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, add_headers)


class RefuseNulBytes:
    """400 for a NUL byte in the path or query: PostgreSQL text cannot hold one, and no code,
    name or search term ever needs it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path") or scope.get("path", "").encode()
            query = scope.get("query_string", b"")
            if b"%00" in raw or b"\x00" in raw or b"%00" in query or b"\x00" in query:
                body = b'{"detail": "NUL bytes (%00) are not allowed in the URL"}'
                await _send_json_error(send, 400, body)
                return
        await self.app(scope, receive, send)


def install_guards(app) -> None:
    """Turn values the database refuses (a NUL byte in a JSON string, a number out of range
    for its column) into a 400 naming the problem instead of a 500."""
    from fastapi import Request
    from fastapi.responses import JSONResponse
    from sqlalchemy.exc import DataError

    @app.exception_handler(DataError)
    async def _data_error(request: Request, exc: DataError) -> JSONResponse:
        reason = str(exc.orig).splitlines()[0] if exc.orig else "value refused by the database"
        return JSONResponse(
            status_code=400, content={"detail": f"invalid value: {reason}", "error": "DataError"}
        )
