"""``GET /api/v1/risk``, ``GET /api/v1/hotspots``, ``POST /api/v1/hotspots/{id}/review``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Query, Request

from api.deps import CurrentUser, Manager, SessionDep, audit_case, resolve_county
from api.geojson import GeoJSONResponse
from api.schemas.common import COUNTY
from api.schemas.risk import HotspotCollection, ReviewIn, ReviewOut, RiskCollection
from core.errors import NotFound
from geo.risk import scores

router = APIRouter(tags=["risk and hotspots"])


@router.get("/risk", response_class=GeoJSONResponse, response_model=RiskCollection)
def risk(
    session: SessionDep,
    user: CurrentUser,
    county: str | None = Query(None, pattern=COUNTY),
    period: Literal["day", "week", "month"] = "week",
    period_start: dt.date | None = Query(None, description="default: the latest scored period"),
    top: int | None = Query(None, ge=1, le=100_000, description="only the N highest"),
    geometry: bool = Query(True, description="include grid polygons"),
) -> GeoJSONResponse:
    """Expected disputes per grid for a period, its rank and the factors behind it."""
    body = scores.risk_collection(
        session=session,
        county=resolve_county(session, user, county),
        period=period,
        period_start=period_start,
        top=top,
        with_geometry=geometry,
        scope_area=user.area_prefix,
    )
    return GeoJSONResponse(body)


@router.get("/hotspots", response_class=GeoJSONResponse, response_model=HotspotCollection)
def hotspots(
    session: SessionDep,
    user: CurrentUser,
    county: str | None = Query(None, pattern=COUNTY),
    period_start: dt.date | None = None,
    latest: bool = Query(True, description="only the latest flagged period"),
    method: Literal["model", "gistar", "emerging"] | None = None,
    status: Literal["pending", "confirmed", "dismissed"] | None = None,
    geometry: bool = True,
) -> GeoJSONResponse:
    """Flagged grids (per method) with explanation and review status."""
    body = scores.hotspots_collection(
        session=session,
        county=resolve_county(session, user, county),
        period_start=period_start,
        latest=latest and period_start is None,
        method=method,
        status=status,
        with_geometry=geometry,
        scope_area=user.area_prefix,
    )
    return GeoJSONResponse(body)


@router.post(
    "/hotspots/{hotspot_id}/review", response_model=ReviewOut, response_model_exclude_unset=True
)
def review(
    hotspot_id: int, body: ReviewIn, session: SessionDep, user: Manager, request: Request
) -> dict:
    """Confirm or dismiss a pending hotspot (recorded once, with reviewer and time: of
    concurrent reviews one is stored, the others answer 409). A hotspot outside the caller's
    scope answers as a missing one does (404)."""
    missing = NotFound(f"未找到热点 {hotspot_id} / no hotspot with id {hotspot_id}")
    if not 0 < hotspot_id < 2**63:
        raise missing
    try:
        target = scores.hotspot_grid(session=session, hotspot_id=hotspot_id)
    except NotFound:
        raise missing from None
    if user.role == "partner" or not user.covers_area(target["grid_code"]):
        raise missing
    result = scores.review_hotspot(
        session=session,
        hotspot_id=hotspot_id,
        status=body.status,
        reviewer=user.username,
        note=body.note,
        action_taken=body.action_taken,
    )
    audit_case(session, user, request, "change", hotspot_id, {"review": body.status}, "hotspot")
    return result
