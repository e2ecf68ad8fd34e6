"""``/api/v1/redraw``: propose a grid redraw, review it as GeoJSON, apply it."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, model_validator

from api.deps import CurrentUser, Manager, SessionDep
from geo.redraw import apply_plan, get_plan, plan_geojson, propose
from geo.redraw.groups import GroupRule

router = APIRouter(tags=["redraw"])

CODE = r"^\d{6}(\d{3})?(\d{3})?$"


class RedrawRequest(BaseModel):
    """What to redraw (one of village, township, county) and how."""

    village: str | None = Field(None, pattern=CODE, description="12-digit village code")
    township: str | None = Field(None, pattern=CODE, description="9-digit township code")
    county: str | None = Field(None, pattern=CODE, description="6-digit county code")
    target: float | None = Field(
        None, gt=0, le=100_000, description="households per grid (default: the county's median)"
    )
    tolerance: float = Field(0.15, gt=0, lt=1, description="allowed deviation from the target")
    group_size: float = Field(10, gt=0, le=1000, description="households per ten-household group")
    group_min: float = Field(5, ge=0, le=1000)
    group_max: float = Field(15, gt=0, le=1000)

    @model_validator(mode="after")
    def one_scope(self) -> RedrawRequest:
        given = [c for c in (self.village, self.township, self.county) if c]
        if len(given) != 1:
            raise ValueError("give exactly one of village, township or county")
        if not self.group_min <= self.group_size <= self.group_max:
            raise ValueError("group_min <= group_size <= group_max must hold")
        return self

    @property
    def scope(self) -> str:
        """The code of the area to redraw."""
        return self.village or self.township or self.county or ""


@router.post("/redraw")
def create_plan(body: RedrawRequest, session: SessionDep, user: Manager) -> dict:
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
        group_rule=GroupRule(size=body.group_size, lo=body.group_min, hi=body.group_max),
        created_by=user.username,
    )


@router.get("/redraw/{plan_id}")
def read_plan(
    plan_id: int,
    session: SessionDep,
    user: CurrentUser,
    groups: bool = Query(False, description="include the proposed ten-household groups"),
) -> dict:
    """The proposed grids of a plan as a GeoJSON FeatureCollection with its metrics."""
    return plan_geojson(session=session, plan_id=plan_id, groups=groups)


@router.post("/redraw/{plan_id}/apply")
def apply(plan_id: int, session: SessionDep, user: Manager) -> dict:
    """Apply a proposed plan in one transaction (409 when its base grids changed since)."""
    user.check_area(get_plan(session=session, plan_id=plan_id)["scope_code"])
    return apply_plan(session=session, plan_id=plan_id, actor=user.username)
