"""The citizens' own door: the report page, its follow-up page and the JSON they call.

No login: anyone may report. In its place: rate limits per client address, a body size
limit, an offline challenge and a hidden field people leave empty (:mod:`api.public_guard`).
A report enters the loop as ``received`` for a person to route; nothing is dispatched
automatically. The follow-up token travels in request bodies and the link's fragment only,
never in a URL the server logs. Nothing returned here carries personal data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from api import public_guard
from api.deps import SessionDep
from api.geojson import GeoJSONResponse
from api.schemas.citizens import (
    ChallengeOut,
    FollowIn,
    FollowOut,
    NearbyOut,
    PublicCollection,
    RatingIn,
    ReportIn,
    ReportOut,
)
from core.errors import InvalidRequest
from maps.citizen import follow_page_html, report_page_html
from services import citizens
from services.citizens import CitizenSettings, citizen_settings
from services.map_layers import map_settings

SettingsDep = Annotated[CitizenSettings, Depends(citizen_settings)]
pages = APIRouter(tags=["citizens"], include_in_schema=False)
router = APIRouter(prefix="/citizen", tags=["citizens"])


def _reads(request: Request, settings: SettingsDep) -> None:
    public_guard.limit_client(request, "read", limit=settings.reads_per_minute, seconds=60)


async def _small_body(request: Request, settings: SettingsDep) -> None:
    await public_guard.check_body_size(request, settings.max_body_bytes)


def _writes(request: Request, settings: SettingsDep) -> None:
    public_guard.limit_client(request, "report", limit=settings.reports_per_hour, seconds=3600)


@pages.get("/report", response_class=HTMLResponse, dependencies=[Depends(_reads)])
def report_page(session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """The public report page (mobile first, no login)."""
    _, name = citizens.public_county(session=session)
    maps = map_settings()
    url = maps.basemap_url if maps.basemap == "xyz" else None
    config = citizens.page_config(
        settings=settings, basemap_url=url, attribution=maps.basemap_attribution
    )
    return HTMLResponse(report_page_html(county_name=name, config=config))


@pages.get("/report/follow", response_class=HTMLResponse, dependencies=[Depends(_reads)])
def follow_page(session: SessionDep) -> HTMLResponse:
    """The follow-up page; the token is in the link's fragment, read by the page's script."""
    _, name = citizens.public_county(session=session)
    return HTMLResponse(follow_page_html(county_name=name, config={"api": "/api/v1/citizen"}))


@router.get("/challenge", response_model=ChallengeOut, dependencies=[Depends(_reads)])
def new_challenge(request: Request) -> dict:
    """A small sum to answer with the next report."""
    return public_guard.challenge(request).issue()


@router.get(
    "/outline", response_model=PublicCollection, response_class=GeoJSONResponse,
    dependencies=[Depends(_reads)],
)  # fmt: skip
def county_outline(session: SessionDep) -> dict:
    """The county's townships, the background of the report page's map."""
    code, _ = citizens.public_county(session=session)
    return citizens.outline(session=session, county=code)


@router.get(
    "/resolved", response_model=PublicCollection, response_class=GeoJSONResponse,
    dependencies=[Depends(_reads)],
)  # fmt: skip
def resolved_cases(session: SessionDep, settings: SettingsDep) -> dict:
    """Resolved cases as grid-level, category-only dots (404 unless the county turned it on)."""
    code, _ = citizens.public_county(session=session)
    return citizens.resolved_map(session=session, county=code, settings=settings)


@router.get("/nearby", response_model=NearbyOut, dependencies=[Depends(_reads)])
def nearby(
    session: SessionDep,
    settings: SettingsDep,
    lon: Annotated[float, Query(ge=-180, le=180)],
    lat: Annotated[float, Query(ge=-90, le=90)],
    category: Annotated[str, Query(max_length=32)],
) -> dict:
    """Open problems of the same kind nearby (附近已有类似问题), before one submits."""
    items = citizens.nearby(session=session, lon=lon, lat=lat, category=category,
                            settings=settings)  # fmt: skip
    return {"items": items}


@router.post(
    "/reports", response_model=ReportOut, status_code=201,
    dependencies=[Depends(_small_body), Depends(_writes)],
)  # fmt: skip
def file_report(body: ReportIn, request: Request, session: SessionDep) -> dict:
    """File a report: it enters the loop as ``received``; answer the case number and the
    private follow-up token."""
    if body.website:
        raise InvalidRequest("提交失败，请刷新页面后重试 / refused: reload the page and try again")
    if not public_guard.challenge(request).check(body.ticket, body.answer):
        raise InvalidRequest("小问题答错了或已过期，请重新回答 / wrong or expired challenge answer")
    return citizens.file_web_report(
        session=session, locator=public_guard.intake_locator(request, session), lon=body.lon,
        lat=body.lat, category=body.category, description=body.description.strip(),
        phone=body.phone,
    )  # fmt: skip


@router.post("/follow", response_model=FollowOut, dependencies=[Depends(_small_body),
                                                                 Depends(_reads)])  # fmt: skip
def follow(body: FollowIn, session: SessionDep) -> dict:
    """Status and public history of the case behind a follow-up token."""
    return citizens.follow_view(session=session, token=body.token)


@router.post(
    "/rating", response_model=FollowOut, dependencies=[Depends(_small_body), Depends(_writes)]
)
def rate(body: RatingIn, session: SessionDep) -> dict:
    """The citizen's rating of a closed case (recorded with source ``citizen``)."""
    comment = (body.comment or "").strip() or None
    return citizens.rate(session=session, token=body.token, satisfaction=body.satisfaction,
                         comment=comment)  # fmt: skip
