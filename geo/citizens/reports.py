"""Public reports: a case filed by a citizen or a partner, its follow-up and what the public sees.

A report goes through the ordinary intake (:func:`geo.disputes.intake.ingest_records`): the
point is put on its grid by the intake's rules, the case gets its deadline, its intake event
(→ ``received``) and the duplicate check, and it waits there for a person to route it. The
reporter's phone, when given, is stored as a party of the case (role ``reporter``), so only
the roles that may see parties ever read it.

Everything read here for the public leaves out personal data: no description, no party, no
staff name, no event note; locations are a point inside the case's grid.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidRequest, NotFound
from geo.citizens.tokens import new_case_number, new_follow_token, secret_hash
from geo.database.sqlfiles import sql
from geo.disputes import workflow
from geo.disputes.intake import ingest_records
from geo.disputes.locate import Locator

CHINA = dt.timezone(dt.timedelta(hours=8))
REPORTER_NAME = "上报群众"
RATEABLE = ("resolved", "unresolved")
NUMBER_ATTEMPTS = 5


def file_report(
    *,
    session: Session,
    locator: Locator,
    lon: float,
    lat: float,
    category: str,
    description: str,
    channel: str,
    source: str,
    phone: str | None = None,
    address_text: str | None = None,
    crs: str | None = None,
    api_key_id: int | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """File one public report as a ``received`` case; return its case number, id, grid name
    and (web channel) the follow-up token, which is stored only as its hash."""
    now = now or dt.datetime.now(dt.UTC)
    record = {
        "reported_at": now.isoformat(), "category": category, "severity": "minor",
        "lon": lon, "lat": lat, "crs": crs or "wgs84", "description": description,
        "address": address_text, "source": source,
        "parties": [{"role": "reporter", "name": REPORTER_NAME, "phone": phone}] if phone else [],
    }  # fmt: skip
    for _ in range(NUMBER_ATTEMPTS):
        number = new_case_number(now.astimezone(CHINA))
        with session.begin_nested():
            report = ingest_records(
                session=session, records=[record | {"external_id": number}], kind="disputes",
                locator=locator, actor="citizen", source=source,
            )  # fmt: skip
            if report.rejected:
                raise InvalidRequest("；".join(p.reason for p in report.rejected))
            if report.needs_location:
                raise InvalidRequest(
                    "这个位置不在本县的网格范围内，请在地图上重新选择 / the point is outside the"
                    " county's grids: pick the place again"
                )
        if number in report.accepted:
            break
    else:
        raise Conflict("案件编号冲突，请重试 / could not allot a case number, try again")
    dispute_id = report.accepted[number]
    token = new_follow_token() if channel == "web" else None
    session.execute(
        sql("citizens_report_insert"),
        {
            "dispute_id": dispute_id,
            "channel": channel,
            "token_hash": secret_hash(token) if token else None,
            "api_key_id": api_key_id,
        },
    )
    return {"case_number": number, "dispute_id": dispute_id, "token": token}


def report_for_token(*, session: Session, token: str):
    """The case behind a follow-up token, or NotFound (the same answer for any bad token)."""
    row = session.execute(sql("citizens_report_by_token"), {"token_hash": secret_hash(token)})
    found = row.first()
    if found is None:
        raise NotFound("没有找到这个查询链接对应的问题 / no report for this follow-up link")
    return found


def public_history(*, session: Session, dispute_id: int) -> list[dict]:
    """The case's status changes and when (no actor, no note)."""
    rows = session.execute(sql("citizens_public_history"), {"dispute_id": dispute_id})
    return [dict(r) for r in rows.mappings()]


def rate(
    *,
    session: Session,
    token: str,
    satisfaction: int,
    comment: str | None,
    now: dt.datetime | None = None,
) -> None:
    """The citizen's own rating from the follow-up link: the loop records it as ``rated``
    with source ``citizen``; only once, and only when the case has been closed by staff."""
    found = report_for_token(session=session, token=token)
    if found.rating is not None:
        raise Conflict("这个问题已经评价过了 / this report has been rated already")
    if found.status not in RATEABLE:
        raise Conflict(
            "问题办结后才能评价 / a report can be rated once it is closed (resolved or not)"
            if found.status not in ("rated", "archived", "followed_up")
            else "这个问题已经评价或归档 / this case has been rated or archived already"
        )
    now = now or dt.datetime.now(dt.UTC)
    workflow.transition(
        session=session, dispute_id=found.dispute_id, to="rated", version=found.version,
        actor="citizen", note=comment or None, satisfaction=satisfaction,
        rating_source="citizen", at=now, by=None,
    )  # fmt: skip
    session.execute(
        sql("citizens_rating_record"),
        {"report_id": found.report_id, "rating": satisfaction, "comment": comment, "at": now},
    )


def nearby_open(
    *,
    session: Session,
    lon: float,
    lat: float,
    category: str,
    metres: float = 300.0,
    days: int = 30,
    limit: int = 5,
) -> list[dict]:
    """Open cases of ``category`` within ``metres`` reported in the last ``days`` days:
    case number, category, status, day and distance rounded to 50 m."""
    rows = session.execute(
        sql("citizens_nearby"),
        {"lon": lon, "lat": lat, "category": category, "metres": metres, "days": days,
         "limit": limit},
    )  # fmt: skip
    return [dict(r) for r in rows.mappings()]


def resolved_dots(*, session: Session, county: str, days: int = 365) -> list[dict]:
    """Resolved cases of the last ``days`` days, one dot per grid and category with a count."""
    rows = session.execute(sql("citizens_resolved_dots"), {"county": county, "days": days})
    return [dict(r) for r in rows.mappings()]


def county_outline(*, session: Session, county: str) -> list[dict]:
    """The county's townships (name, simplified GeoJSON geometry text) for the page's map."""
    rows = session.execute(sql("citizens_public_outline"), {"county": county})
    return [dict(r) for r in rows.mappings()]


def public_requests(
    *,
    session: Session,
    ids: list[str] | None = None,
    categories: list[str] | None = None,
    open_: bool | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int = 1000,
) -> list[dict]:
    """Cases from the public channels, public fields only (see the module docstring)."""
    rows = session.execute(
        sql("citizens_public_requests"),
        {"ids": ids, "categories": categories, "open": open_, "start": start, "end": end,
         "limit": limit},
    )  # fmt: skip
    return [dict(r) for r in rows.mappings()]
