"""The demo county, end to end: generate, load, ingest events, replay the loop, train, score.

Each step is a function of (engine, county) so the command line, the test fixtures and the
province benchmarks run exactly the same pipeline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from geo.accounts.demo import add_demo_accounts
from geo.database.engine import transaction
from geo.places import loading

DEFAULT_SEED = 623021
DEMO_COUNTY = "623021"
NATIONAL_CALENDAR = Path(__file__).parent / "data" / "holidays_national_2025_2026.csv"


@dataclass
class DemoReport:
    """What a demo build did: row counts and seconds per step."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def generate(seed: int = DEFAULT_SEED, **kwargs):
    """The synthetic demo county for ``seed`` (see demo/README.md)."""
    from demo import generate as generate_county

    return generate_county(seed=seed, **kwargs)


def load_base(engine: Engine, county) -> dict[str, int]:
    """Admin units, staff, grids, groups, addresses and facilities, in one transaction."""
    with transaction(engine) as session:
        return loading.load_county(session=session, county=county)


def add_demo_users(engine: Engine, county) -> dict[str, int]:
    """Demo step "accounts": ``demo_<role>`` for each role (see geo/accounts/demo.py)."""
    with transaction(engine) as session:
        return {"accounts": add_demo_accounts(session=session, county=county.county_code)}


def load_demo_calendar(engine: Engine, county) -> dict[str, int]:
    """Demo step "holiday calendar": the national calendar of 2025 and 2026 (demo/data), so
    that working-day deadlines skip the holidays."""
    from geo.disputes.calendar import load_holidays

    with transaction(engine) as session:
        loaded = load_holidays(session=session, path=NATIONAL_CALENDAR)
    return {"calendar_days": loaded.holidays + loaded.workdays}


def pipeline_steps() -> list[tuple[str, Callable]]:
    """The ordered steps after the base load; later parts of the system add theirs here."""
    from demo.replay import ingest_demo_events, replay_demo_workflow
    from demo.roster import load_demo_roster
    from services.risk import demo_step as train_and_score_demo

    steps: list[tuple[str, Callable]] = [
        ("holiday calendar", load_demo_calendar),
        ("ingest events", ingest_demo_events),
        ("replay workflow", replay_demo_workflow),
        ("duty roster", load_demo_roster),
        ("train", train_and_score_demo),
        ("accounts", add_demo_users),
    ]
    return steps


def build(
    engine: Engine,
    *,
    seed: int = DEFAULT_SEED,
    county=None,
    train: bool = True,
    on_step: Callable[[str], None] | None = None,
) -> DemoReport:
    """Load the demo county into an empty migrated database and run every step."""
    report = DemoReport()
    started = time.perf_counter()
    if county is None:
        if on_step:
            on_step("generating the synthetic county")
        county = generate(seed)
    report.seconds["generate"] = time.perf_counter() - started
    if on_step:
        on_step("loading admin units, grids, groups, addresses, facilities, staff")
    started = time.perf_counter()
    report.counts.update(load_base(engine, county))
    report.seconds["load"] = time.perf_counter() - started
    for name, step in pipeline_steps():
        if name == "train" and not train:
            continue
        if on_step:
            on_step(name)
        started = time.perf_counter()
        result = step(engine, county)
        if isinstance(result, dict):
            report.counts.update(result)
        report.seconds[name] = time.perf_counter() - started
    return report
