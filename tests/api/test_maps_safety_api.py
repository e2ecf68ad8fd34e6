"""The typed bodies of the map layers and the safety status over real HTTP (demo county):
each body validates against its declared model and carries what the service built, no more
and no less."""

from __future__ import annotations

import json

import httpx
import pytest

from api.schemas.maps import LayerPayload
from api.schemas.safety import SafetyStatus, SafetyTable
from core.principal import Principal
from services import map_layers, safety

COUNTY = "623021"


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server, timeout=120) as http:
        yield http


def _keys(value, prefix=""):
    """Every key path of a JSON value (list items merged)."""
    if isinstance(value, dict):
        found = set()
        for key, item in value.items():
            found |= {f"{prefix}/{key}"} | _keys(item, f"{prefix}/{key}")
        return found
    if isinstance(value, list):
        return set().union(*(_keys(item, f"{prefix}[]") for item in value)) if value else set()
    return set()


@pytest.mark.parametrize("layer", map_layers.LAYERS)
def test_every_layer_is_a_typed_geojson_body(client, auth_headers, demo_db, layer):
    response = client.get(f"/api/v1/maps/layers/{layer}", headers=auth_headers["county_centre"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert LayerPayload.model_validate(body).wangge.layer == layer
    built = map_layers.layer_payload(
        layer,
        session=demo_db,
        user=Principal(username="same", role="county_centre"),
        county=COUNTY,
        gcj02=False,
    )
    assert _keys(body["wangge"]) == _keys(built["wangge"])
    assert len(body["features"]) == len(built["features"])


def test_the_disputes_layer_is_empty_for_a_viewer(client, auth_headers):
    body = client.get("/api/v1/maps/layers/disputes", headers=auth_headers["viewer"]).json()
    assert body["features"] == [] and "无权查看案件" in body["wangge"]["notices"][0]


@pytest.mark.parametrize("role", ["county_centre", "viewer"])
def test_the_safety_status_is_the_services_to_the_letter(client, auth_headers, demo_db, role):
    body = client.get("/api/v1/safety", params={"year": 2025}, headers=auth_headers[role]).json()
    SafetyStatus.model_validate(body)
    expected = safety.status(session=demo_db, county=COUNTY, year=2025)
    if role == "viewer":
        expected = safety.evidence_counts_only(expected)
    assert body == json.loads(json.dumps(expected))
    table = client.get(
        "/api/v1/safety/table", params={"year": 2025}, headers=auth_headers[role]
    ).json()
    SafetyTable.model_validate(table)
    assert table == safety.status_table(session=demo_db, county=COUNTY, year=2025)
