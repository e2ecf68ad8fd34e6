"""The read API over real HTTP on the demo county: health, admin units, grids, addresses."""

from __future__ import annotations

import httpx
import pytest


@pytest.fixture(scope="module")
def client(live_server, auth_headers):
    headers = auth_headers["county_centre"]
    with httpx.Client(base_url=live_server, timeout=60, headers=headers) as http:
        yield http


def test_health_reports_postgis_and_counts(client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["database"]["postgis"].startswith("3.")
    assert body["database"]["grids"] == 770


def test_openapi_and_docs_are_served(client):
    spec = client.get("/openapi.json").json()
    assert "/api/v1/grids" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_admin_units_by_level(client):
    response = client.get("/api/v1/admin-units", params={"level": "township"})
    assert response.headers["content-type"].startswith("application/geo+json")
    features = response.json()["features"]
    assert len(features) == 16
    assert {f["properties"]["parent_code"] for f in features} == {"623021"}
    villages = client.get("/api/v1/admin-units", params={"level": "village"}).json()
    assert len(villages["features"]) == 147
    assert all(f["properties"]["synthetic_geom"] for f in villages["features"])


def test_grids_is_a_feature_collection_of_current_grids(client):
    body = client.get("/api/v1/grids").json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 770
    first = body["features"][0]
    assert first["geometry"]["type"] == "MultiPolygon"
    assert {"code", "village_code", "households", "leader", "synthetic"} <= set(first["properties"])


def test_grids_filter_by_township_village_and_bbox(client):
    town = client.get("/api/v1/grids", params={"township": "623021100"}).json()["features"]
    assert town and all(f["properties"]["township_code"] == "623021100" for f in town)
    village_code = town[0]["properties"]["village_code"]
    village = client.get("/api/v1/grids", params={"village": village_code}).json()["features"]
    assert village and all(f["properties"]["village_code"] == village_code for f in village)
    assert len(village) < len(town) or len({f["properties"]["village_code"] for f in town}) == 1
    lon, lat = village[0]["geometry"]["coordinates"][0][0][0]
    bbox = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    near = client.get("/api/v1/grids", params={"bbox": bbox}).json()["features"]
    assert village[0]["properties"]["code"] in {f["properties"]["code"] for f in near}
    assert len(near) < 770


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "10,10,5,5", "0,0,0,200"])
def test_a_bad_bbox_is_a_clear_422(client, bbox):
    response = client.get("/api/v1/grids", params={"bbox": bbox})
    assert response.status_code == 422
    assert "bbox" in response.text


def test_one_grid_with_context_and_unknown_grid_is_404(client):
    code = client.get("/api/v1/grids").json()["features"][10]["properties"]["code"]
    feature = client.get(f"/api/v1/grids/{code}").json()
    assert feature["properties"]["code"] == code
    assert feature["properties"]["addresses"] > 0
    assert feature["properties"]["area_km2"] > 0
    missing = client.get("/api/v1/grids/999999999999999")
    assert missing.status_code == 404
    assert "999999999999999" in missing.json()["detail"]


def test_a_grid_as_of_before_it_existed_is_404(client):
    code = client.get("/api/v1/grids").json()["features"][0]["properties"]["code"]
    assert client.get(f"/api/v1/grids/{code}", params={"as_of": "1990-01-01"}).status_code == 404


def test_addresses_are_paged_and_searchable(client):
    page = client.get("/api/v1/addresses", params={"limit": 50}).json()
    assert page["numberReturned"] == 50
    assert page["numberMatched"] > 25_000
    next_link = next(link for link in page["links"] if link["rel"] == "next")
    second = client.get(next_link["href"]).json()
    assert {f["id"] for f in second["features"]}.isdisjoint({f["id"] for f in page["features"]})
    hits = client.get("/api/v1/addresses", params={"q": "城关镇", "limit": 5}).json()
    assert hits["numberMatched"] > 0
    assert all("城关镇" in f["properties"]["full_text"] for f in hits["features"])
    grid_code = hits["features"][0]["properties"]["grid_code"]
    in_grid = client.get("/api/v1/addresses", params={"grid": grid_code, "limit": 1000}).json()
    assert all(f["properties"]["grid_code"] == grid_code for f in in_grid["features"])


def test_limit_out_of_range_is_422(client):
    assert client.get("/api/v1/addresses", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/addresses", params={"limit": 100000}).status_code == 422
