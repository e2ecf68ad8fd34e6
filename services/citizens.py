"""The citizens' channel: report a problem, follow it, rate the result; Open311 for partners.

Composition only: the data is read and written by :mod:`geo.citizens`, the words shown to
citizens come from :mod:`maps.citizen`. What leaves here for the public carries no personal
data: no description, no phone, no staff name, no event note, locations at grid level.
"""

from __future__ import annotations

import datetime as dt
import json

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.orm import Session

from core import cases, vocab
from core.errors import InvalidRequest, NotFound
from geo.citizens import apikeys, reports
from geo.disputes.locate import Locator
from geo.places import counties
from maps.citizen import CATEGORY_HINTS

CHINA = dt.timezone(dt.timedelta(hours=8))
OPEN311_NOTICE = "已受理，将由综治中心分流办理 / received; the county centre will route it"
AGENCY = "县综治中心 county command centre"


class CitizenSettings(BaseSettings):
    """The public channel's switches and limits (``WANGGE_CITIZEN_*``).

    ``public_map`` (off by default) publishes grid-level, category-only dots of resolved cases;
    the limits are per client address (reports, reads) and per partner key (Open311 posts)."""

    model_config = SettingsConfigDict(env_prefix="WANGGE_CITIZEN_", extra="ignore")

    public_map: bool = False
    public_map_days: int = 365
    reports_per_hour: int = 10
    reads_per_minute: int = 120
    key_posts_per_hour: int = 600
    max_body_bytes: int = 16_000
    nearby_metres: float = 300.0
    nearby_days: int = 30


def citizen_settings() -> CitizenSettings:
    """The channel's settings read from the environment now."""
    return CitizenSettings()


def categories() -> list[dict]:
    """The categories a citizen picks from: code, label and plain words."""
    return [
        {"code": code, "label": label, "hint": CATEGORY_HINTS.get(code, "")}
        for code, label in vocab.DISPUTE_CATEGORIES.items()
    ]


def check_category(category: str) -> None:
    """Raise unless ``category`` is one of :data:`core.vocab.DISPUTE_CATEGORIES`."""
    if category not in vocab.DISPUTE_CATEGORIES:
        raise InvalidRequest(
            f"类别未知 / unknown category {category!r}; use one of "
            + ", ".join(vocab.DISPUTE_CATEGORIES)
        )


def file_web_report(
    *,
    session: Session,
    locator: Locator,
    lon: float,
    lat: float,
    category: str,
    description: str,
    phone: str | None,
) -> dict:
    """A report from the public page: the case number and the private follow-up token."""
    check_category(category)
    filed = reports.file_report(
        session=session, locator=locator, lon=lon, lat=lat, category=category,
        description=description, phone=phone, channel="web", source="citizen:web",
    )  # fmt: skip
    return {"case_number": filed["case_number"], "token": filed["token"], "status": "received"}


def _local(value: dt.datetime | None) -> str | None:
    return value.astimezone(CHINA).isoformat(timespec="minutes") if value else None


def follow_view(*, session: Session, token: str) -> dict:
    """What the follow-up link shows: status, the public history, whether it may be rated."""
    found = reports.report_for_token(session=session, token=token)
    history = reports.public_history(session=session, dispute_id=found.dispute_id)
    return {
        "case_number": found.external_id,
        "category": found.category,
        "category_label": vocab.DISPUTE_CATEGORIES[found.category],
        "status": found.status,
        "status_label": vocab.DISPUTE_STATUSES[found.status],
        "place": found.grid_name,
        "reported_at": _local(found.reported_at),
        "deadline": _local(found.deadline),
        "history": [
            {
                "at": _local(step["at"]),
                "status": step["to_status"],
                "label": vocab.DISPUTE_STATUSES[step["to_status"]],
            }
            for step in history
        ],
        "may_rate": found.rating is None and found.status in reports.RATEABLE,
        "rating": None
        if found.rating is None
        else {"satisfaction": found.rating, "comment": found.rating_comment,
              "at": _local(found.rated_at)},
    }  # fmt: skip


def rate(*, session: Session, token: str, satisfaction: int, comment: str | None) -> dict:
    """Record the citizen's rating (source ``citizen``) and return the follow-up view."""
    reports.rate(session=session, token=token, satisfaction=satisfaction, comment=comment)
    return follow_view(session=session, token=token)


def nearby(
    *, session: Session, lon: float, lat: float, category: str, settings: CitizenSettings
) -> list[dict]:
    """Open problems of the same kind nearby (附近已有类似问题): no personal data."""
    check_category(category)
    rows = reports.nearby_open(
        session=session, lon=lon, lat=lat, category=category,
        metres=settings.nearby_metres, days=settings.nearby_days,
    )  # fmt: skip
    return [
        {
            "case_number": r["external_id"],
            "category_label": vocab.DISPUTE_CATEGORIES[r["category"]],
            "status_label": vocab.DISPUTE_STATUSES[r["status"]],
            "reported_on": r["reported_at"].astimezone(CHINA).date().isoformat(),
            "metres": int(r["metres"]),
        }
        for r in rows
    ]


