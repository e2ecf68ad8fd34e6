"""FastAPI dependencies, as ``Annotated`` aliases used by every router."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.errors import InvalidRequest
from core.principal import CASE_ROLES, MANAGER_ROLES, Principal


def get_engine(request: Request) -> Engine:
    """The engine created in the app's lifespan."""
    return request.app.state.engine


def get_session(request: Request) -> Iterator[Session]:
    """A session per request: committed when the handler returns, rolled back on error."""
    with request.app.state.sessions() as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


EngineDep = Annotated[Engine, Depends(get_engine)]
# scope="function": commit before the response is sent. With the default scope the commit ran
# after the client had its 200, so a quick follow-up request could read the old state, and a
# failed commit would have been an acknowledged write that was lost.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


# --- who is calling ---------------------------------------------------------------------------
#
# Every endpoint except /api/v1/health, /api/v1/auth/token, /docs, /openapi.json, /login and
# the static assets needs a token. Use the aliases below in a handler's signature:
#
#     from api.deps import CaseReader, CurrentUser, SessionDep, audit_case, require
#
#     @router.get("/disputes/{dispute_id}")
#     def dispute(dispute_id: int, session: SessionDep, user: CaseReader, request: Request):
#         row = disputes.get(session=session, dispute_id=dispute_id)
#         user.check_case(grid_code=row.grid_code, county_code=row.county_code,
#                         facility_code=row.facility_code)          # 403 outside the scope
#         audit_case(session, user, request, "read", dispute_id)    # one row per read/change
#         return disputes.as_json(row, personal=user.sees_personal_data)
#
#     @router.get("/stats")                       # any logged-in role, viewer included
#     def stats(session: SessionDep, user: CurrentUser): ...
#
#     @router.post("/redraw", dependencies=[Depends(require("county_centre", "township"))])
#
# Lists filter in SQL with ``user.scope_params()`` (``:scope_area``, ``:scope_facility``; see
# core/principal.py for the two WHERE lines). Writes on an area (redraw of a
# township, a hotspot review) call ``user.check_area(code)``.

TOKEN_COOKIE = "wangge_token"
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def _unauthorised(reason: str) -> HTTPException:
    return HTTPException(
        status_code=401, detail=reason, headers={"WWW-Authenticate": 'Bearer realm="wangge"'}
    )


def optional_user(
    request: Request, token: Annotated[str | None, Depends(_bearer)] = None
) -> Principal | None:
    """The caller from ``Authorization: Bearer`` (APIs, GIS tools) or the login cookie
    (map pages in a browser); None when neither is sent. A bad token is always a 401."""
    from api.auth import InvalidToken, principal_for_token

    token = token or request.cookies.get(TOKEN_COOKIE)
    if not token:
        return None
    state = request.app.state
    try:
        return principal_for_token(
            settings=state.settings, sessions=state.sessions, token=token,
            board=getattr(state, "versions", None),
        )  # fmt: skip
    except InvalidToken as exc:
        raise _unauthorised(f"invalid token: {exc}") from exc


async def _caller(
    request: Request, token: Annotated[str | None, Depends(_bearer)] = None
) -> Principal | None:
    """:func:`optional_user` without leaving the event loop when the version board holds the
    account (a cached tile then costs no thread and no query); else as :func:`optional_user`."""
    from api.auth import InvalidToken, principal_on_board

    sent = token or request.cookies.get(TOKEN_COOKIE)
    if sent:
        state = request.app.state
        try:
            known = principal_on_board(
                settings=state.settings, board=getattr(state, "versions", None), token=sent
            )
        except InvalidToken as exc:
            raise _unauthorised(f"invalid token: {exc}") from exc
        if known is not None:
            return known
    return await run_in_threadpool(optional_user, request, token)


async def current_user(user: Annotated[Principal | None, Depends(_caller)]) -> Principal:
    """The caller; 401 when no token was sent."""
    if user is None:
        raise _unauthorised("log in first: POST /api/v1/auth/token, then send the bearer token")
    return user


def require(*roles: str):
    """A dependency that admits only ``roles`` (403 for the others) and returns the caller."""

    def check(user: Annotated[Principal, Depends(current_user)]) -> Principal:
        if user.role not in roles:
            raise HTTPException(
                status_code=403, detail=f"role {user.role!r} may not do this; needs {roles}"
            )
        return user

    check.__name__ = "require_" + "_or_".join(roles)
    return check


