"""``/api/v1/redraw``: propose a grid redraw, review it as GeoJSON, apply it."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import CurrentUser, Manager, SessionDep
from api.schemas.redraw import (
    AppliedOut,
    PlanCollection,
    PlanOut,
    RedrawIn,
    VersionIn,
    VersionOut,
)
from core.errors import NotFound
from geo.redraw import apply_plan, get_plan, plan_geojson, propose
from geo.redraw.groups import GroupRule
from geo.redraw.store import plan_not_found
from geo.redraw.versions import save_version

router = APIRouter(tags=["redraw"])


@router.post("/redraw", response_model=PlanOut, response_model_exclude_unset=True)
def create_plan(body: RedrawIn, session: SessionDep, user: Manager) -> dict:
    """Propose new grids and ten-household groups for a village, township or county.

    The proposal is stored as a plan (status ``proposed``) with its metrics; nothing changes
    until it is applied.
    """
    user.check_area(body.scope)
    return propose(
        session=session,
        scope=body.scope,
        target=body.target,
        tolerance=body.tolerance,
        keep_households=body.keep_households,
        group_rule=GroupRule(size=body.group_size, lo=body.group_min, hi=body.group_max),
        created_by=user.username,
    )


@router.get("/redraw/{plan_id}", response_model=PlanCollection, response_model_exclude_unset=True)
def read_plan(
    plan_id: int,
    session: SessionDep,
    user: CurrentUser,
    groups: bool = Query(False, description="include the proposed ten-household groups"),
) -> dict:
    """The proposed grids of a plan as a GeoJSON FeatureCollection with its metrics.

    A plan outside the caller's area answers exactly as a plan that does not exist (404).
    """
    plan = plan_geojson(session=session, plan_id=plan_id, groups=groups)
    if not user.covers_area(plan["scope"]):
        raise NotFound(plan_not_found(plan_id))
    return plan


@router.post(
    "/redraw/{plan_id}/apply", response_model=AppliedOut, response_model_exclude_unset=True
)
def apply(plan_id: int, session: SessionDep, user: Manager) -> dict:
    """Apply a proposed plan in one transaction (409 when its base grids changed since)."""
    user.check_area(get_plan(session=session, plan_id=plan_id)["scope_code"])
    return apply_plan(session=session, plan_id=plan_id, actor=user.username)


@router.post(
    "/redraw/{plan_id}/versions", response_model=VersionOut, response_model_exclude_unset=True
)
def save_plan_version(plan_id: int, body: VersionIn, session: SessionDep, user: Manager) -> dict:
    """Save a hand edit of a plan (addresses moved to neighbouring grids) as a new plan version.

    The server checks the edit again (no grid empty or broken apart, no address leaving its
    village: 422), recomputes the grids' shapes, groups and metrics, and stores the result as a
    proposed plan that review and apply take like any other. A plan outside the caller's area
    answers 404.
    """
    plan = get_plan(session=session, plan_id=plan_id)
    if not user.covers_area(plan["scope_code"]):
        raise NotFound(plan_not_found(plan_id))
    return save_version(
        session=session, plan_id=plan_id, assignment=body.assignment, edited_by=user.username
    )
