"""Train the risk model on a county's own data, score the coming period, flag hotspots.

Composition only: rows come from geo.risk.scores, the analysis is models.county_risk (the
methods and what they read are described there), and the scores and flagged grids go back
through geo.risk.scores. Also the reads that the ways in (CLI, HTTP) list flagged grids with.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine
from threadpoolctl import threadpool_limits

from core import dates
from geo.database.engine import transaction
from geo.places.counties import which_county
from geo.risk import scores
from models.county_risk import score_county

MODEL_NAME = "hgb-poisson-v1"


@dataclass
class ScoringReport:
    """What one training and scoring run produced."""

    county: str
    period: str
    period_start: dt.date
    grids: int
    training_rows: int
    flagged: dict[str, int]
    note: str | None = None
    # rows left out for a time outside core.dates' plausible window: {"disputes": n, "signals": m}
    skipped_implausible: dict[str, int] = field(default_factory=dict)

    def skipped_line(self) -> str | None:
        """The skipped rows in words for the operator, or None when there were none."""
        disputes = self.skipped_implausible.get("disputes", 0)
        signals = self.skipped_implausible.get("signals", 0)
        if not disputes and not signals:
            return None
        return (
            f"跳过 {disputes} 条纠纷、{signals} 条风险信号：时间不在可信范围内（早于 "
            f"{dates.EARLIEST:%Y-%m-%d} 或晚于现在一天以上），请核对原始记录 / skipped "
            f"{disputes} disputes and {signals} signals dated outside the plausible window "
            "(before that date or more than a day ahead); check those records"
        )


def train_and_score(
    engine: Engine,
    *,
    county: str,
    period: str = "week",
    as_of: dt.datetime | None = None,
    window: int = 4,
    history: int = 12,
    flag_share: float = 0.025,
    random_state: int = 0,
) -> ScoringReport:
    """Train on the county's past, score period T (holding ``as_of``, default now), store the
        scores and flagged grids. See models.county_risk for ``window``, ``history`` and
        ``flag_share``. A county too young to train on is scored by its smoothed past rates, and
        ``note`` says so. Disputes and signals dated outside the plausible window are left out and
    counted in ``skipped_implausible``.

        Runs the numeric work on one OpenMP thread: gradient boosting's threads spin while they
        wait, and on a busy two-core server that made training ten times slower, not faster.
    """
    with transaction(engine) as session:
        grids = scores.grid_frame(session=session, county=county)
        if grids.empty:
            raise ValueError(f"{county} 县没有现行网格 (county {county} has no current grids)")
        adjacency = scores.adjacency(
            session=session, county=county, grid_ids=grids["id"].to_numpy()
        )
        disputes = scores.disputes_frame(session=session, county=county)
        signals = scores.signals_frame(session=session, county=county)
        skipped = scores.implausible_rows(session=session, county=county)
    with threadpool_limits(limits=1):
        result = score_county(
            grids, adjacency, disputes, signals, period=period,
            as_of=pd.Timestamp(as_of or dt.datetime.now(dt.UTC)), window=window,
            history=history, flag_share=flag_share, random_state=random_state,
        )  # fmt: skip
    with transaction(engine) as session:
        scores.write_risk_scores(
            session=session, county=county, period=period, model=MODEL_NAME,
            scores=result.scores,
        )  # fmt: skip
        scores.write_hotspots(session=session, period=period, rows=result.flags)
    return ScoringReport(
        county=county, period=period, period_start=result.period_start.date(),
        grids=len(grids), training_rows=result.training_rows, flagged=result.flagged,
        note=result.note, skipped_implausible=skipped,
    )  # fmt: skip


def county_or_default(engine: Engine, county: str | None) -> str:
    """``county`` itself, or the only county loaded when none is given (core/counties.py)."""
    with transaction(engine) as session:
        return which_county(session=session, requested=county)


def latest_flags(engine: Engine, *, county: str) -> list[dict]:
    """The grids flagged in the county's latest flagged period, with method, class, review
    status and explanation (no geometry)."""
    with transaction(engine) as session:
        body = scores.hotspots_collection(
            session=session, county=county, latest=True, with_geometry=False
        )
    return [feature["properties"] for feature in json.loads(body)["features"]]


def demo_step(engine: Engine, county) -> dict[str, int]:
    """Pipeline step of the demo: train and score the demo county as of its last event day."""
    as_of = pd.Timestamp(county.disputes["reported_at"].max()).floor("s") + pd.Timedelta(days=1)
    report = train_and_score(engine, county=county.county_code, as_of=as_of.to_pydatetime())
    return {f"flagged_{k}": v for k, v in report.flagged.items()} | {
        "risk_training_rows": report.training_rows
    }
