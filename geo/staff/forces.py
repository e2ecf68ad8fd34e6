"""The people dispatch draws on besides the grid and household leaders: who is on duty at
the case's township and county centres now, and the nearest forces of the right kind.

Which kinds a case calls for (:func:`force_roles`):

- every case: village committee members (村两委), who mediate on the spot;
- serious (较大) and worse: county cadres placed in the grids (包片县级干部);
- major (重大) and especially major (特别重大): prefecture cadres as well;
- when the police are called for (violence, threats, crowds, traffic): the militia (民兵).

"Nearest" is: the people who serve the case's grid first, then by the distance from the
case's point to the nearest grid they serve (staff have no position of their own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from core import vocab
from geo.database.sqlfiles import sql
from geo.staff.roster import on_duty

PER_ROLE = 2
GRID_POOL = 120  # nearest grids searched for people of each kind


def force_roles(*, severity: str, partners: list[str]) -> list[str]:
    """The staff roles a case calls for, in order (rules in the module docstring)."""
    roles = ["village_committee"]
    if severity in ("serious", "major", "critical"):
        roles.append("county_cadre")
    if severity in ("major", "critical"):
        roles.append("prefecture_cadre")
    if "police_station" in partners:
        roles.append("militia")
    return roles


def forces_for_dispute(
    *,
    session: Session,
    dispute: Mapping,
    partners: list[str],
    at: dt.datetime | None = None,
) -> dict:
    """On-duty people at the case's centres and the nearest forces of the kinds it needs.

    ``dispute`` carries ``severity``, ``county_code``, ``township_code``, ``grid_id``,
    ``lon``, ``lat`` (the dispatch context of geo/disputes/dispatch.py).
    """
    at = at or dt.datetime.now(dt.UTC)
    county = dispute["county_code"]
    duty = on_duty(
        session=session,
        at=at,
        county=county,
        scope_area=dispute.get("township_code") or county,
    )
    roles = force_roles(severity=dispute["severity"], partners=partners)
    rows = session.execute(
        sql("staff_nearest_forces"),
        {
            "roles": roles,
            "county": county,
            "grid_id": dispute.get("grid_id"),
            "lon": dispute.get("lon"),
            "lat": dispute.get("lat"),
            "per_role": PER_ROLE,
            "grid_pool": GRID_POOL,
        },
    ).mappings()
    nearest = [
        {
            "role": r["role"],
            "role_label": vocab.STAFF_ROLES[r["role"]],
            "code": r["code"],
            "name": r["name"],
            "unit": r["unit_code"],
            "serves_grid": bool(r["serves_grid"]),
            "distance_m": None if r["metres"] is None else round(float(r["metres"])),
        }
        for r in rows
    ]
    return {"at": duty["at"], "on_duty": duty["centres"], "roles": roles, "nearest": nearest}
