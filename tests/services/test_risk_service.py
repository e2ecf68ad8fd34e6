"""services.risk on a copy of the demo county (synthetic data): train, score, flag, store."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import text

from core.principal import Principal
from geo.database.engine import make_engine, transaction
from geo.risk.scores import risk_collection
from services.map_layers import layer_payload
from services.risk import latest_flags, train_and_score


@pytest.fixture
def unscored_engine(fresh_demo_url):
    """An engine on a copy of the demo database with every stored score and flag removed."""
    engine = make_engine(fresh_demo_url, pool_size=2)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM hotspot"))
        conn.execute(text("DELETE FROM risk_score"))
    yield engine
    engine.dispose()


def test_training_scores_every_grid_and_flags_with_explanations(unscored_engine, demo_county):
    as_of = pd.Timestamp(demo_county.disputes["reported_at"].max()).floor("s") + pd.Timedelta(
        days=1
    )
    report = train_and_score(
        unscored_engine, county=demo_county.county_code, as_of=as_of.to_pydatetime(), history=2
    )
    with unscored_engine.connect() as conn:
        grids = conn.execute(text("SELECT count(*) FROM grid WHERE valid_to IS NULL")).scalar_one()
        scored = conn.execute(
            text(
                "SELECT period_start, count(DISTINCT grid_id) AS grids,"
                " count(*) FILTER (WHERE factors IS NOT NULL) AS explained"
                " FROM risk_score GROUP BY period_start ORDER BY period_start"
            )
        ).all()
        flags = conn.execute(
            text(
                "SELECT method, explanation, hotspot_class FROM hotspot WHERE period_start = :start"
            ),
            {"start": report.period_start},
        ).all()
    assert report.grids == grids
    assert len(scored) == 3, "the scored period and the two before it"
    assert scored[-1].period_start == report.period_start
    assert all(row.grids == grids for row in scored)
    assert all(0 < row.explained <= report.flagged["model"] for row in scored)
    by_method: dict[str, int] = {}
    for flag in flags:
        by_method[flag.method] = by_method.get(flag.method, 0) + 1
        assert flag.explanation
    assert by_method == report.flagged
    assert by_method["model"] == round(0.025 * grids)
    assert {"gistar", "emerging"} <= set(by_method)
    emerging = [f for f in flags if f.method == "emerging"]
    assert all(f.hotspot_class.endswith("hot spot") for f in emerging)
    listed = latest_flags(unscored_engine, county=demo_county.county_code)
    assert len(listed) == len(flags)
    assert all(row["explanation"] for row in listed)
    _the_chance_of_any_dispute_reaches_the_layer_and_the_popup(unscored_engine, demo_county)


def _the_chance_of_any_dispute_reaches_the_layer_and_the_popup(engine, demo_county):
    """Stored beside every score, monotone in the expectation, in the layer and the popup."""
    county = demo_county.county_code
    with engine.connect() as conn:
        stored = pd.read_sql(
            text("SELECT period_start, expected, probability FROM risk_score"), conn
        )
    assert stored["probability"].notna().all() and stored["probability"].between(0, 1).all()
    for _, block in stored.groupby("period_start"):
        ordered = block.sort_values("expected")["probability"].to_numpy()
        assert (ordered[1:] >= ordered[:-1]).all()
    with transaction(engine) as session:
        layer = json.loads(risk_collection(session=session, county=county, top=5))
        popup = layer_payload(
            "grids", session=session, county=county, gcj02=False,
            user=Principal(username="centre", role="county_centre"),
        )  # fmt: skip
    assert all(0 <= f["properties"]["probability"] <= 1 for f in layer["features"])
    sentences = [f["properties"]["expected"] for f in popup["features"]]
    assert sentences and all("下周至少一起的概率" in s for s in sentences if s)


def test_a_county_without_grids_is_refused_in_both_languages(demo_engine):
    with pytest.raises(ValueError, match=r"没有现行网格.*no current grids"):
        train_and_score(demo_engine, county="999999")
