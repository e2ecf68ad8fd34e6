"""Risk storage: the stored scores read back per grid and scope, and the hotspot review."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from core.errors import Conflict, InvalidRequest
from geo.risk import scores

COUNTY = "623021"


def test_the_latest_scores_cover_every_current_grid_once(demo_db):
    body = json.loads(scores.risk_collection(session=demo_db, county=COUNTY, with_geometry=False))
    current = demo_db.execute(
        text("SELECT count(*) FROM grid WHERE valid_to IS NULL AND county_code = :c"), {"c": COUNTY}
    ).scalar()
    codes = [f["properties"]["grid_code"] for f in body["features"]]
    assert len(codes) == len(set(codes)) == current


def test_a_township_scope_reads_only_its_own_grids(demo_db):
    township = demo_db.execute(
        text("SELECT code FROM admin_unit WHERE level = 'township' ORDER BY code LIMIT 1")
    ).scalar()
    body = json.loads(
        scores.risk_collection(
            session=demo_db, county=COUNTY, with_geometry=False, scope_area=township
        )
    )
    codes = [f["properties"]["grid_code"] for f in body["features"]]
    assert codes and all(code.startswith(township) for code in codes)


def test_a_hotspot_is_reviewed_once(demo_db):
    hotspot_id = demo_db.execute(
        text("SELECT id FROM hotspot WHERE status = 'pending' ORDER BY id LIMIT 1")
    ).scalar()
    with pytest.raises(InvalidRequest):
        scores.review_hotspot(session=demo_db, hotspot_id=hotspot_id, status="maybe",
                              reviewer="duty_chief")  # fmt: skip
    done = scores.review_hotspot(session=demo_db, hotspot_id=hotspot_id, status="confirmed",
                                 reviewer="duty_chief", note="两户宅基地纠纷反复")  # fmt: skip
    assert done["status"] == "confirmed"
    assert scores.hotspot_grid(session=demo_db, hotspot_id=hotspot_id)["status"] == "confirmed"
    with pytest.raises(Conflict):
        scores.review_hotspot(session=demo_db, hotspot_id=hotspot_id, status="dismissed",
                              reviewer="someone_else")  # fmt: skip
