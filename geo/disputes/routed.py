"""Who may take a case routed to a village or township because no grid is certain (位置待核实).

Intake gives such a case ``location_admin_code`` and no grid (:mod:`geo.disputes.locate`).
Its candidates are the unit's 综治中心 (the village or township centre whose jurisdiction is
the unit, with its point) and the leaders of the unit's current grids, by name and grid code,
so that the centre can hand the case to the right grid once the place is checked. Phones are
added only for the staff the caller may call, through :func:`geo.staff.directory.
contact_details`; for the others each entry says ``contact: "restricted"``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from geo.database.sqlfiles import sql
from geo.staff.directory import contact_details

MAX_LEADERS = 60  # a township's grids; more would not fit a popup or a clerk's screen
LEVEL_WORDS = {"village": "村/社区 village", "township": "乡镇 township"}


def routed_candidates(
    *,
    session: Session,
    unit_code: str | None,
    role: str | None = None,
    scope: str | None = None,
) -> dict | None:
    """The unit, its centre and its grid leaders (rules above); None without a unit.

    ``role``/``scope`` are the caller's (for phones); without a role no phone is given.
    """
    if not unit_code:
        return None
    unit = session.execute(sql("disputes_routed_unit"), {"code": unit_code}).mappings().first()
    if unit is None:
        return None
    rows = session.execute(
        sql("disputes_routed_leaders"), {"code": unit_code, "limit": MAX_LEADERS}
    ).mappings()
    leaders = [dict(r) for r in rows]
    allowed = {}
    if role is not None:
        allowed = contact_details(
            session=session, staff_ids=[int(r["id"]) for r in leaders], role=role, scope=scope
        )
    grid_leaders = []
    for leader in leaders:
        entry = {
            "code": leader["code"],
            "name": leader["name"],
            "grid_code": leader["grid_code"],
            "grid_name": leader["grid_name"],
            "open_workload": int(leader["open_workload"]),
        }
        found = allowed.get(int(leader["id"]))
        if found is None:
            entry["contact"] = "restricted"
        else:
            entry["phone"] = found["phone"]
        grid_leaders.append(entry)
    centre = None
    if unit["centre_code"]:
        centre = {
            "code": unit["centre_code"],
            "name": unit["centre_name"],
            "kind": unit["centre_kind"],
            "lon": unit["centre_lon"],
            "lat": unit["centre_lat"],
        }
    return {
        "unit": unit["code"],
        "unit_name": unit["name"],
        "level": unit["level"],
        "level_words": LEVEL_WORDS.get(unit["level"], unit["level"]),
        "status": "位置待核实",
        "centre": centre,
        "grid_leaders": grid_leaders,
    }
