"""``/api/v1/disputes``: intake, list, one case, transitions, dispatch, supervision, duplicates."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, Field

from api.deps import CaseReader, CaseWriter, Manager, SessionDep, audit_case
from api.geojson import GeoJSONResponse
from core import vocab
from core.errors import ImportRejected, InvalidRequest
from geo.disputes import dispatch, duplicates, listing, parties, supervision, workflow
from geo.disputes.intake import ingest_records
from geo.disputes.locate import Locator, LocatorCache

router = APIRouter(tags=["disputes"])

CODE = r"^\d{6,20}$"
MAX_BATCH = 5_000


def intake_locator(request: Request, session) -> Locator:
    """The app's cached Locator (grids, addresses, geocoder), reloaded when they change."""
    cache = getattr(request.app.state, "intake_locator", None)
    if cache is None:
        cache = request.app.state.intake_locator = LocatorCache()
    return cache.get(session=session)


def records_of(body: Any) -> tuple[list[dict], bool]:
    """A single record object, or ``{"records": [...]}``: (records, is_batch)."""
    if isinstance(body, dict) and isinstance(body.get("records"), list):
        records = body["records"]
        if not records or len(records) > MAX_BATCH:
            raise InvalidRequest(f"send 1 to {MAX_BATCH} records")
        if not all(isinstance(r, dict) for r in records):
            raise InvalidRequest("each record must be a JSON object")
        return records, True
    if isinstance(body, dict):
        return [body], False
    raise InvalidRequest('send one record object or {"records": [...]}')


def intake(*, request: Request, session, user, body: Any, kind: str) -> dict:
    """Shared by disputes and signals: ingest, report, refuse a lone bad record with 422."""
    records, batch = records_of(body)
    report = ingest_records(
        session=session,
        records=records,
        kind=kind,
        locator=intake_locator(request, session),
        actor=user.username,
        source=f"api:{user.username}",
    )
    if not batch and report.rejected:
        raise ImportRejected(source="the record", problems=report.rejected)
    for external_id, case_id in report.accepted.items():
        audit_case(session, user, request, "change", case_id, {"intake": external_id},
                   object_type=kind[:-1])  # fmt: skip
    return report.as_dict()


@router.post("/disputes")
def create_disputes(
    request: Request,
    session: SessionDep,
    user: CaseWriter,
    body: Any = Body(
        ...,
        examples=[
            {
                "external_id": "JF-2026-0001",
                "reported_at": "2026-11-20 09:30",
                "category": "婚姻家庭",
                "severity": "一般",
                "address": "城关镇西街村三组12号",
                "description": "夫妻因赡养老人发生争执",
            }
        ],
    ),
) -> dict:
    """Intake of one dispute (a record of the file template) or ``{"records": [...]}``.

    Geocoded and put on a grid; a record whose ``external_id`` is stored already is
    reported under ``already_present`` and never written twice. In a batch the good
    records are written and the bad ones listed under ``problems`` (row = position + 1);
    a single bad record is refused with 422.
    """
    return intake(request=request, session=session, user=user, body=body, kind="disputes")


@router.get("/disputes", response_class=GeoJSONResponse)
def list_disputes(
    request: Request,
    session: SessionDep,
    user: CaseReader,
    status: str | None = Query(None, description=", ".join(vocab.DISPUTE_STATUSES)),
    grid: str | None = Query(None, pattern=CODE),
    township: str | None = Query(None, pattern=CODE),
    village: str | None = Query(None, pattern=CODE),
    category: str | None = Query(None, description=", ".join(vocab.DISPUTE_CATEGORIES)),
    overdue: bool | None = Query(None, description="open and past the deadline (or not)"),
    needs_location: bool | None = Query(None, description="not on a grid yet (or on one)"),
    start: dt.datetime | None = Query(None, alias="from", description="reported at or after"),
    end: dt.datetime | None = Query(None, alias="to", description="reported before"),
    limit: int = Query(500, ge=1, le=10_000),
    offset: int = Query(0, ge=0),
) -> GeoJSONResponse:
    """Disputes in the caller's scope as GeoJSON (no personal details)."""
    scope = user.scope_params()
    where = listing.DisputeFilter(
        status=status, grid=grid, township=township, village=village, category=category,
        overdue=overdue, needs_location=needs_location, start=start, end=end,
        scope_area=scope["scope_area"], scope_facility=scope["scope_facility"],
    )  # fmt: skip
    page = listing.disputes_page(session=session, where=where, limit=limit, offset=offset)
    returned = min(limit, max(page["matched"] - offset, 0))
    head = f'{{"type":"FeatureCollection","numberMatched":{page["matched"]},'
    head += f'"numberReturned":{returned},"features":'
    return GeoJSONResponse(head + page["features"] + "}")


