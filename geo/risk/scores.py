"""What the risk model reads from PostGIS and what it writes back (risk_score, hotspot).

The analysis itself lives in models/; this module only moves rows: grid attributes and
contiguity, disputes and signals per grid, and the stored scores and flagged grids with
their early-warning review (pending → confirmed | dismissed).

Disputes and signals whose time lies outside the plausible window of :mod:`core.dates` (a row
dated 0001-01-01, stored before intake checked times) are left out of the frames and counted
by :func:`implausible_rows`, so one bad row cannot break the county's model.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sqlalchemy.orm import Session

from core import dates
from core.errors import Conflict, InvalidRequest, NotFound
from geo.database.bulk import copy_rows
from geo.database.sqlfiles import sql

REVIEW_OUTCOMES = ("confirmed", "dismissed")


def grid_frame(*, session: Session, county: str) -> pd.DataFrame:
    """Current grids of ``county`` in code order with size and facility distances (m)."""
    rows = session.execute(sql("risk_grids"), {"county": county}).mappings().all()
    return pd.DataFrame([dict(r) for r in rows])


def adjacency(*, session: Session, county: str, grid_ids: np.ndarray) -> sp.csr_matrix:
    """Binary queen contiguity between the grids ``grid_ids`` (in that order), no self."""
    position = {int(g): i for i, g in enumerate(grid_ids)}
    pairs = session.execute(sql("risk_adjacency"), {"county": county}).all()
    rows = [position[a] for a, b in pairs if a in position and b in position]
    cols = [position[b] for a, b in pairs if a in position and b in position]
    n = len(grid_ids)
    upper = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return ((upper + upper.T) > 0).astype(np.float64).tocsr()


def plausible_bounds(now: dt.datetime | None = None) -> dict[str, dt.datetime]:
    """``earliest`` and ``latest`` of :func:`core.dates.plausible_window` at ``now`` (default
    the wall clock), as zoned query parameters."""
    earliest, latest = dates.plausible_window(now or dt.datetime.now(dt.UTC))
    return {"earliest": earliest.replace(tzinfo=dt.UTC), "latest": latest.replace(tzinfo=dt.UTC)}


def implausible_rows(
    *, session: Session, county: str, now: dt.datetime | None = None
) -> dict[str, int]:
    """How many disputes and signals the frames leave out for a time outside the plausible
    window: ``{"disputes": n, "signals": m}``."""
    params = {"county": county, **plausible_bounds(now)}
    row = session.execute(sql("risk_implausible"), params).one()
    return {"disputes": int(row.disputes), "signals": int(row.signals)}


def disputes_frame(
    *, session: Session, county: str, now: dt.datetime | None = None
) -> pd.DataFrame:
    """Disputes on grids (duplicates and implausible times left out) with times, category,
    status and deadline."""
    params = {"county": county, **plausible_bounds(now)}
    rows = session.execute(sql("risk_disputes"), params).mappings().all()
    columns = ["id", "grid_id", "reported_at", "category", "severity", "status", "deadline",
               "resolved_at", "closed_at"]  # fmt: skip
    return pd.DataFrame([dict(r) for r in rows], columns=columns)


def signals_frame(*, session: Session, county: str, now: dt.datetime | None = None) -> pd.DataFrame:
    """Risk signals on grids (implausible times left out) with time, kind and weight."""
    params = {"county": county, **plausible_bounds(now)}
    rows = session.execute(sql("risk_signals"), params).mappings().all()
    return pd.DataFrame(
        [dict(r) for r in rows], columns=["grid_id", "observed_at", "kind", "weight"]
    )


def write_risk_scores(
    *,
    session: Session,
    county: str,
    period: str,
    model: str,
    scores: pd.DataFrame,
) -> int:
    """Replace the scores of ``model`` for the periods in ``scores``.

    ``scores`` columns: grid_id, period_start (date), expected, score, rank, factors (list)
    and, when known, probability (the calibrated chance of at least one dispute).
    """
    starts = sorted({pd.Timestamp(s).date() for s in scores["period_start"]})
    session.execute(
        sql("risk_clear_period"),
        {"county": county, "period": period, "starts": starts, "model": model},
    )
    probability = scores["probability"] if "probability" in scores else [None] * len(scores)
    rows = (
        (int(r.grid_id), period, pd.Timestamp(r.period_start).date(), model, float(r.expected),
         _num(p), float(r.score), int(r.rank), r.factors)
        for r, p in zip(scores.itertuples(index=False), probability, strict=True)
    )  # fmt: skip
    return copy_rows(
        session=session,
        table="risk_score",
        columns=["grid_id", "period", "period_start", "model", "expected", "probability",
                 "score", "rank", "factors"],
        rows=rows,
    )  # fmt: skip


def write_hotspots(*, session: Session, period: str, rows: Iterable[dict]) -> int:
    """Upsert flagged grids (grid_id, period_start, method, score, z, p, hotspot_class,
    explanation); rows already reviewed keep their review."""
    params = [
        {
            "grid_id": int(r["grid_id"]),
            "period": period,
            "period_start": pd.Timestamp(r["period_start"]).date(),
            "method": r["method"],
            "score": _num(r.get("score")),
            "z": _num(r.get("z")),
            "p": _num(r.get("p")),
            "hotspot_class": r.get("hotspot_class"),
            "explanation": r.get("explanation"),
        }
        for r in rows
    ]
    if params:
        session.execute(sql("hotspot_upsert"), params)
    return len(params)


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if np.isnan(value) else value


def risk_collection(
    *,
    session: Session,
    county: str,
    period: str = "week",
    period_start: dt.date | None = None,
    top: int | None = None,
    with_geometry: bool = True,
    scope_area: str | None = None,
) -> str:
    """Model risk per grid for a period (latest by default) as a FeatureCollection (text)."""
    params = {
        "county": county, "period": period, "period_start": period_start, "top": top,
        "with_geometry": with_geometry, "scope_area": scope_area,
    }  # fmt: skip
    return session.execute(sql("risk_geojson"), params).scalar_one()


def hotspots_collection(
    *,
    session: Session,
    county: str,
    period_start: dt.date | None = None,
    latest: bool = False,
    method: str | None = None,
    status: str | None = None,
    with_geometry: bool = True,
    scope_area: str | None = None,
) -> str:
    """Hotspot rows with their review, as a FeatureCollection (text)."""
    params = {
        "county": county, "period_start": period_start, "latest": latest, "method": method,
        "status": status, "with_geometry": with_geometry, "scope_area": scope_area,
    }  # fmt: skip
    return session.execute(sql("hotspots_geojson"), params).scalar_one()


def hotspot_grid(*, session: Session, hotspot_id: int) -> dict:
    """Grid code, county and status of a hotspot row (NotFound when absent)."""
    row = session.execute(sql("hotspot_grid"), {"id": hotspot_id}).mappings().first()
    if row is None:
        raise NotFound(f"no hotspot with id {hotspot_id}")
    return dict(row)


def review_hotspot(
    *,
    session: Session,
    hotspot_id: int,
    status: str,
    reviewer: str,
    note: str | None = None,
    action_taken: str | None = None,
) -> dict:
    """Record the review meeting's decision on a pending hotspot: confirmed or dismissed."""
    if status not in REVIEW_OUTCOMES:
        raise InvalidRequest(f"status must be one of {REVIEW_OUTCOMES}, not {status!r}")
    row = session.execute(
        sql("hotspot_review"),
        {"id": hotspot_id, "status": status, "reviewer": reviewer, "note": note,
         "action_taken": action_taken},
    ).mappings().first()  # fmt: skip
    if row is None:
        current = hotspot_grid(session=session, hotspot_id=hotspot_id)
        raise Conflict(
            f"热点 {hotspot_id} 已评审（{current['status']}），评审只记录一次 / "
            f"hotspot {hotspot_id} was already reviewed ({current['status']}); "
            "a review is recorded once"
        )
    return json.loads(json.dumps(dict(row), default=str))
