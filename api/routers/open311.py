"""Open311 GeoReport v2 at ``/open311/v2/``: partner systems post and read service requests.

``services.{json,xml}`` lists the categories; ``POST requests.{json,xml}`` files a request
(``api_key``, ``service_code``, ``lat``, ``long``, ``description``, optional
``address_string`` and ``phone``, form-encoded as the spec says) as a ``received`` case;
``GET requests.{json,xml}`` and ``requests/{id}.{json,xml}`` read requests from the public
channels, public fields only (no description, no phone, locations at grid level). Keys are
issued by the county centre (``wangge apikey add NAME``), stored hashed, revocable. Errors
are the spec's list of ``code`` and ``description``.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api import public_guard
from api.deps import SessionDep
from api.errors import STATUS_BY_ERROR
from core.errors import InvalidRequest, WanggeError
from services import citizens

router = APIRouter(prefix="/open311/v2", tags=["open311"], include_in_schema=False)
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DEFAULT_DAYS = 90
MAX_DESCRIPTION = 4000
CHINA = dt.timezone(dt.timedelta(hours=8))


def _xml(root: str, item: str, rows: list[dict]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        node = ET.SubElement(top, item)
        for name, value in row.items():
            child = ET.SubElement(node, name)
            if isinstance(value, bool):
                child.text = "true" if value else "false"
            elif value is not None:
                child.text = str(value)
    return ET.tostring(top, encoding="utf-8", xml_declaration=True)


def _answer(fmt: str, root: str, item: str, rows: list[dict], status: int = 200) -> Response:
    if fmt == "xml":
        return Response(_xml(root, item, rows), status_code=status, media_type=FORMATS["xml"])
    return JSONResponse(rows, status_code=status, media_type=FORMATS["json"])


def _error(fmt: str, status: int, description: str, headers: dict | None = None) -> Response:
    rows = [{"code": status, "description": description}]
    answer = _answer(fmt if fmt in FORMATS else "json", "errors", "error", rows, status)
    answer.headers.update(headers or {})
    return answer


def _guarded(fmt: str, work: Callable[[], Response]) -> Response:
    """Run ``work``; any refusal becomes the spec's error list in the asked format."""
    if fmt not in FORMATS:
        return _error("json", 404, "format must be json or xml")
    try:
        return work()
    except HTTPException as exc:
        return _error(fmt, exc.status_code, str(exc.detail), exc.headers)
    except WanggeError as exc:
        status = next((STATUS_BY_ERROR[c] for c in type(exc).__mro__ if c in STATUS_BY_ERROR), 400)
        return _error(fmt, 400 if status == 422 else status, str(exc))


def _reads(request: Request) -> None:
    settings = citizens.citizen_settings()
    public_guard.limit_client(request, "read", limit=settings.reads_per_minute, seconds=60)


def _time(value: str | None, name: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        raise InvalidRequest(f"{name} 须为 W3C 时间 / {name} must be a W3C datetime") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)


def _listed(value: str | None) -> list[str] | None:
    items = [v.strip() for v in (value or "").split(",") if v.strip()]
    return items or None


@router.get("/services.{fmt}")
def services(fmt: str, request: Request) -> Response:
    """The service list: one service per category."""

    def work() -> Response:
        _reads(request)
        return _answer(fmt, "services", "service", citizens.open311_services())

    return _guarded(fmt, work)


@router.get("/services/{code}.{fmt}")
def service_definition(code: str, fmt: str, request: Request) -> Response:
    """No service has extra attributes (``metadata`` is false): a 404 in the spec's form."""
    return _guarded(fmt, lambda: _error(fmt, 404, f"service {code} has no definition"))