def audit_case(
    session: Session,
    user: Principal,
    request: Request,
    action: str,
    case_id: int | str | None,
    detail: dict | None = None,
    object_type: str = "dispute",
) -> None:
    """Write the audit row for a read (``"read"``) or change (``"change"``) of a case."""
    from geo.accounts import audit

    audit.record(
        session=session,
        username=user.username,
        role=user.role,
        action=action,
        object_type=object_type,
        object_id=case_id,
        detail=detail,
        client=client_of(request),
    )


def client_of(request: Request) -> str:
    """The client's address as the audit log records it: the connecting peer, or the address a
    configured reverse proxy forwarded (api/ratelimit.py), never a header anyone may send."""
    from api.ratelimit import client_address

    return client_address(request, request.app.state.settings.is_trusted_proxy)


def audit_list(
    session: Session, user: Principal, request: Request, what: str, count: int | None
) -> None:
    """Write the one audit row of a request that returned case or personal data in bulk (a
    list, a map layer, a ranking, a tile, an export): what, how many and the filter asked."""
    from geo.accounts import audit

    audit.record_bulk(
        session=session,
        username=user.username,
        role=user.role,
        what=what,
        count=count,
        filters={"path": request.url.path, **request.query_params},
        client=client_of(request),
    )


OptionalUser = Annotated[Principal | None, Depends(optional_user)]
CurrentUser = Annotated[Principal, Depends(current_user)]
CaseReader = Annotated[Principal, Depends(require(*CASE_ROLES))]
CaseWriter = CaseReader
Manager = Annotated[Principal, Depends(require(*MANAGER_ROLES))]
CountyCentre = Annotated[Principal, Depends(require("county_centre"))]


def aware(value: dt.datetime | None, name: str) -> dt.datetime | None:
    """``value`` when it names its time zone (or is None); else a 422 naming the parameter."""
    if value is not None and value.tzinfo is None:
        raise InvalidRequest(
            f"{name} 需要带时区，如 2026-11-20T08:00+08:00 / "
            f"'{name}' needs a time zone, e.g. 2026-11-20T08:00+08:00"
        )
    return value


def resolve_county(session: Session, user: Principal, county: str | None) -> str:
    """The county a request is about (rule: core/counties.py): the one asked for, else the
    caller's own, else the only one loaded; a county outside the caller's scope is a 403."""
    from geo.places.counties import which_county

    return which_county(session=session, requested=county, scope=user.area_prefix)


# --- published layers, shared by /ogc and /tiles ------------------------------------------------

Layer = TypeVar("Layer")


def published_layer(
    user: Principal, layers: Mapping[str, Layer], layer_id: str, missing: str
) -> Layer:
    """``layers[layer_id]`` (an OGC collection or a tile layer) for ``user``: a 404 saying
    ``missing`` when there is none, a 403 when it holds cases and the role sees none."""
    found = layers.get(layer_id)
    if found is None:
        raise HTTPException(404, missing)
    if found.cases and not user.sees_cases:
        raise HTTPException(403, f"role {user.role!r} may not read {layer_id!r}")
    return found


def published_scope(user: Principal, layer) -> dict | None:
    """The scope filter of a published layer: the caller's for a layer of cases, else None."""
    return user.scope_params() if layer.cases else None


# --- intake by JSON, shared by /disputes and /signals --------------------------------------------


def ingest_json(*, request: Request, session: Session, user: Principal, body, kind: str) -> dict:
    """Intake of an API body (``api.schemas`` ``DisputeIntake`` or ``SignalIntake``): the
    records as sent go through the file intake; each accepted case is audited, and a lone
    bad record is refused with 422 naming its field."""
    from core.errors import ImportRejected
    from geo.disputes.intake import ingest_records
    from geo.disputes.locate import LocatorCache

    records, batch = body.records_sent()
    cache = getattr(request.app.state, "intake_locator", None)
    if cache is None:
        cache = request.app.state.intake_locator = LocatorCache()
    report = ingest_records(
        session=session, records=records, kind=kind, locator=cache.get(session=session),
        actor=user.username, source=f"api:{user.username}",
        scope=user.scope_params() if user.limits_writes else None,
    )  # fmt: skip
    if not batch and report.rejected:
        raise ImportRejected(source="the record", problems=report.rejected)
    for external_id, case_id in report.accepted.items():
        audit_case(session, user, request, "change", case_id, {"intake": external_id},
                   object_type=kind[:-1])  # fmt: skip
    return report.as_dict()
