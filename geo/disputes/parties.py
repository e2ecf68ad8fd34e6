"""The parties' personal details: one door, :func:`party_details`, that takes the caller's role.

Names, ID numbers, phones and home addresses of the people in a dispute live only in
``dispute_party``; no other query, listing, export or map reads that table. Scopes are the
caller's code as the security layer issues them (core/principal.py): official codes
nest by prefix, so an area scope covers the grids whose code starts with it.

- ``county_centre``: every dispute (of its county when it has a county scope);
- ``township`` / ``grid_leader``: disputes on a grid inside the scope (township code, grid
  code);
- ``partner``: only disputes routed to the caller's unit (``scope`` = facility code);
- ``viewer``, and anyone outside those rules: nothing (an empty list).

This function is the single place the rules are enforced, so they can tighten without
touching callers.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.errors import InvalidRequest, NotFound
from core.principal import ROLES, Principal
from geo.database.sqlfiles import sql


def may_see_parties(*, session: Session, dispute_id: int, role: str, scope: str | None) -> bool:
    """Whether a caller with ``role`` (and ``scope``) may read this dispute's parties."""
    if role not in ROLES:
        raise InvalidRequest(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    facts = session.execute(sql("disputes_party_access"), {"id": dispute_id}).first()
    if facts is None:
        raise NotFound(f"no dispute with id {dispute_id}")
    if scope is None and role != "county_centre":
        return False  # only the county centre may go unscoped
    caller = Principal(username="", role=role, scope_code=scope)
    return caller.may_see_case(
        grid_code=facts.grid_code, county_code=facts.county_code, facility_code=facts.facility_code
    )


def party_details(
    *, session: Session, dispute_id: int, role: str, scope: str | None = None
) -> list[dict]:
    """The parties of a dispute as the caller may see them (rules in the module docstring)."""
    if not may_see_parties(session=session, dispute_id=dispute_id, role=role, scope=scope):
        return []
    rows = session.execute(sql("disputes_parties"), {"id": dispute_id}).mappings()
    return [dict(row) for row in rows]