@router.post("/requests.{fmt}")
async def post_request(fmt: str, request: Request, session: SessionDep) -> Response:
    """File a partner's request as a ``received`` case (form-encoded fields, ``api_key``)."""
    settings = citizens.citizen_settings()
    if fmt not in FORMATS:
        return _error("json", 404, "format must be json or xml")
    try:
        # the count is a database round trip: off the event loop
        await run_in_threadpool(
            public_guard.limit_client, request, "open311",
            limit=settings.key_posts_per_hour, seconds=3600,
        )  # fmt: skip
        await public_guard.check_body_size(request, settings.max_body_bytes)
        form = await request.form()
    except HTTPException as exc:
        return _error(fmt, exc.status_code, str(exc.detail), exc.headers)

    def field(name: str) -> str | None:
        value = form.get(name)
        return value.strip() or None if isinstance(value, str) else None

    def work() -> Response:
        key = citizens.use_key(session=session, key=field("api_key"))
        if key is None:
            return _error(fmt, 403, "api_key 无效或已吊销 / invalid or revoked api_key")
        public_guard.limit_key(request, key["id"], limit=settings.key_posts_per_hour,
                               seconds=3600)  # fmt: skip
        code, description = field("service_code"), field("description")
        if not code:
            raise InvalidRequest("service_code 必填 / service_code is required")
        if not description or len(description) > MAX_DESCRIPTION:
            raise InvalidRequest(
                f"description 必填，最多 {MAX_DESCRIPTION} 字 / description is required, at most"
                f" {MAX_DESCRIPTION} characters"
            )
        try:
            lat, lon = float(field("lat") or ""), float(field("long") or "")
        except ValueError:
            raise InvalidRequest("须给出 lat 和 long / lat and long are required") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InvalidRequest("lat/long 超出范围 / lat or long out of range")
        address = field("address_string")
        filed = citizens.open311_post(
            session=session, locator=public_guard.intake_locator(request, session), key=key,
            service_code=code, lat=lat, lon=lon, description=description,
            address_string=address[:500] if address else None,
            phone=(field("phone") or "")[:20] or None,
        )  # fmt: skip
        return _answer(fmt, "service_requests", "request", [filed], status=201)

    answer = await run_in_threadpool(_guarded, fmt, work)
    if answer.status_code >= 400:
        session.rollback()
    return answer


@router.get("/requests.{fmt}")
def get_requests(fmt: str, request: Request, session: SessionDep) -> Response:
    """Requests by id (``service_request_id``, comma-separated), or by ``service_code``,
    ``status`` (open, closed) and ``start_date``/``end_date`` (default: the last 90 days)."""

    def work() -> Response:
        _reads(request)
        query = request.query_params
        ids = _listed(query.get("service_request_id"))
        statuses = set(_listed(query.get("status")) or [])
        if statuses - {"open", "closed"}:
            raise InvalidRequest("status 只能是 open 或 closed / status is open or closed")
        status = statuses.pop() if len(statuses) == 1 else None
        end = _time(query.get("end_date"), "end_date")
        start = _time(query.get("start_date"), "start_date")
        if ids is None:
            end = end or dt.datetime.now(dt.UTC)
            start = start or end - dt.timedelta(days=DEFAULT_DAYS)
            if start >= end or end - start > dt.timedelta(days=DEFAULT_DAYS):
                raise InvalidRequest("日期范围须在 90 天内 / the date range spans at most 90 days")
        rows = citizens.open311_requests(
            session=session, ids=ids, service_codes=_listed(query.get("service_code")),
            status=None if ids else status, start=None if ids else start,
            end=None if ids else end,
        )  # fmt: skip
        return _answer(fmt, "service_requests", "request", rows)

    return _guarded(fmt, work)


@router.get("/requests/{request_id}.{fmt}")
def get_request(request_id: str, fmt: str, request: Request, session: SessionDep) -> Response:
    """One request by its id (a list of one, as the spec says), or a 404."""

    def work() -> Response:
        _reads(request)
        rows = citizens.open311_requests(session=session, ids=[request_id[:40]])
        if not rows:
            return _error(fmt, 404, f"no service request {request_id[:40]}")
        return _answer(fmt, "service_requests", "request", rows)

    return _guarded(fmt, work)
