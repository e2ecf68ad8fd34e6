"""Staff listings, and their contact details through one door: :func:`contact_details`.

Phones and ID numbers live only in ``staff_contact``; no other query, export or map reads
that table. Who may read them (the same scopes as the parties' details of a dispute, see
geo/disputes/parties.py):

- ``county_centre``: everyone of its county (or of every county without a scope); the only
  role that also sees ID numbers;
- ``township`` / ``grid_leader``: people whose unit lies inside the scope (township code,
  grid code) or who serve a grid inside it — the people they work with and may need to call;
- ``partner`` (a police station, court station …, scope = facility code): the grid leader
  and household leaders of a grid where an open case is routed to that facility;
- ``viewer``, and anyone outside those rules: nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.errors import InvalidRequest
from core.principal import ROLES
from geo.database.sqlfiles import sql


def contact_details(
    *, session: Session, staff_ids: list[int], role: str, scope: str | None
) -> dict[int, dict]:
    """Staff id → ``{"phone", "id_number"}`` for the ids the caller may see (rules above)."""
    if role not in ROLES:
        raise InvalidRequest(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    if role == "viewer" or not staff_ids:
        return {}
    if role != "county_centre" and not scope:
        return {}
    rows = session.execute(
        sql("staff_contacts"), {"ids": list(staff_ids), "role": role, "scope": scope}
    ).mappings()
    return {int(r["id"]): {"phone": r["phone"], "id_number": r["id_number"]} for r in rows}


def list_staff(
    *,
    session: Session,
    county: str,
    code: str | None = None,
    role: str | None = None,
    unit: str | None = None,
    grid: str | None = None,
    township: str | None = None,
    scope_area: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> dict:
    """Staff of a county with their grids (no contact details): ``{"matched", "items"}``."""
    params = {
        "county": county, "code": code, "role": role, "unit": unit, "grid": grid,
        "township": township, "scope_area": scope_area, "limit": limit, "offset": offset,
    }  # fmt: skip
    rows = [dict(r) for r in session.execute(sql("staff_list"), params).mappings()]
    matched = int(rows[0]["matched"]) if rows else 0
    items = []
    for row in rows:
        row.pop("matched")
        row["grids"] = list(row["grids"] or [])
        items.append(row)
    return {"matched": matched, "items": items}


def with_contacts(*, session: Session, items: list[dict], role: str, scope: str | None) -> None:
    """Add ``phone`` (and ``id_number``) to each staff item the caller may see, in place;
    the others get ``contact: "restricted"``."""
    allowed = contact_details(
        session=session, staff_ids=[int(i["id"]) for i in items], role=role, scope=scope
    )
    for item in items:
        found = allowed.get(int(item["id"]))
        if found is None:
            item["contact"] = "restricted"
            continue
        item["phone"] = found["phone"]
        if found["id_number"] is not None:
            item["id_number"] = found["id_number"]
