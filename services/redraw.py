"""The redraw desk's use case: who may open it, and its page for one plan."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.errors import Forbidden, NotFound
from core.principal import MANAGER_ROLES, Principal
from geo.redraw import get_plan
from geo.redraw.store import plan_not_found
from geo.redraw.versions import desk_data
from maps.redraw_desk import desk_html


def redraw_desk_page(*, session: Session, user: Principal, plan_id: int) -> str:
    """The desk page of plan ``plan_id`` for ``user``.

    Raises :class:`NotFound` for a missing plan or one outside the user's area, and
    :class:`Forbidden` for roles other than the county centre and township.
    """
    row = get_plan(session=session, plan_id=plan_id)
    if not user.covers_area(row["scope_code"]):
        raise NotFound(plan_not_found(plan_id))
    if user.role not in MANAGER_ROLES:
        raise Forbidden(
            "只有县中心和乡镇可以调整方案 / only the county centre and townships edit plans"
        )
    return desk_html(desk_data(session=session, plan_id=plan_id))
