"""The caller's scope on an intake through the API (rule: :mod:`core.principal`, SQL
``wangge_in_scope``).

A record is in scope when the grid it is placed on (its point's grid, or the geocoded one;
no grid: its county) is one the caller may see. One record outside refuses the whole request
with 403 before anything is stored. A record whose external id is taken by a stored case
outside the scope is rejected without saying where that case is, and the report's
``already_present_ids`` only ever names cases the caller may see.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from core.errors import Forbidden, RowProblem
from geo.database.sqlfiles import sql

TAKEN = "编号不可用，请换一个编号 / external_id cannot be used: choose another"


def taken_outside(
    *, session: Session, kind: str, external_ids: Sequence[str], scope: dict
) -> set[str]:
    """Those of ``external_ids`` stored already on a record outside ``scope``."""
    if not external_ids:
        return set()
    params = {"ids": list(external_ids), **scope}
    return set(session.execute(sql(f"{kind}_intake_taken"), params).scalars())


def split_present(
    *,
    session: Session,
    kind: str,
    rows: Sequence[int],
    external_ids: Sequence[str],
    scope: dict,
) -> tuple[list[str], list[RowProblem]]:
    """Records already stored, split into those in ``scope`` (reported as already present)
    and those taken outside it (rejected, naming the row and the field only)."""
    taken = taken_outside(session=session, kind=kind, external_ids=external_ids, scope=scope)
    present = [e for e in external_ids if e not in taken]
    problems = [
        RowProblem(int(row), "external_id", TAKEN)
        for row, external_id in zip(rows, external_ids, strict=True)
        if external_id in taken
    ]
    return present, problems


def refuse_outside(*, session: Session, kind: str, scope: dict) -> None:
    """Raise :class:`Forbidden` (403) when a staged record lies outside ``scope``."""
    outside = session.execute(sql(f"{kind}_intake_outside"), scope).scalars().all()
    if outside:
        shown = ", ".join(str(row) for row in outside[:20])
        more = f" 等 {len(outside)} 行" if len(outside) > 20 else ""
        raise Forbidden(
            f"第 {shown} 行{more}不在您的管辖范围内，未写入任何记录 / "
            f"row(s) {shown} lie outside your scope (field 'address' or 'lon/lat'); "
            "nothing was stored"
        )