def resolved_map(*, session: Session, county: str, settings: CitizenSettings) -> dict:
    """The public map of resolved cases (GeoJSON), or NotFound when the county has not turned
    it on: one dot per grid and category, with the category and a count only."""
    if not settings.public_map:
        raise NotFound("本县未开放已办结问题地图 / the public map of resolved cases is off")
    dots = reports.resolved_dots(session=session, county=county, days=settings.public_map_days)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(d["lon"], 5),
                                                              round(d["lat"], 5)]},
                "properties": {"category_label": vocab.DISPUTE_CATEGORIES[d["category"]],
                               "cases": int(d["cases"])},
            }
            for d in dots
        ],
    }  # fmt: skip


def outline(*, session: Session, county: str) -> dict:
    """The county's townships as GeoJSON, the background of the report page."""
    rows = reports.county_outline(session=session, county=county)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": json.loads(r["geometry"]),
             "properties": {"name": r["name"]}}
            for r in rows
        ],
    }  # fmt: skip


# --- Open311 GeoReport v2 ---------------------------------------------------------------------


def open311_services() -> list[dict]:
    """The service list (the categories), with the spec's fields."""
    return [
        {
            "service_code": c["code"],
            "service_name": c["label"],
            "description": c["hint"],
            "metadata": False,
            "type": "batch",
            "keywords": "",
            "group": "矛盾纠纷",
        }
        for c in categories()
    ]


def use_key(*, session: Session, key: str | None) -> dict | None:
    """The live partner key ``key`` (id, name), or None."""
    return apikeys.use_key(session=session, key=key) if key else None


def open311_post(
    *,
    session: Session,
    locator: Locator,
    key: dict,
    service_code: str,
    lat: float,
    lon: float,
    description: str,
    address_string: str | None,
    phone: str | None,
) -> dict:
    """A partner's request as a ``received`` case; the spec's answer for it."""
    check_category(service_code)
    filed = reports.file_report(
        session=session, locator=locator, lon=lon, lat=lat, category=service_code,
        description=description, phone=phone, address_text=address_string, channel="open311",
        source=f"open311:{key['name']}", api_key_id=key["id"],
    )  # fmt: skip
    return {"service_request_id": filed["case_number"], "service_notice": OPEN311_NOTICE,
            "account_id": None}  # fmt: skip


def _w3c(value: dt.datetime | None) -> str | None:
    return value.astimezone(CHINA).isoformat(timespec="seconds") if value else None


def open311_requests(
    *,
    session: Session,
    ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    status: str | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int = 1000,
) -> list[dict]:
    """Requests from the public channels with the spec's public fields only."""
    open_ = {"open": True, "closed": False}.get(status) if status else None
    rows = reports.public_requests(
        session=session, ids=ids, categories=service_codes, open_=open_, start=start, end=end,
        limit=limit,
    )  # fmt: skip
    return [
        {
            "service_request_id": r["external_id"],
            "status": "open" if cases.is_open(r["status"]) else "closed",
            "status_notes": vocab.DISPUTE_STATUSES[r["status"]],
            "service_name": vocab.DISPUTE_CATEGORIES[r["category"]],
            "service_code": r["category"],
            "agency_responsible": AGENCY,
            "service_notice": None,
            "requested_datetime": _w3c(r["reported_at"]),
            "updated_datetime": _w3c(r["updated_at"]),
            "expected_datetime": _w3c(r["deadline"]),
            "address": r["grid_name"],
            "address_id": None,
            "zipcode": None,
            "lat": None if r["lat"] is None else round(r["lat"], 5),
            "long": None if r["lon"] is None else round(r["lon"], 5),
            "media_url": None,
        }
        for r in rows
    ]


# --- the page ---------------------------------------------------------------------------------


def public_county(*, session: Session) -> tuple[str, str]:
    """The county the public pages serve (the only one loaded) and its name."""
    code = counties.which_county(session=session)
    return code, counties.county_name(session=session, county=code)


def page_config(*, settings: CitizenSettings, basemap_url: str | None, attribution: str) -> dict:
    """What the report page's script needs: the API, the categories, the switches."""
    return {
        "api": "/api/v1/citizen",
        "follow_page": "/report/follow",
        "categories": categories(),
        "public_map": settings.public_map,
        "basemap": {"url": basemap_url, "attribution": attribution} if basemap_url else None,
    }
