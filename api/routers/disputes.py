"""``/api/v1/disputes``: intake, list, one case, transitions, dispatch, supervision, duplicates."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Body, Query, Request

from api.deps import (
    CaseReader,
    CaseWriter,
    CurrentUser,
    SessionDep,
    audit_case,
    audit_list,
    ingest_json,
)
from api.geojson import GeoJSONResponse
from api.schemas.common import CODE
from api.schemas.disputes import (
    CaseFeature,
    DispatchAcceptIn,
    DispatchOut,
    DisputeCollection,
    DisputeIntake,
    DuplicateReviewIn,
    IntakeReport,
    SupervisionIn,
    TransitionIn,
    TransitionOut,
    VersionOut,
)
from core import permissions, vocab
from core.errors import NotFound
from geo.disputes import (
    dispatch,
    duplicates,
    listing,
    parties,
    routed,
    supervision,
    workflow,
)

router = APIRouter(tags=["disputes"])

INTAKE_EXAMPLE = {
    "external_id": "JF-2026-0001",
    "reported_at": "2026-11-20 09:30",
    "category": "婚姻家庭",
    "severity": "一般",
    "address": "城关镇西街村三组12号",
    "description": "夫妻因赡养老人发生争执",
}


@router.post("/disputes", response_model=IntakeReport)
def create_disputes(
    request: Request,
    session: SessionDep,
    user: CaseWriter,
    body: Annotated[DisputeIntake, Body(examples=[INTAKE_EXAMPLE])],
) -> dict:
    """Intake of one dispute (a record of the file template) or ``{"records": [...]}``.

    Column names are those of the file template, English or Chinese (编号, 受理时间, 类别, …).
    Geocoded and put on a grid; a record whose ``external_id`` is stored already is
    reported under ``already_present`` and never written twice. In a batch the good
    records are written and the bad ones listed under ``problems`` (row = position + 1);
    a single bad record is refused with 422.
    """
    return ingest_json(request=request, session=session, user=user, body=body, kind="disputes")


@router.get("/disputes", response_class=GeoJSONResponse, response_model=DisputeCollection)
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
    audit_list(session, user, request, "dispute", returned)
    head = f'{{"type":"FeatureCollection","numberMatched":{page["matched"]},'
    head += f'"numberReturned":{returned},"features":'
    return GeoJSONResponse(head + page["features"] + "}")


def _checked(session, user, dispute_id: int) -> dict:
    """The case's scope facts; a case outside the caller's scope answers exactly as a missing
    one does (404), so ids cannot be probed."""
    missing = permissions.case_not_found(dispute_id)
    try:
        scope = listing.case_scope(session=session, dispute_id=dispute_id)
    except NotFound:
        raise missing from None
    if not user.may_see_case(
        grid_code=scope["grid_code"] or scope["location_unit"],
        county_code=scope["county_code"],
        facility_code=scope["facility_code"],
    ):
        raise missing
    return scope


@router.get("/disputes/{dispute_id}", response_class=GeoJSONResponse, response_model=CaseFeature)
def get_dispute(
    dispute_id: int, request: Request, session: SessionDep, user: CaseReader
) -> GeoJSONResponse:
    """One dispute with its history and supervision; the parties when the role allows."""
    scope = _checked(session, user, dispute_id)
    feature = json.loads(listing.dispute_feature(session=session, dispute_id=dispute_id))
    feature["properties"]["parties"] = parties.party_details(
        session=session, dispute_id=dispute_id, role=user.role, scope=user.scope_code
    )
    feature["properties"]["location_candidates"] = routed.routed_candidates(
        session=session, unit_code=scope["location_unit"], role=user.role, scope=user.scope_code
    )
    audit_case(session, user, request, "read", dispute_id)
    return GeoJSONResponse(json.dumps(feature, ensure_ascii=False, default=str))


def _transitioned(done: workflow.Transitioned) -> dict:
    return {
        "id": done.dispute_id,
        "from": done.from_status,
        "to": done.to_status,
        "version": done.version,
        "event_id": done.event_id,
        "allowed_next": list(workflow.TRANSITIONS[done.to_status]),
    }


@router.post("/disputes/{dispute_id}/transitions", response_model=TransitionOut)
def transition(
    dispute_id: int,
    body: TransitionIn,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
) -> dict:
    """Move a case one step, if the caller may take it (who may: docs/intake.md; 403 in Chinese
    and English otherwise; 409 naming from/to and the legal options, or a stale version)."""
    done = workflow.transition(
        session=session, dispute_id=dispute_id, to=body.to, version=body.version,
        actor=user.username, note=body.note, assignee=body.assignee, facility=body.facility,
        unit=body.unit, satisfaction=body.satisfaction, rating_source=body.rating_source,
        by=user,
    )  # fmt: skip
    audit_case(session, user, request, "change", dispute_id, {"to": body.to})
    return _transitioned(done)


@router.post("/disputes/{dispute_id}/dispatch/accept", response_model=TransitionOut)
def accept_dispatch(
    dispute_id: int,
    body: DispatchAcceptIn,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
) -> dict:
    """Route the case to its dispatch recommendation of ``rank`` (default the first) in one
    step: a routing, under the same rule on who may route."""
    done, chosen = workflow.accept_suggestion(
        session=session, dispute_id=dispute_id, version=body.version, actor=user.username,
        by=user, rank=body.rank, note=body.note,
    )  # fmt: skip
    audit_case(session, user, request, "change", dispute_id,
               {"to": "routed", "dispatch": chosen.get("code")})  # fmt: skip
    return _transitioned(done)


@router.get(
    "/disputes/{dispute_id}/dispatch", response_model=DispatchOut, response_model_exclude_unset=True
)
def recommend_dispatch(
    dispute_id: int, request: Request, session: SessionDep, user: CaseReader
) -> dict:
    """Who should take the case: ranked, with reasons, jurisdiction, distance, workload."""
    _checked(session, user, dispute_id)
    return dispatch.recommend(
        session=session, dispute_id=dispute_id, caller_role=user.role, caller_scope=user.scope_code
    )


@router.post("/disputes/{dispute_id}/supervision", response_model=VersionOut)
def supervise(
    dispute_id: int,
    body: SupervisionIn,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
) -> dict:
    """Record a flag, reminder or escalation (versioned like a transition): the centre's, a
    township's over its area (403 in Chinese and English for anyone else)."""
    version = supervision.supervise(
        session=session, dispute_id=dispute_id, version=body.version, act=body.act,
        actor=user.username, note=body.note, escalate_to=body.escalate_to, by=user,
    )  # fmt: skip
    audit_case(session, user, request, "change", dispute_id, {"supervision": body.act})
    return {"id": dispute_id, "version": version}


@router.post("/disputes/{dispute_id}/duplicate", response_model=VersionOut)
def review_duplicate(
    dispute_id: int,
    body: DuplicateReviewIn,
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
