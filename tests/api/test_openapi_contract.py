"""The HTTP contract in /openapi.json: every JSON or GeoJSON body an operation returns is
described, no request body is untyped, and real responses match the models they declare
(round trip: validated and dumped again, nothing lost)."""

from __future__ import annotations

import httpx
import pytest
from pydantic import BaseModel

from api.schemas.disputes import CaseFeature, DispatchOut, DisputeCollection
from api.schemas.escalation import EscalationRanking
from api.schemas.geocode import GeocodeBatch, GeocodeResult, PointLocation
from api.schemas.ogc import Collections, Landing, OgcFeature, OgcFeatureCollection, TileJSON
from api.schemas.places import (
    AddressPage,
    AdminUnitCollection,
    GridCollection,
    GridDetail,
    HealthOut,
)
from api.schemas.risk import HotspotCollection, RiskCollection
from api.schemas.roster import OnDutyOut
from api.schemas.signals import SignalCollection
from api.schemas.staff import CoverageOut, StaffPage
from api.schemas.stats import StatsOut

JSON_TYPES = ("application/json", "application/geo+json")


@pytest.fixture(scope="module")
def http(live_server, auth_headers):
    with httpx.Client(
        base_url=live_server, timeout=120, headers=auth_headers["county_centre"]
    ) as client:
        yield client


@pytest.fixture(scope="module")
def spec(http) -> dict:
    return http.get("/openapi.json").json()


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _operations(spec: dict):
    for path, operations in spec["paths"].items():
        if path.startswith(("/api/v1", "/ogc")):
            for method, operation in operations.items():
                yield f"{method.upper()} {path}", operation


def test_every_json_body_returned_is_described(spec):
    described, undescribed = 0, []
    for name, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if not status.startswith("2"):
                continue
            for media_type, content in response.get("content", {}).items():
                if media_type not in JSON_TYPES:
                    continue
                schema = _resolve(spec, content.get("schema") or {})
                if schema in ({}, {"type": "string"}) or set(schema) <= {"title", "description"}:
                    undescribed.append(f"{name} {status} {media_type}")
                described += 1
    assert undescribed == []
    assert described > 40


def test_geojson_routes_declare_their_collection_under_geo_json(spec):
    listed = spec["paths"]["/api/v1/disputes"]["get"]["responses"]["200"]["content"]
    schema = _resolve(spec, listed["application/geo+json"]["schema"])
    assert {"type", "features", "numberMatched"} <= set(schema["properties"])


def test_no_request_body_is_untyped(spec):
    bodies = 0
    for name, operation in _operations(spec):
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            schema = content.get("schema") or {}
            members = [_resolve(spec, s) for s in schema.get("anyOf", [schema])]
            assert all(m.get("properties") for m in members), (name, media_type, schema)
            bodies += 1
    assert bodies >= 11


def _round_trip(model: type[BaseModel], body) -> None:
    """The body validates against ``model`` and comes back out of it unchanged."""
    parsed = model.model_validate(body)
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == body


READS = [
    ("/api/v1/health", {}, HealthOut),
    ("/api/v1/admin-units", {"level": "township"}, AdminUnitCollection),
    ("/api/v1/grids", {"township": "623021100"}, GridCollection),
    ("/api/v1/addresses", {"limit": 3}, AddressPage),
    ("/api/v1/disputes", {"limit": 20}, DisputeCollection),
    ("/api/v1/disputes/escalation", {"limit": 5}, EscalationRanking),
    ("/api/v1/signals", {"limit": 20}, SignalCollection),
    ("/api/v1/stats", {}, StatsOut),
    ("/api/v1/staff", {"limit": 5}, StaffPage),
    ("/api/v1/staff/coverage", {"township": "623021100"}, CoverageOut),
    ("/api/v1/roster/on-duty", {"at": "2026-06-01T08:00:00+08:00"}, OnDutyOut),
    ("/api/v1/risk", {"top": 5}, RiskCollection),
    ("/api/v1/hotspots", {}, HotspotCollection),
    ("/api/v1/geocode/reverse", {"lon": 103.68, "lat": 34.8}, PointLocation),
    ("/ogc", {}, Landing),
    ("/ogc/collections", {}, Collections),
    ("/ogc/collections/grids/items", {"limit": 2}, OgcFeatureCollection),
    ("/tiles/grids.json", {}, TileJSON),
]


@pytest.mark.parametrize(("path", "params", "model"), READS, ids=[r[0] for r in READS])
def test_real_responses_match_their_models(http, path, params, model):
    response = http.get(path, params=params)
    assert response.status_code == 200, response.text[:300]
    _round_trip(model, response.json())


def test_one_case_its_dispatch_grid_and_feature_match_their_models(http):
    listed = http.get("/api/v1/disputes", params={"limit": 1}).json()["features"][0]
    _round_trip(CaseFeature, http.get(f"/api/v1/disputes/{listed['id']}").json())
    _round_trip(DispatchOut, http.get(f"/api/v1/disputes/{listed['id']}/dispatch").json())
    grid = listed["properties"]["grid"]
    _round_trip(GridDetail, http.get(f"/api/v1/grids/{grid}").json())
    _round_trip(OgcFeature, http.get(f"/ogc/collections/grids/items/{grid}").json())


def test_geocode_answers_match_their_models(http):
    _round_trip(GeocodeResult, http.post("/api/v1/geocode", json={"address": "城关镇"}).json())
    batch = http.post("/api/v1/geocode", json={"addresses": ["城关镇", "某某", None]}).json()
    _round_trip(GeocodeBatch, batch)
    gps = http.post("/api/v1/geocode", json={"lon": 103.68, "lat": 34.8}).json()
    _round_trip(PointLocation, gps)


def test_contacts_stay_absent_where_the_role_may_not_see_them(http, auth_headers):
    viewer = http.get("/api/v1/staff", params={"limit": 3}, headers=auth_headers["viewer"])
    items = viewer.json()["items"]
    assert items and all("phone" not in i and i["contact"] == "restricted" for i in items)


@pytest.mark.parametrize(
    "body", [[{"external_id": "x"}], "text", {"records": []}, {"records": [1, 2]}]
)
def test_intake_bodies_that_are_not_records_are_422(http, body):
    for path in ("/api/v1/disputes", "/api/v1/signals"):
        response = http.post(path, json=body)
        assert response.status_code == 422, (path, response.text)


def test_every_operation_describes_its_error_bodies(spec):
    missing = []
    for name, operation in _operations(spec):
        for code in ("401", "403", "404", "409"):
            content = operation.get("responses", {}).get(code, {}).get("content", {})
            if not any(kind in content for kind in JSON_TYPES):
                missing.append(f"{name} {code}")
    assert not missing, missing


def test_real_error_bodies_match_the_declared_error_model(http, live_server):
    from api.schemas.common import ErrorOut

    not_found = http.get("/api/v1/grids/62302199999999")
    assert not_found.status_code == 404
    assert ErrorOut.model_validate(not_found.json()).error == "NotFound"
    anonymous = httpx.get(f"{live_server}/api/v1/disputes", timeout=60)
    assert anonymous.status_code == 401
    ErrorOut.model_validate(anonymous.json())
