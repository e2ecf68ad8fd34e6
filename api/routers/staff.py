"""``/api/v1/staff``: the "8+" forces, their coverage of the grids, contacts by role."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from api.deps import CurrentUser, SessionDep, audit_case, resolve_county
from api.schemas.common import CODE, COUNTY
from api.schemas.staff import CoverageOut, StaffMember, StaffPage
from core import vocab
from core.errors import NotFound
from geo.staff import coverage, directory

router = APIRouter(tags=["staff"])


@router.get("/staff/coverage", response_model=CoverageOut, response_model_exclude_unset=True)
def staff_coverage(
    session: SessionDep,
    user: CurrentUser,
    county: str | None = Query(None, pattern=COUNTY),
    township: str | None = Query(None, pattern=CODE),
    village: str | None = Query(None, pattern=CODE),
    flagged: bool | None = Query(None, description="only grids missing a required role"),
) -> dict:
    """Forces per grid (how many of each role, households per person) and the grids that
    lack a required role: a grid leader, a leader for every ten-household group, groups
    where households live (rule: geo/staff/coverage.py)."""
    result = coverage.grid_coverage(
        session=session,
        county=resolve_county(session, user, county),
        scope_area=user.area_prefix,
        township=township,
        village=village,
    )
    if flagged is not None:
        result["items"] = [g for g in result["items"] if g["flagged"] == flagged]
    result["roles"] = vocab.STAFF_ROLES
    return result


@router.get("/staff", response_model=StaffPage, response_model_exclude_unset=True)
def list_staff(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    county: str | None = Query(None, pattern=COUNTY),
    role: str | None = Query(None, description=", ".join(vocab.STAFF_ROLES)),
    unit: str | None = Query(None, pattern=CODE),
    grid: str | None = Query(None, pattern=CODE),
    township: str | None = Query(None, pattern=CODE),
    limit: int = Query(200, ge=1, le=5000),
    offset: int = Query(0, ge=0),
) -> dict:
    """Staff in the caller's area with the grids they serve. Phones (and, for the county
    centre, ID numbers) only where the role may see them; the others say ``restricted``."""
    page = directory.list_staff(
        session=session, county=resolve_county(session, user, county), role=role, unit=unit,
        grid=grid, township=township, scope_area=user.area_prefix, limit=limit, offset=offset,
    )  # fmt: skip
    directory.with_contacts(
        session=session, items=page["items"], role=user.role, scope=user.scope_code
    )
    shown = [i["code"] for i in page["items"] if "phone" in i]
    if shown:
        audit_case(session, user, request, "read", None, {"contacts": shown[:200]},
                   object_type="staff")  # fmt: skip
    return page


@router.get("/staff/{code}", response_model=StaffMember, response_model_exclude_unset=True)
def one_person(code: str, request: Request, session: SessionDep, user: CurrentUser) -> dict:
    """One staff member with their grids; contacts as the role allows."""
    page = directory.list_staff(session=session, county=code[:6], code=code, limit=1)
    found = page["items"][0] if page["items"] else None
    if found is None or not _in_scope(user, found):
        raise NotFound(f"no staff member {code!r} in your area")
    directory.with_contacts(session=session, items=[found], role=user.role, scope=user.scope_code)
    if "phone" in found:
        audit_case(session, user, request, "read", code, object_type="staff")
    return found


def _in_scope(user, item: dict) -> bool:
    prefix = user.area_prefix
    if prefix is None:
        return True
    return (item["unit_code"] or "").startswith(prefix) or any(
        g.startswith(prefix) for g in item["grids"]
    )
