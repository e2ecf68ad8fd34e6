"""What the case escalation score reads from PostGIS: open disputes with their factors.

The counting (repeats, signals nearby) is done in SQL next to the indexes; the score itself is
models.escalation. Only counts are returned, never the parties' details.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.orm import Session

from geo.database.sqlfiles import sql

OPEN_CASE_COLUMNS = [
    "id", "external_id", "status", "category", "severity", "reported_at", "deadline",
    "grid_code", "grid_name", "synthetic", "lon", "lat", "days_open", "repeats_address",
    "repeats_parties", "repeats_grid", "signals_nearby",
]  # fmt: skip


def open_case_factors(
    *,
    session: Session,
    county: str,
    now: dt.datetime,
    scope_area: str | None = None,
    scope_facility: str | None = None,
    signal_radius_m: float = 500.0,
    signal_days: int = 30,
) -> pd.DataFrame:
    """Open disputes of ``county`` in the caller's scope, with the escalation factors at ``now``.

    Factors: ``days_open``; ``repeats_address`` / ``repeats_parties`` (earlier disputes at the
    same address / with a party of the same ID number or phone, in the year before the case);
    ``repeats_grid`` (other disputes on the grid in the 90 days before ``now``);
    ``signals_nearby`` (signals within ``signal_radius_m`` in the ``signal_days`` before ``now``).
    """
    params = {
        "county": county, "now": now, "scope_area": scope_area, "scope_facility": scope_facility,
        "radius_m": signal_radius_m, "signal_days": signal_days,
    }  # fmt: skip
    rows = session.execute(sql("escalation_open_cases"), params).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=OPEN_CASE_COLUMNS)