def _checked(session, user, dispute_id: int) -> dict:
    scope = listing.case_scope(session=session, dispute_id=dispute_id)
    user.check_case(
        grid_code=scope["grid_code"],
        county_code=scope["county_code"],
        facility_code=scope["facility_code"],
    )
    return scope


@router.get("/disputes/{dispute_id}", response_class=GeoJSONResponse)
def get_dispute(
    dispute_id: int, request: Request, session: SessionDep, user: CaseReader
) -> GeoJSONResponse:
    """One dispute with its history and supervision; the parties when the role allows."""
    _checked(session, user, dispute_id)
    feature = json.loads(listing.dispute_feature(session=session, dispute_id=dispute_id))
    feature["properties"]["parties"] = parties.party_details(
        session=session, dispute_id=dispute_id, role=user.role, scope=user.scope_code
    )
    audit_case(session, user, request, "read", dispute_id)
    return GeoJSONResponse(json.dumps(feature, ensure_ascii=False, default=str))


class TransitionRequest(BaseModel):
    """A move along the loop, on the version the caller read."""

    to: str = Field(..., examples=["routed"], description=", ".join(vocab.DISPUTE_STATUSES))
    version: int = Field(..., ge=1, description="the version you read (optimistic lock)")
    note: str | None = Field(None, max_length=2000)
    assignee: str | None = Field(None, max_length=100, description="staff code (routing)")
    facility: str | None = Field(None, max_length=100, description="facility code (routing)")
    satisfaction: int | None = Field(None, ge=1, le=5, description="rating (to rated)")


@router.post("/disputes/{dispute_id}/transitions")
def transition(
    dispute_id: int,
    body: TransitionRequest,
    request: Request,
    session: SessionDep,
    user: CaseWriter,
) -> dict:
    """Move a case one step (409 naming from/to and the legal options, or a stale version)."""
    _checked(session, user, dispute_id)
    done = workflow.transition(
        session=session, dispute_id=dispute_id, to=body.to, version=body.version,
        actor=user.username, note=body.note, assignee=body.assignee, facility=body.facility,
        satisfaction=body.satisfaction,
    )  # fmt: skip
    audit_case(session, user, request, "change", dispute_id, {"to": body.to})
    return {
        "id": done.dispute_id,
        "from": done.from_status,
        "to": done.to_status,
        "version": done.version,
        "event_id": done.event_id,
        "allowed_next": list(workflow.TRANSITIONS[done.to_status]),
    }


@router.get("/disputes/{dispute_id}/dispatch")
def recommend_dispatch(
    dispute_id: int, request: Request, session: SessionDep, user: CaseReader
) -> dict:
    """Who should take the case: ranked, with reasons, jurisdiction, distance, workload."""
    _checked(session, user, dispute_id)
    return dispatch.recommend(session=session, dispute_id=dispute_id)


class SupervisionRequest(BaseModel):
    """A supervision act (跟踪督办): flag, remind, or escalate to township / county."""

    act: str = Field(..., examples=["remind"], description="flag, remind or escalate")
    version: int = Field(..., ge=1)
    note: str | None = Field(None, max_length=2000)
    escalate_to: str | None = Field(None, description="township or county (escalate)")


@router.post("/disputes/{dispute_id}/supervision")
def supervise(
    dispute_id: int,
    body: SupervisionRequest,
    request: Request,
    session: SessionDep,
    user: Manager,
) -> dict:
    """Record a flag, reminder or escalation (versioned like a transition)."""
    _checked(session, user, dispute_id)
    version = supervision.supervise(
        session=session, dispute_id=dispute_id, version=body.version, act=body.act,
        actor=user.username, note=body.note, escalate_to=body.escalate_to,
    )  # fmt: skip
    audit_case(session, user, request, "change", dispute_id, {"supervision": body.act})
    return {"id": dispute_id, "version": version}


class DuplicateReview(BaseModel):
    """A person's decision on a duplicate flag."""

    confirm: bool
    version: int = Field(..., ge=1)
    note: str | None = Field(None, max_length=2000)


@router.post("/disputes/{dispute_id}/duplicate")
def review_duplicate(
    dispute_id: int,
    body: DuplicateReview,
    request: Request,
    session: SessionDep,
    user: CaseWriter,
) -> dict:
    """Confirm or clear a likely-duplicate flag (never merges)."""
    _checked(session, user, dispute_id)
    version = duplicates.review_duplicate(
        session=session, dispute_id=dispute_id, version=body.version, confirm=body.confirm,
        actor=user.username, note=body.note,
    )  # fmt: skip
    audit_case(session, user, request, "change", dispute_id, {"duplicate": body.confirm})
    return {"id": dispute_id, "version": version}
