"""The demo county's history: events in through intake, outcomes replayed through the loop.

The demo generator gives, per dispute, when it was routed, resolved or closed, the outcome
(resolved | unresolved | open) and the rating. :func:`replay_outcomes` turns each into the
path a real case would have taken (received → routed → in_progress → resolved | unresolved
→ rated → archived → followed_up), checks every step against the state machine
(:func:`geo.disputes.workflow.require_legal`, the same check a live transition passes), takes
each step as the role allowed to (:mod:`core.permissions`: the township centre routes, rates
and archives; the grid leader, or the township centre for a serious case, handles; a case on
no grid is the county centre's, and goes unrated since no other centre sees it) and writes one
``dispute_event`` per step. Steps later than ``now`` are not taken, so recent
cases are still open and some of them overdue. The steps are stored in bulk by
:func:`geo.disputes.history.write_history` because two years of a county is tens of
thousands of steps. All of it is synthetic and flagged so.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core import permissions
from core.principal import Principal
from geo.database.engine import transaction
from geo.disputes.duplicates import flag_duplicates
from geo.disputes.history import (
    FinalState,
    HistoryEvent,
    cases_to_replay,
    county_dispute_ids,
    write_history,
)
from geo.disputes.intake import IntakeReport, ingest_dataframe
from geo.disputes.locate import Locator
from geo.disputes.supervision import escalate_overdue
from geo.disputes.workflow import require_legal

ACTOR = "demo replay (synthetic)"
RATING_DELAY = dt.timedelta(days=2)
ARCHIVE_DELAY = dt.timedelta(days=5)
FOLLOW_UP_DELAY = dt.timedelta(days=30)
START_WORK_DELAY = dt.timedelta(hours=6)
RATING_SOURCE = "phone"


class Hands:
    """Who takes each step of one replayed case, and the assignment the routing makes."""

    def __init__(self, row: dict) -> None:
        county, grid, township = row["county_code"], row["grid_code"], row["township_code"]
        county_centre = Principal(ACTOR, "county_centre", county)
        self.centre = Principal(ACTOR, "township", township) if grid else county_centre
        serious = row["severity"] != "minor" and row["centre_code"]
        if grid and row["leader_code"] and not serious:
            self.handler = Principal(ACTOR, "grid_leader", grid)
            self.unit, self.facility_id, self.holders = grid, None, {f"grid_leader:{grid}"}
        elif serious:
            self.handler = self.centre
            self.unit, self.facility_id = row["centre_code"], row["centre_id"]
            self.holders = {f"partner:{row['centre_code']}", f"township:{township}"}
        else:
            self.handler = self.centre
            self.unit, self.facility_id = self.centre.scope_code, None
            self.holders = {permissions.unit_key(self.centre, county)}
        self.rater = county_centre if self.handler == self.centre and grid else self.centre
        self.staff = row["leader_code"] if self.handler.role == "grid_leader" else None
        self.routed_by = permissions.unit_key(self.centre, county)
        self.facts = permissions.CaseFacts(
            grid_code=grid,
            county_code=county,
            facility_code=row["centre_code"] if self.facility_id else None,
            assignee_holders=frozenset(self.holders),
            routed_by=self.routed_by,
        )

    def taker(self, step: str) -> Principal | None:
        """Who takes ``step``, or None when nobody may (the step is left out)."""
        by = {"route": self.centre, "rate": self.rater, "archive": self.centre,
              "follow_up": self.centre}.get(step, self.handler)  # fmt: skip
        return by if permissions.may(by, step, self.facts) else None


def _ts(value) -> dt.datetime | None:
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value).floor("us")
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("Asia/Shanghai")
    return stamp.to_pydatetime()


def path_for(
    *,
    reported_at: dt.datetime,
    routed_at: dt.datetime | None,
    resolved_at: dt.datetime | None,
    outcome: str,
    satisfaction: int | None,
    follow_up: bool,
    now: dt.datetime,
) -> list[tuple[str, dt.datetime]]:
    """The (status, time) steps after intake that a case with this outcome went through."""
    steps: list[tuple[str, dt.datetime]] = []
    if routed_at is not None:
        steps.append(("routed", max(routed_at, reported_at)))
    start = (steps[-1][1] if steps else reported_at) + START_WORK_DELAY
    if outcome != "open" and resolved_at is not None:
        start = min(start, resolved_at)
    steps.append(("in_progress", start))
    if outcome in ("resolved", "unresolved") and resolved_at is not None:
        closed = max(resolved_at, start)
        steps.append((outcome, closed))
        last = closed
        if satisfaction is not None:
            last = closed + RATING_DELAY
            steps.append(("rated", last))
        steps.append(("archived", last + ARCHIVE_DELAY))
        if follow_up:
            steps.append(("followed_up", last + ARCHIVE_DELAY + FOLLOW_UP_DELAY))
    return [(status, at) for status, at in steps if at <= now]


def replay_outcomes(
    *, session: Session, outcomes: pd.DataFrame, now: dt.datetime | None = None
) -> dict[str, int]:
    """Replay outcome columns (external_id, routed_at, resolved_at, outcome, satisfaction).

    For an unresolved outcome ``resolved_at`` is the time the case was declared unresolved.
    """
    now = now or dt.datetime.now(dt.UTC)
    by_external = cases_to_replay(
        session=session, external_ids=outcomes["external_id"].astype(str).tolist()
    )
    events, states = [], []
    for record in outcomes.itertuples(index=False):
        row = by_external.get(str(record.external_id))
        if row is None or row["status"] != "received":
            continue
        satisfaction = None if pd.isna(record.satisfaction) else int(record.satisfaction)
        steps = path_for(
            reported_at=row["reported_at"],
            routed_at=_ts(record.routed_at),
            resolved_at=_ts(record.resolved_at),
            outcome=str(record.outcome),
            satisfaction=satisfaction,
            follow_up=row["id"] % 3 == 0,
            now=now,
        )
        hands = Hands(row)
        status, resolved_at, rated, taken = "received", None, None, 0
        for to_status, at in steps:
            require_legal(status, to_status, dispute_id=row["id"])
            by = hands.taker(permissions.step_of(status, to_status))
            if by is None:
                continue
            note = None
            if to_status == "routed":
                note = f"assigned to unit {hands.unit}"
                note += f", assignee {hands.staff}" if hands.staff else ""
            if to_status == "unresolved":
                note = "not settled by mediation; parties advised of litigation"
            if to_status == "rated":
                note = f"rating source {RATING_SOURCE}"
            actor = f"{ACTOR} {by.role}"
            events.append(HistoryEvent(row["id"], at, actor, "transition", status, to_status, note))
            status, taken = to_status, taken + 1
            if to_status == "resolved":
                resolved_at = at
            if to_status == "rated":
                rated = satisfaction
        states.append(
            FinalState(
                row["id"], status, row["version"] + taken, resolved_at, rated,
                hands.staff, hands.facility_id, hands.unit, hands.routed_by,
                RATING_SOURCE if rated is not None else None,
            )
        )  # fmt: skip
    write_history(session=session, events=events, states=states)
    return {"replayed_disputes": len(states), "replayed_events": len(events)}


def ingest_demo_events(engine: Engine, county) -> dict[str, int]:
    """Demo step "ingest events": the county's disputes and signals through intake."""
    counts: dict[str, int] = {}
    with transaction(engine) as session:
        locator = Locator.load(session=session, county=county.county_code)
    for kind, frame in (("disputes", county.disputes), ("signals", county.signals)):
        if frame is None or frame.empty:
            counts[kind] = 0
            continue
        report: IntakeReport = ingest_dataframe(
            engine=engine,
            frame=frame,
            kind=kind,
            county=county.county_code,
            actor=ACTOR,
            source="demo (synthetic)",
            synthetic=True,
            check_duplicates=False,
            locator=locator,
        )
        counts[kind] = len(report.accepted)
        counts[f"{kind}_rejected"] = len(report.rejected)
        counts[f"{kind}_needing_location"] = len(report.needs_location)
    return counts


def replay_demo_workflow(engine: Engine, county, now: dt.datetime | None = None) -> dict[str, int]:
    """Demo step "replay workflow": outcomes through the loop, the duplicate check, and the
    supervision sweep (open overdue cases escalated)."""
    frame = county.disputes
    if frame is None or frame.empty:
        return {"replayed_disputes": 0}
    columns = ["external_id", "routed_at", "resolved_at", "closed_at", "outcome", "satisfaction"]
    outcomes = frame.reindex(columns=columns)
    # An unresolved case has no resolution time: it ends when it is closed.
    unresolved = outcomes["outcome"] == "unresolved"
    outcomes.loc[unresolved, "resolved_at"] = outcomes.loc[unresolved, "closed_at"]
    with transaction(engine) as session:
        counts = replay_outcomes(session=session, outcomes=outcomes, now=now)
        ids = county_dispute_ids(session=session, county=county.county_code)
        counts["flagged_duplicates"] = len(
            flag_duplicates(session=session, ids=ids, historical=True)
        )
        escalated = escalate_overdue(session=session, now=now, county=county.county_code)
        counts["escalated_overdue"] = sum(escalated.values())
    return counts
