"""Write a whole county (admin units, staff, grids, groups, addresses, facilities) in one go.

Used by the demo and by the province generator: the frames follow the column contract of
:class:`demo.DemoCounty`. Everything happens inside the caller's transaction, so a
failure leaves nothing behind. Events (disputes, signals) go through the intake path instead.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.database.bulk import code_to_id, copy_frame, copy_rows

ADMIN_COLUMNS = [
    "code", "level", "parent_code", "name", "short_name", "county_code", "aliases",
    "synthetic_geom", "geom",
]  # fmt: skip
ADDRESS_COLUMNS = [
    "code", "county_code", "township_code", "village_code", "full_text", "township", "village",
    "group_no", "road", "number", "building", "houses", "residents", "grid_id",
    "household_group_id", "synthetic", "geom",
]  # fmt: skip


def _level_order(frame: pd.DataFrame) -> pd.DataFrame:
    rank = frame["level"].map({"county": 0, "township": 1, "village": 2})
    return frame.assign(_rank=rank).sort_values(["_rank", "code"]).drop(columns="_rank")


def load_admin_units(*, session: Session, admin_units) -> int:
    """Insert admin units parents first."""
    frame = _level_order(admin_units)
    if "aliases" not in frame:
        frame = frame.assign(aliases=None)
    if "synthetic_geom" not in frame:
        frame = frame.assign(synthetic_geom=False)
    # The prefecture above a county is not stored: a county row has no parent in the table.
    parents = [
        None if level == "county" else p
        for level, p in zip(frame["level"], frame["parent_code"], strict=True)
    ]
    frame = frame.assign(
        aliases=[list(a) if a is not None and len(a) else None for a in frame["aliases"]],
        parent_code=parents,
    )
    return copy_frame(session=session, table="admin_unit", frame=frame, columns=ADMIN_COLUMNS)


def load_staff(
    *, session: Session, staff: pd.DataFrame, county: str | None = None
) -> dict[str, int]:
    """Insert staff and their restricted contacts; return code → id (of ``county`` if given)."""
    frame = staff.assign(synthetic=staff.get("synthetic", True))
    copy_rows(
        session=session,
        table="staff",
        columns=["code", "county_code", "name", "role", "unit_code", "synthetic"],
        rows=frame[["code", "county_code", "name", "role", "unit_code", "synthetic"]].itertuples(
            index=False
        ),
    )
    ids = code_to_id(session=session, table="staff", county=county)
    if "phone" in frame:
        copy_rows(
            session=session,
            table="staff_contact",
            columns=["staff_id", "phone"],
            rows=((ids[c], p) for c, p in zip(frame["code"], frame["phone"], strict=True)),
        )
    return ids


def load_grids(
    *, session: Session, grids, leaders: dict[str, int] | None = None, county: str | None = None
) -> dict:
    """Insert current grids; ``leaders`` maps grid code → staff id. Return code → id."""
    leaders = leaders or {}
    frame = grids.assign(
        leader_id=[leaders.get(c) for c in grids["code"]],
        synthetic=grids.get("synthetic", False),
    )
    copy_frame(
        session=session,
        table="grid",
        frame=frame,
        columns=[
            "code", "name", "county_code", "township_code", "village_code", "households",
            "population", "leader_id", "synthetic", "geom",
        ],
    )  # fmt: skip
    return code_to_id(session=session, table="grid", county=county)


def load_household_groups(
    *,
    session: Session,
    groups,
    grid_ids: dict[str, int],
    leaders: dict[str, int] | None = None,
    county: str | None = None,
) -> dict[str, int]:
    """Insert ten-household groups; return code → id."""
    leaders = leaders or {}
    frame = groups.assign(
        grid_id=[grid_ids[c] for c in groups["grid_code"]],
        leader_id=[leaders.get(c) for c in groups["code"]],
        county_code=groups["grid_code"].str[:6],
        synthetic=groups.get("synthetic", False),
    )
    copy_frame(
        session=session,
        table="household_group",
        frame=frame,
        columns=[
            "code", "county_code", "grid_id", "leader_id", "households", "synthetic", "geom",
        ],
    )  # fmt: skip
    return code_to_id(session=session, table="household_group", county=county)


def load_addresses(
    *, session: Session, addresses, grid_ids: dict[str, int], group_ids: dict[str, int]
) -> int:
    """Insert standard addresses with their grid and group."""
    frame = addresses.assign(
        grid_id=[grid_ids.get(c) for c in addresses["grid_code"]],
        household_group_id=[group_ids.get(c) for c in addresses["household_group_code"]],
        synthetic=addresses.get("synthetic", False),
    )
    for column in ("road", "number", "building", "township", "village", "group_no"):
        if column not in frame:
            frame[column] = None
    frame["group_no"] = pd.Series(
        [None if pd.isna(g) else int(g) for g in frame["group_no"]], index=frame.index, dtype=object
    )
    frame["number"] = pd.Series(
        [None if pd.isna(n) else str(n) for n in frame["number"]], index=frame.index, dtype=object
    )
    return copy_frame(session=session, table="address", frame=frame, columns=ADDRESS_COLUMNS)


def load_facilities(*, session: Session, facilities) -> int:
    """Insert facilities (centres, police stations, court stations …)."""
    frame = facilities.assign(synthetic=facilities.get("synthetic", False))
    return copy_frame(
        session=session,
        table="facility",
        frame=frame,
        columns=["code", "county_code", "kind", "name", "admin_code", "synthetic", "geom"],
    )


def load_county(*, session: Session, county: Any) -> dict[str, int]:
    """Write every base layer of a generated county; return the row counts written."""
    counts = {"admin_units": load_admin_units(session=session, admin_units=county.admin_units)}
    staff = county.staff
    county_code = county.county_code
    staff_ids = load_staff(session=session, staff=staff, county=county_code)
    counts["staff"] = len(staff_ids)
    grid_leaders = {}
    group_leaders = {}
    for code, role, grids, group in zip(
        staff["code"], staff["role"], staff["grid_codes"], staff["household_group_code"],
        strict=True,
    ):  # fmt: skip
        if role == "grid_leader" and grids:
            grid_leaders.setdefault(grids[0], staff_ids[code])
        if role == "household_leader" and isinstance(group, str):
            group_leaders.setdefault(group, staff_ids[code])
    grid_ids = load_grids(
        session=session, grids=county.grids, leaders=grid_leaders, county=county_code
    )
    counts["grids"] = len(grid_ids)
    copy_rows(
        session=session,
        table="staff_grid",
        columns=["staff_id", "grid_id"],
        rows=(
            (staff_ids[code], grid_ids[g])
            for code, grids in zip(staff["code"], staff["grid_codes"], strict=True)
            for g in dict.fromkeys(grids or [])
            if g in grid_ids
        ),
    )
    group_ids = load_household_groups(
        session=session, groups=county.household_groups, grid_ids=grid_ids,
        leaders=group_leaders, county=county_code,
    )  # fmt: skip
    counts["household_groups"] = len(group_ids)
    counts["addresses"] = load_addresses(
        session=session, addresses=county.addresses, grid_ids=grid_ids, group_ids=group_ids
    )
    counts["facilities"] = load_facilities(session=session, facilities=county.facilities)
    session.execute(text("ANALYZE"))
    return counts
