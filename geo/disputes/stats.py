"""The figures the county reports (化解率 and the rest), for any unit and period.

Definitions (also in docs/intake.md):

- **screened** (排查受理): disputes received in the period ``[from, to)``;
- **resolved** (化解): of those, the ones that reached *resolved* before ``to`` (later
  states — rated, archived, followed up — still count: the case was resolved);
- **resolution rate**: resolved / screened, in percent to one decimal (305 screened,
  291 resolved → 95.4 %);
- **still open**: of those screened, the ones whose status at ``to`` was open (received,
  routed, in progress or unresolved: :data:`core.cases.OPEN_STATUSES`), read from the event
  history, so a past period reads as it stood then;
- **overdue** (超期): still open at ``to`` and past their deadline, judged at ``to`` or now if
  the period has not ended yet (:func:`core.cases.is_open_past_deadline` at
  :func:`core.cases.overdue_as_of`: a case due next week is not overdue today);
  **resolved late**: resolved before ``to``, but after the deadline
  (:func:`core.cases.is_resolved_late`);
- **closed unresolved**: closed (rated/archived) without being resolved, e.g. referred
  to court;
- **median days to resolve**: over the resolved ones, report time to resolution;
- **satisfaction**: mean rating (1–5) of the cases rated by ``to``, and the share rated
  4 or 5; **rated by citizen**: how many of those ratings the citizen gave through the
  citizens' own channel (source ``citizen``), the others being recorded by staff.

A dispute belongs to the township, village and grid of its grid; one not yet on a grid
counts for its county only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from core import cases
from core.errors import InvalidRequest
from geo.database.sqlfiles import sql
from geo.places.counties import which_county

LEVELS = {"county": 6, "township": 9, "village": 12, "grid": None}
CHILD_LEVEL = {"county": "township", "township": "village", "village": "grid", "grid": None}


def level_of(code: str) -> str:
    """The level of an area code as the figures name it: 6 digits a county, 9 a township,
    12 a village, longer a grid (codes nest by prefix, :mod:`core.principal`)."""
    if len(code) > LEVELS["village"]:
        return "grid"
    level = next((name for name, digits in LEVELS.items() if digits == len(code)), None)
    if level is None:
        raise InvalidRequest(f"no area has a code of {len(code)} digits: {code!r}")
    return level


def _figures(row) -> dict:
    screened = int(row.screened)
    resolved = int(row.resolved)
    rated = int(row.rated)
    return {
        "screened": screened,
        "resolved": resolved,
        "resolution_rate": round(100.0 * resolved / screened, 1) if screened else None,
        "still_open": int(row.still_open),
        "overdue": int(row.overdue),
        "resolved_late": int(row.resolved_late),
        "closed_unresolved": int(row.closed_unresolved),
        "median_days_to_resolve": None
        if row.median_days_to_resolve is None
        else round(float(row.median_days_to_resolve), 1),
        "rated": rated,
        "rated_by_citizen": int(row.rated_by_citizen),
        "mean_satisfaction": None
        if row.mean_satisfaction is None
        else round(float(row.mean_satisfaction), 2),
        "satisfied_share": round(100.0 * int(row.satisfied) / rated, 1) if rated else None,
    }


def dispute_stats(
    *,
    session: Session,
    level: str = "county",
    code: str | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    category: str | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """Figures for one unit (county, township, village or grid) and period, with children.

    ``category`` (one of :data:`core.vocab.DISPUTE_CATEGORIES`) restricts the figures to it;
    ``now`` (default: the current time) bounds the instant overdue is judged at.
    """
    if level not in LEVELS:
        raise InvalidRequest(f"level must be one of {', '.join(LEVELS)}")
    if code is None:
        if level != "county":
            raise InvalidRequest(f"a {level} needs its code")
        code = which_county(session=session)
    if LEVELS[level] is not None and len(code) != LEVELS[level]:
        raise InvalidRequest(f"a {level} code has {LEVELS[level]} digits, got {code!r}")
    now = now or dt.datetime.now(dt.UTC)
    end = end or now
    if start is not None and start >= end:
        raise InvalidRequest("'from' must be before 'to'")
    rows = session.execute(
        sql("disputes_stats"),
        {
            "level": level,
            "code": code,
            "from": start,
            "to": end,
            "at": cases.overdue_as_of(end, now),
            "category": category,
        },
    ).all()
    total = next((r for r in rows if r.is_total == 1), None)
    empty = {
        "screened": 0, "resolved": 0, "resolution_rate": None, "still_open": 0, "overdue": 0,
        "resolved_late": 0, "closed_unresolved": 0, "median_days_to_resolve": None,
        "rated": 0, "rated_by_citizen": 0, "mean_satisfaction": None, "satisfied_share": None,
    }  # fmt: skip
    children = []
    if CHILD_LEVEL[level]:
        children = [
            {"level": CHILD_LEVEL[level], "code": r.child_code, **_figures(r)}
            for r in rows
            if r.is_total == 0
        ]
    return {
        "level": level,
        "code": code,
        "from": start.isoformat() if start else None,
        "to": end.isoformat(),
        **(_figures(total) if total is not None else empty),
        "children": children,
    }
