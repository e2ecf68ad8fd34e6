"""Rank a county's open disputes by escalation risk (命案风险预警), with the reasons.

Composition only: geo.risk.escalation reads the raw facts (open cases, earlier disputes, opaque
party keys, signals nearby), models.escalation_features turns them into the factors —
the same function the backtest runs (bench/escalation_demo.py) — and the score is
models.escalation (actuarial points; see docs/risk.md for what the score means and how it was
backtested on the demo county).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from geo.risk import escalation
from models.escalation import score_open_cases
from models.escalation_features import escalation_features, facts_reach

MEANING = (
    "score: estimated chance in percent that the case escalates (ends unresolved, or a violence "
    "report within 1 km in the next 30 days), from fixed actuarial points on category, "
    "severity, repeats at the address and between the parties, days open, overdue and risk "
    "signals within 500 m in the last 30 days. A ranking aid for supervision, not a finding "
    "about any person."
)

PASSED_THROUGH = ("external_id", "status", "category", "severity", "grid_code", "grid_name",
                  "repeats_grid", "synthetic", "lon", "lat")  # fmt: skip


@dataclass(frozen=True)
class EscalationFacts:
    """The raw rows the escalation factors are computed from (see geo.risk.escalation)."""

    cases: pd.DataFrame
    history: pd.DataFrame
    parties: pd.DataFrame
    signals: pd.DataFrame


def open_case_facts(
    *,
    session: Session,
    county: str,
    as_of: dt.datetime,
    scope_area: str | None = None,
    scope_facility: str | None = None,
) -> EscalationFacts:
    """The open disputes of ``county`` in scope at ``as_of``, with the earlier disputes, party
    keys and signals their factors may need (as far back and around as models.escalation
    says)."""
    cases = escalation.open_cases(
        session=session, county=county, now=as_of, scope_area=scope_area,
        scope_facility=scope_facility,
    )  # fmt: skip
    ids = cases["id"].tolist()
    reach = facts_reach(cases["reported_at"], as_of)
    parties = escalation.party_keys(session=session, case_ids=ids)
    history = escalation.earlier_disputes(
        session=session, case_ids=ids, party_dispute_ids=parties["dispute_id"].unique().tolist(),
        since=reach["history_since"].to_pydatetime(), now=as_of,
    )  # fmt: skip
    signals = escalation.signals_near(
        session=session, case_ids=ids, since=reach["signals_since"].to_pydatetime(), now=as_of,
        within_m=reach["signals_within_m"],
    )  # fmt: skip
    return EscalationFacts(cases=cases, history=history, parties=parties, signals=signals)


def facts_features(facts: EscalationFacts, as_of: dt.datetime) -> pd.DataFrame:
    """The escalation factors of ``facts.cases`` at ``as_of`` (models.escalation_features)."""
    return escalation_features(
        facts.cases, as_of=pd.Timestamp(as_of), history=facts.history, parties=facts.parties,
        signals=facts.signals,
    )  # fmt: skip


def rank_open_disputes(
    *,
    session: Session,
    county: str,
    as_of: dt.datetime,
    scope_area: str | None = None,
    scope_facility: str | None = None,
    limit: int = 100,
) -> dict:
    """The open disputes of ``county`` in scope, highest escalation score first (``limit`` kept);
    ``skipped_implausible`` counts open cases left out for a reported time outside the
    plausible window (core.dates)."""
    facts = open_case_facts(
        session=session, county=county, as_of=as_of, scope_area=scope_area,
        scope_facility=scope_facility,
    )  # fmt: skip
    ranked = score_open_cases(facts_features(facts, as_of))
    skipped = escalation.implausible_open_cases(
        session=session, county=county, scope_area=scope_area, scope_facility=scope_facility
    )
    cases = facts.cases.set_index("id")
    out = []
    for row in ranked.head(limit).itertuples(index=False):
        source = cases.loc[row.id]
        item = {
            "id": int(row.id),
            "rank": int(row.rank),
            "score": float(row.score),
            "reasons": list(row.reasons),
            "reported_at": _iso(source["reported_at"]),
            "deadline": _iso(source["deadline"]),
            "days_open": round(float(row.days_open), 1),
            "overdue": bool(row.overdue),
            "days_overdue": round(float(row.days_overdue), 1),
            "repeats_address": int(row.repeats_address),
            "repeats_parties": int(row.repeats_parties),
            "signals_nearby": int(row.signals_nearby),
        }
        for name in PASSED_THROUGH:
            item[name] = int(row.repeats_grid) if name == "repeats_grid" else _plain(source[name])
        out.append(item)
    return {
        "county": county,
        "as_of": _iso(as_of),
        "open_cases": len(facts.cases),
        "returned": len(out),
        "skipped_implausible": skipped,
        "meaning": MEANING,
        "cases": out,
    }


def _iso(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return pd.Timestamp(value).isoformat()


def _plain(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
