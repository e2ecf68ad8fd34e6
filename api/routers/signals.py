"""``/api/v1/signals``: intake and listing of risk signals."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Query, Request

from api.deps import CaseReader, CaseWriter, SessionDep, audit_list, ingest_json
from api.geojson import GeoJSONResponse
from api.schemas.common import CODE
from api.schemas.disputes import IntakeReport
from api.schemas.signals import SignalCollection, SignalIntake
from core import vocab
from geo.disputes import listing

router = APIRouter(tags=["signals"])


INTAKE_EXAMPLE = {
    "external_id": "SG-2026-0001",
    "observed_at": "2026-11-20 08:00",
    "kind": "安全隐患",
    "lon": 103.353,
    "lat": 34.693,
    "description": "危房",
}


@router.post("/signals", response_model=IntakeReport)
def create_signals(
    request: Request,
    session: SessionDep,
    user: CaseWriter,
    body: Annotated[SignalIntake, Body(examples=[INTAKE_EXAMPLE])],
) -> dict:
    """Intake of one risk signal or ``{"records": [...]}`` (same rules as disputes)."""
    return ingest_json(request=request, session=session, user=user, body=body, kind="signals")


@router.get("/signals", response_class=GeoJSONResponse, response_model=SignalCollection)
def list_signals(
    request: Request,
    session: SessionDep,
    user: CaseReader,
    kind: str | None = Query(None, description=", ".join(vocab.SIGNAL_KINDS)),
    grid: str | None = Query(None, pattern=CODE),
    township: str | None = Query(None, pattern=CODE),
    start: dt.datetime | None = Query(None, alias="from"),
    end: dt.datetime | None = Query(None, alias="to"),
    limit: int = Query(1000, ge=1, le=50_000),
    offset: int = Query(0, ge=0),
) -> GeoJSONResponse:
    """Risk signals in the caller's scope as GeoJSON (a partner sees none: signals are
    routed to no facility)."""
    page = listing.signals_page(
        session=session, kind=kind, grid=grid, township=township, start=start, end=end,
        limit=limit, offset=offset, **user.scope_params(),
    )  # fmt: skip
    audit_list(session, user, request, "signal", min(limit, max(page["matched"] - offset, 0)))
    head = f'{{"type":"FeatureCollection","numberMatched":{page["matched"]},"features":'
    return GeoJSONResponse(head + page["features"] + "}")
