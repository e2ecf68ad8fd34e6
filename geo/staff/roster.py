"""The duty roster (值班备勤) of the county and township centres.

A shift is one person on one post (``leader`` 带班领导, ``officer`` 值班员, ``standby`` 备勤)
at one centre over the half-open interval ``[starts_at, ends_at)``. "Who is on duty at
*t*" is every shift with ``starts_at <= t < ends_at``: at 08:00 the night shift that ends at
08:00 is over and the day shift that starts at 08:00 holds; a night shift from 20:00 to
08:00 the next day holds at 23:59 and at 00:00 alike. A person cannot hold two shifts that
overlap. The outgoing leader writes a handover note (交班记录) on their shift; the people on
duty see the latest note written before their shift.

A centre is named by its facility code (``623021100-township_centre``) or by the code of the
county or township it serves (``623021100``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import NamedTuple

import geopandas as gpd
import pandas as pd
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidRequest, NotFound
from geo.database.bulk import copy_rows
from geo.database.schema_staff import DUTY_POSTS
from geo.database.sqlfiles import sql

MAX_SHIFT = dt.timedelta(hours=48)


class ShiftRow(NamedTuple):
    """One ``duty_shift`` row written in bulk (:func:`write_shifts`)."""

    county_code: str
    centre_id: int
    staff_id: int
    post: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    handover_note: str | None
    handover_by: str | None
    synthetic: bool


def _aware(at: dt.datetime, name: str) -> dt.datetime:
    if at.tzinfo is None:
        raise InvalidRequest(f"{name} needs a time zone (e.g. 2026-11-20T08:00+08:00)")
    return at


def _overlap(
    staff_code: str, centre_code: str | None, starts_at: dt.datetime, ends_at: dt.datetime
) -> Conflict:
    """The 409 for a shift that overlaps one the person already holds."""
    where = centre_code or "另一值班点 / another centre"
    return Conflict(
        f"{staff_code} 在 {starts_at.isoformat()} 至 {ends_at.isoformat()} 已在 {where} 值班，"
        f"同一人不能同时值两个班 / {staff_code} is already on duty at {where} from "
        f"{starts_at.isoformat()} to {ends_at.isoformat()}: one person holds one shift at a time"
    )


def find_centre(*, session: Session, code: str) -> dict:
    """The centre facility named by ``code`` (facility code, or county/township code)."""
    row = session.execute(sql("roster_centre"), {"code": code}).mappings().first()
    if row is None:
        raise NotFound(f"no county or township centre with code {code!r}")
    return dict(row)


def on_duty(
    *,
    session: Session,
    at: dt.datetime,
    centre: str | None = None,
    county: str | None = None,
    scope_area: str | None = None,
    may_read_notes: Callable[[str], bool] = lambda unit: True,
) -> dict:
    """Who is on duty at ``at``, grouped by centre, with the latest handover note where
    ``may_read_notes(centre unit code)`` (notes are personal data: the caller's rule)."""
    at = _aware(at, "at")
    found = find_centre(session=session, code=centre) if centre else None
    params = {
        "at": at,
        "centre_id": found["id"] if found else None,
        "county": county,
        "scope_area": scope_area,
    }
    rows = [dict(r) for r in session.execute(sql("roster_on_duty"), params).mappings()]
    centres: dict[str, dict] = {}
    for row in rows:
        entry = centres.setdefault(
            row["centre_code"],
            {
                "centre": row["centre_code"],
                "name": row["centre_name"],
                "kind": row["centre_kind"],
                "unit": row["centre_unit"],
                "lon": row["lon"],
                "lat": row["lat"],
                "on_duty": [],
                "synthetic": False,
            },
        )
        entry["synthetic"] = entry["synthetic"] or bool(row["synthetic"])
        entry["on_duty"].append(
            {
                "shift_id": row["shift_id"],
                "post": row["post"],
                "post_label": DUTY_POSTS[row["post"]],
                "staff_id": row["staff_id"],
                "staff_code": row["staff_code"],
                "name": row["name"],
                "role": row["role"],
                "from": row["starts_at"].isoformat(),
                "to": row["ends_at"].isoformat(),
            }
        )
    ids = (
        session.execute(sql("roster_centre_ids"), {"codes": list(centres)}).scalars().all()
        if centres
        else []
    )
    notes = {
        r["centre_code"]: r
        for r in session.execute(
            sql("roster_last_handover"), {"centre_ids": list(ids), "at": at}
        ).mappings()
    }
    for code, entry in centres.items():
        note = notes.get(code) if may_read_notes(entry["unit"]) else None
        entry["handover"] = (
            None
            if note is None
            else {
                "shift_id": note["shift_id"],
                "at": note["ends_at"].isoformat(),
                "by": note["handover_by"] or note["handed_over_by_staff"],
                "note": note["handover_note"],
            }
        )
    return {
        "at": at.isoformat(),
        "centre": found["code"] if found else None,
        "centres": list(centres.values()),
        "synthetic": any(c["synthetic"] for c in centres.values()),
    }


def on_duty_frame(
    *,
    session: Session,
    at: dt.datetime,
    county: str,
    scope_area: str | None = None,
    may_read_notes: Callable[[str], bool] = lambda unit: True,
) -> gpd.GeoDataFrame:
    """Who is on duty at ``at`` as points at the centres (for the command-room panel):
    centre code, name, kind, ``people`` (list of {post_label, name, role}), handover note."""
    result = on_duty(
        session=session, at=at, county=county, scope_area=scope_area,
        may_read_notes=may_read_notes,
    )  # fmt: skip
    rows = [
        {
            "code": c["centre"],
            "name": c["name"],
            "kind": c["kind"],
            "people": [
                {"post": p["post_label"], "name": p["name"], "staff_code": p["staff_code"]}
                for p in c["on_duty"]
            ],
            "handover": (c["handover"] or {}).get("note"),
            "synthetic": c["synthetic"],
            "lon": c["lon"],
            "lat": c["lat"],
        }
        for c in result["centres"]
    ]
    frame = pd.DataFrame(rows, columns=["code", "name", "kind", "people", "handover",
                                        "synthetic", "lon", "lat"])  # fmt: skip
    return gpd.GeoDataFrame(
        frame.drop(columns=["lon", "lat"]),
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs=4326,
    )


def shifts(
    *,
    session: Session,
    centre: str,
    start: dt.datetime,
    end: dt.datetime,
    limit: int = 2000,
    may_read_notes: Callable[[str], bool] = lambda unit: True,
) -> dict:
    """The shifts of one centre overlapping ``[start, end)``; the handover notes only when
    ``may_read_notes(centre unit code)``."""
    start, end = _aware(start, "from"), _aware(end, "to")
    if end <= start:
        raise InvalidRequest("'to' must be after 'from'")
    found = find_centre(session=session, code=centre)
    rows = session.execute(
        sql("roster_shifts"),
        {"centre_id": found["id"], "from": start, "to": end, "limit": limit},
    ).mappings()
    notes = may_read_notes(found["admin_code"])
    items = []
    for row in rows:
        item = dict(row)
        if not notes:
            item["handover_note"] = None
        for key in ("starts_at", "ends_at", "handover_at"):
            if item[key] is not None:
                item[key] = item[key].isoformat()
        items.append(item)
    return {"centre": found["code"], "name": found["name"], "unit": found["admin_code"],
            "items": items}  # fmt: skip


def add_shift(
    *,
    session: Session,
    centre: str,
    staff_code: str,
    post: str,
    start: dt.datetime,
    end: dt.datetime,
) -> dict:
    """Put a person on duty at a centre over ``[start, end)``; refuse overlaps (409)."""
    start, end = _aware(start, "from"), _aware(end, "to")
    if post not in DUTY_POSTS:
        raise InvalidRequest(f"post must be one of {', '.join(DUTY_POSTS)}")
    if end <= start:
        raise InvalidRequest("a shift must end after it starts")
    if end - start > MAX_SHIFT:
        raise InvalidRequest("a shift may last at most 48 hours")
    found = find_centre(session=session, code=centre)
    staff_id = session.execute(sql("staff_id_by_code"), {"code": staff_code}).scalar_one_or_none()
    if staff_id is None:
        raise NotFound(f"no staff member with code {staff_code!r}")
    clash = (
        session.execute(sql("roster_overlap"), {"staff_id": staff_id, "from": start, "to": end})
        .mappings()
        .first()
    )
    if clash is not None:
        raise _overlap(staff_code, clash["centre_code"], clash["starts_at"], clash["ends_at"])
    params = {"county": found["county_code"], "centre_id": found["id"], "staff_id": staff_id,
              "post": post, "from": start, "to": end}  # fmt: skip
    try:
        with session.begin_nested():
            shift_id = session.execute(sql("roster_insert"), params).scalar_one()
    except IntegrityError as exc:
        # A concurrent request stored an overlapping shift after the check above: the
        # exclusion constraint duty_shift_no_overlap refused this one.
        if "duty_shift_no_overlap" not in str(exc.orig):
            raise
        clash = session.execute(
            sql("roster_overlap"), {"staff_id": staff_id, "from": start, "to": end}
        ).mappings().first()  # fmt: skip
        if clash is None:
            raise _overlap(staff_code, None, start, end) from None
        raise _overlap(
            staff_code, clash["centre_code"], clash["starts_at"], clash["ends_at"]
        ) from None
    return {"shift_id": shift_id, "centre": found["code"], "staff_code": staff_code,
            "post": post, "from": start.isoformat(), "to": end.isoformat()}  # fmt: skip


def hand_over(*, session: Session, shift_id: int, note: str, actor: str) -> dict:
    """Write the handover note of a shift (交班记录)."""
    note = note.strip()
    if not note:
        raise InvalidRequest("the handover note is empty")
    row = (
        session.execute(sql("roster_handover"), {"id": shift_id, "note": note, "actor": actor})
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no shift with id {shift_id}")
    return {"shift_id": row["id"], "note": note, "by": actor}


def centre_unit_of_shift(*, session: Session, shift_id: int) -> str:
    """The county/township code of the centre a shift belongs to (for scope checks)."""
    unit = session.execute(sql("roster_shift_unit"), {"id": shift_id}).scalar_one_or_none()
    if unit is None:
        raise NotFound(f"no shift with id {shift_id}")
    return unit


def duty_pools(*, session: Session, county: str) -> dict[int, list[int]]:
    """Who can stand duty at each centre of ``county``: centre id → staff ids, in code order.
    A township centre draws on the county cadres placed in its township, the county centre
    on the prefecture cadres placed in the county."""
    pools: dict[int, list[int]] = {}
    for row in session.execute(sql("roster_duty_pools"), {"county": county}).mappings():
        pools.setdefault(int(row["centre_id"]), []).append(int(row["staff_id"]))
    return pools


def write_shifts(*, session: Session, rows: Iterable[ShiftRow]) -> int:
    """COPY ``rows`` into the roster (no overlap check: the caller plans them); return the
    number written."""
    return copy_rows(session=session, table="duty_shift", columns=ShiftRow._fields, rows=rows)
