"""The live escalation factors on the demo county (synthetic data): the rows read from PostGIS
go through the same function as the backtest, and give what counting in SQL used to give."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from geo.risk import escalation as reads
from models.escalation import score_open_cases
from models.escalation_features import escalation_features
from services.escalation import open_case_facts, rank_open_disputes

COUNTY = "623021"
COUNTS = ("repeats_address", "repeats_parties", "repeats_grid", "signals_nearby")

# The factors counted in SQL, independently of models.escalation: earlier disputes at the same
# address / with a party of the same ID number or phone in the year before the case, other
# disputes on the grid in the 90 days before :now, signals within 500 m in the 30 days before.
COUNTED_IN_SQL = text("""
SELECT o.id,
  (SELECT count(*) FROM dispute p
    WHERE o.address_id IS NOT NULL AND p.address_id = o.address_id AND p.id <> o.id
      AND p.duplicate_of IS NULL AND p.reported_at < o.reported_at
      AND p.reported_at >= o.reported_at - interval '365 days') AS repeats_address,
  (SELECT count(DISTINCT other.dispute_id)
     FROM dispute_party mine
     JOIN dispute_party other ON other.dispute_id <> mine.dispute_id
      AND ((other.id_number = mine.id_number AND mine.id_number <> '')
           OR (other.phone = mine.phone AND mine.phone <> ''))
     JOIN dispute p ON p.id = other.dispute_id
    WHERE mine.dispute_id = o.id AND p.duplicate_of IS NULL AND p.reported_at < o.reported_at
      AND p.reported_at >= o.reported_at - interval '365 days') AS repeats_parties,
  (SELECT count(*) FROM dispute p
    WHERE o.grid_id IS NOT NULL AND p.grid_id = o.grid_id AND p.id <> o.id
      AND p.duplicate_of IS NULL AND p.reported_at < CAST(:now AS timestamptz)
      AND p.reported_at >= CAST(:now AS timestamptz) - interval '90 days') AS repeats_grid,
  (SELECT count(*) FROM signal s
    WHERE o.geom IS NOT NULL
      AND ST_DWithin(s.geom::geography, o.geom::geography, 500)
      AND s.observed_at < CAST(:now AS timestamptz)
      AND s.observed_at >= CAST(:now AS timestamptz) - interval '30 days') AS signals_nearby
FROM dispute o WHERE o.id = ANY(CAST(:ids AS bigint[])) ORDER BY o.id
""")


@pytest.fixture
def many_open(demo_db):
    """The demo county with a third of its disputes reopened (rolled back after the test), so
    that repeats, parties and signals all have cases to count."""
    demo_db.execute(text("UPDATE dispute SET status = 'in_progress' WHERE id % 3 = 0"))
    return demo_db


AS_OF = [
    dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 1, 10, 6, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("as_of", AS_OF)
def test_live_ranking_is_the_shared_function_of_the_raw_rows(many_open, as_of):
    session = many_open
    served = rank_open_disputes(session=session, county=COUNTY, as_of=as_of, limit=10_000)
    # The same raw rows, read with no reach bounds (all time, 5 km around): the bounds the
    # service reads with must not change any factor.
    cases = reads.open_cases(session=session, county=COUNTY, now=as_of)
    ids = cases["id"].tolist()
    parties = reads.party_keys(session=session, case_ids=ids)
    since = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    history = reads.earlier_disputes(
        session=session, case_ids=ids, party_dispute_ids=parties["dispute_id"].tolist(),
        since=since, now=as_of,
    )  # fmt: skip
    signals = reads.signals_near(
        session=session, case_ids=ids, since=since, now=as_of, within_m=5000
    )
    features = escalation_features(
        cases, as_of=as_of, history=history, parties=parties, signals=signals
    )
    expected = score_open_cases(features)
    assert len(ids) > 50 and served["open_cases"] == len(ids)
    got = pd.DataFrame(served["cases"])
    assert got["id"].tolist() == expected["id"].tolist()
    assert got["score"].tolist() == expected["score"].tolist()
    assert got["reasons"].tolist() == expected["reasons"].tolist()
    for name in COUNTS:
        assert got[name].tolist() == expected[name].astype(int).tolist(), name
    assert np.allclose(got["days_open"], expected["days_open"].round(1))
    assert got["overdue"].tolist() == expected["overdue"].astype(bool).tolist()


@pytest.mark.parametrize("as_of", AS_OF)
def test_live_factors_equal_the_counts_taken_in_sql(many_open, as_of):
    facts = open_case_facts(session=many_open, county=COUNTY, as_of=as_of)
    features = escalation_features(
        facts.cases, as_of=as_of, history=facts.history, parties=facts.parties,
        signals=facts.signals,
    ).set_index("id")  # fmt: skip
    params = {"ids": facts.cases["id"].tolist(), "now": as_of}
    counted = pd.DataFrame(many_open.execute(COUNTED_IN_SQL, params).mappings().all())
    counted = counted.set_index("id")
    for name in COUNTS:
        assert features.loc[counted.index, name].astype(int).tolist() == counted[name].tolist()
        assert counted[name].sum() > 0, f"{name}: nothing to compare on the demo county"


def test_party_keys_carry_no_personal_details(many_open):
    facts = open_case_facts(session=many_open, county=COUNTY, as_of=AS_OF[-1])
    parties = facts.parties
    assert list(parties.columns) == ["dispute_id", "party_key"]
    assert len(parties) and pd.api.types.is_integer_dtype(parties["party_key"])
    assert parties["party_key"].min() >= 1
    assert parties["party_key"].max() <= parties["party_key"].nunique()
    for frame in (facts.cases, facts.history, facts.signals):
        assert not {"name", "phone", "id_number", "parties"} & set(frame.columns)
