"""GeoJSON built in PostGIS for the read endpoints: grids, one grid, bounding boxes."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from core.cases import OPEN_STATUSES
from core.errors import InvalidRequest, NotFound
from geo.publishing import features


def test_every_current_grid_is_a_feature_with_its_code(demo_db):
    body = json.loads(features.grids_collection(session=demo_db))
    current = demo_db.execute(text("SELECT count(*) FROM grid WHERE valid_to IS NULL")).scalar()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == current > 0
    codes = {f["properties"]["code"] for f in body["features"]}
    assert len(codes) == current


def test_a_bounding_box_keeps_only_the_grids_it_touches(demo_db):
    every = json.loads(features.grids_collection(session=demo_db))["features"]
    box = features.parse_bbox("103.33,34.68,103.37,34.71")
    inside = json.loads(features.grids_collection(session=demo_db, bbox=box))["features"]
    assert 0 < len(inside) < len(every)


@pytest.mark.parametrize("value", ["1,2,3", "a,b,c,d", "103.4,34.7,103.3,34.6", "0,0,200,10"])
def test_a_malformed_bounding_box_is_refused(value):
    with pytest.raises(InvalidRequest):
        features.parse_bbox(value)


def test_one_grid_counts_its_open_disputes_by_the_shared_open_set(demo_db):
    code, expected = demo_db.execute(
        text(
            "SELECT g.code, count(*) FROM dispute d JOIN grid g ON g.id = d.grid_id "
            "WHERE g.valid_to IS NULL AND d.status = ANY(:open) "
            "GROUP BY g.code ORDER BY count(*) DESC, g.code LIMIT 1"
        ),
        {"open": list(OPEN_STATUSES)},
    ).one()
    feature = json.loads(features.grid_feature(session=demo_db, code=code))
    assert feature["properties"]["open_disputes"] == expected


def test_an_unknown_grid_is_not_found(demo_db):
    with pytest.raises(NotFound):
        features.grid_feature(session=demo_db, code="62302199999999")
