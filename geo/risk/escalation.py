"""What the case escalation score reads from PostGIS: raw facts, no counting.

The open disputes in the caller's scope, earlier disputes that may count as repeats, opaque keys
for the parties' ID numbers and phones, and risk signals near the open disputes. The factors are
computed from these rows by models.escalation.escalation_features, the one definition shared with
the backtest. Parties' details never leave the database, only keys that are ranks within one
answer. Cases and facts dated outside the plausible window of :mod:`core.dates` are left out
(:func:`implausible_open_cases` counts the cases).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from geo.database.sqlfiles import sql
from geo.risk.scores import plausible_bounds

OPEN_CASE_COLUMNS = [
    "id", "external_id", "status", "category", "severity", "reported_at", "deadline",
    "address_key", "grid_key", "grid_code", "grid_name", "synthetic", "lon", "lat",
]  # fmt: skip
PARTY_KEY_COLUMNS = ["dispute_id", "party_key"]
HISTORY_COLUMNS = ["id", "reported_at", "address_key", "grid_key"]
SIGNAL_COLUMNS = ["id", "kind", "observed_at", "lon", "lat"]


def _frame(session: Session, name: str, params: dict, columns: list[str]) -> pd.DataFrame:
    rows = session.execute(sql(name), params).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=columns)


def open_cases(
    *,
    session: Session,
    county: str,
    now: dt.datetime,
    scope_area: str | None = None,
    scope_facility: str | None = None,
) -> pd.DataFrame:
    """Open disputes of ``county`` reported by ``now``, in the caller's scope (duplicates and
    implausible times left out): ids, category, severity, times, address and grid ids as
    ``address_key`` / ``grid_key``, grid code and name, position (``lon``/``lat``)."""
    params = {
        "county": county, "now": now,
        "scope_area": scope_area, "scope_facility": scope_facility, **plausible_bounds(),
    }  # fmt: skip
    return _frame(session, "escalation_open_cases", params, OPEN_CASE_COLUMNS)


def implausible_open_cases(
    *,
    session: Session,
    county: str,
    scope_area: str | None = None,
    scope_facility: str | None = None,
) -> int:
    """How many open disputes in the caller's scope :func:`open_cases` leaves out for a
    reported time outside the plausible window."""
    params = {
        "county": county, "scope_area": scope_area, "scope_facility": scope_facility,
        **plausible_bounds(),
    }  # fmt: skip
    return int(session.execute(sql("escalation_implausible"), params).scalar_one())


def party_keys(*, session: Session, case_ids: Sequence[int]) -> pd.DataFrame:
    """``dispute_id``, ``party_key``: an opaque key per ID number and phone of the parties of
    ``case_ids``, with every dispute where it appears (the keys mean nothing outside this
    answer)."""
    if not len(case_ids):
        return pd.DataFrame(columns=PARTY_KEY_COLUMNS)
    params = {"case_ids": [int(i) for i in case_ids]}
    return _frame(session, "escalation_party_keys", params, PARTY_KEY_COLUMNS)


def earlier_disputes(
    *,
    session: Session,
    case_ids: Sequence[int],
    party_dispute_ids: Sequence[int],
    since: dt.datetime,
    now: dt.datetime,
) -> pd.DataFrame:
    """Disputes reported in [``since``, ``now``) at the address or on the grid of one of
    ``case_ids``, or among ``party_dispute_ids``; duplicates left out."""
    if not len(case_ids):
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    params = {
        "case_ids": [int(i) for i in case_ids],
        "party_dispute_ids": [int(i) for i in party_dispute_ids],
        "since": since, "now": now, **plausible_bounds(),
    }  # fmt: skip
    return _frame(session, "escalation_history", params, HISTORY_COLUMNS)


def signals_near(
    *,
    session: Session,
    case_ids: Sequence[int],
    since: dt.datetime,
    now: dt.datetime,
    within_m: float,
) -> pd.DataFrame:
    """Risk signals observed in [``since``, ``now``) within ``within_m`` metres of one of
    ``case_ids``: ``id``, ``kind``, ``observed_at``, ``lon``, ``lat``."""
    if not len(case_ids):
        return pd.DataFrame(columns=SIGNAL_COLUMNS)
    params = {
        "case_ids": [int(i) for i in case_ids], "since": since, "now": now,
        "within_m": float(within_m), **plausible_bounds(),
    }  # fmt: skip
    return _frame(session, "escalation_signals", params, SIGNAL_COLUMNS)
