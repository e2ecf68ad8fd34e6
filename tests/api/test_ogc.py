"""OGC API – Features at /ogc over real HTTP, read by GDAL (OAPIF through pyogrio) and OWSLib."""

from __future__ import annotations

import httpx
import pyogrio
import pytest
from owslib.ogcapi.features import Features

from geo.accounts import audit

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


@pytest.fixture
def gdal_token(demo_users):
    """Make GDAL send the county centre's bearer token with every request."""
    token = demo_users["county_centre"].token
    pyogrio.set_gdal_config_options({"GDAL_HTTP_AUTH": "BEARER", "GDAL_HTTP_BEARER": token})
    yield
    pyogrio.set_gdal_config_options({"GDAL_HTTP_AUTH": None, "GDAL_HTTP_BEARER": None})


def test_landing_and_conformance_are_public_and_link_everything(live_server):
    with httpx.Client(base_url=live_server, timeout=60) as anonymous:
        landing = anonymous.get("/ogc").json()
        rels = {link["rel"] for link in landing["links"]}
        assert {"self", "service-desc", "conformance", "data"} <= rels
        conf = anonymous.get("/ogc/conformance").json()["conformsTo"]
        assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conf
        assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conf
        assert anonymous.get("/ogc/collections").status_code == 401
        assert anonymous.get("/ogc/collections/grids/items").status_code == 401


def test_collections_have_extents_in_crs84(http):
    body = http.get("/ogc/collections").json()
    ids = {c["id"] for c in body["collections"]}
    assert ids == {"admin_units", "grids", "addresses", "hotspots", "disputes"}
    grids = next(c for c in body["collections"] if c["id"] == "grids")
    minx, miny, maxx, maxy = grids["extent"]["spatial"]["bbox"][0]
    assert 103 < minx < maxx < 104.5 and 34.2 < miny < maxy < 35.4  # Lintan
    assert grids["crs"] == [CRS84]


def test_items_page_with_limit_next_links_and_bbox(http):
    first = http.get("/ogc/collections/grids/items", params={"limit": 300})
    assert first.headers["content-type"].startswith("application/geo+json")
    assert first.headers["content-crs"] == f"<{CRS84}>"
    body = first.json()
    assert body["numberMatched"] == 770 and body["numberReturned"] == 300
    seen = [f["id"] for f in body["features"]]
    while nxt := next((x["href"] for x in body["links"] if x["rel"] == "next"), None):
        body = http.get(nxt).json()
        seen += [f["id"] for f in body["features"]]
    assert len(seen) == len(set(seen)) == 770
    lon, lat = http.get(f"/ogc/collections/grids/items/{seen[5]}").json()["geometry"][
        "coordinates"
    ][0][0][0]
    near = http.get(
        "/ogc/collections/grids/items",
        params={"bbox": f"{lon - 0.002},{lat - 0.002},{lon + 0.002},{lat + 0.002}"},
    ).json()
    assert seen[5] in {f["id"] for f in near["features"]} and near["numberMatched"] < 770


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/ogc/collections/nothing", 404),
        ("/ogc/collections/grids/items/000", 404),
        ("/ogc/collections/disputes/items/abc", 404),
        ("/ogc/collections/disputes/items/99999999999", 404),
        ("/ogc/collections/grids/items?bbox=1,2,3", 422),
        ("/ogc/collections/grids/items?limit=0", 422),
        ("/ogc/collections/grids/items?limit=100000", 422),
        ("/ogc/collections/grids/items?bbox-crs=EPSG:3857", 400),
        ("/ogc/collections/grids/items?f=html", 422),
        ("/ogc/collections/grids/items?bbox=1%27%20OR%201=1--,2,3,4", 422),
    ],
)
def test_bad_requests_are_clear_4xx(http, path, status):
    assert http.get(path).status_code == status


def test_gdal_oapif_reads_grids_and_admin_units(process_server, gdal_token):
    live_server = process_server
    assert "OAPIF" in pyogrio.list_drivers()
    layers = {name for name, _ in pyogrio.list_layers(f"OAPIF:{live_server}/ogc")}
    assert {"grids", "admin_units", "addresses", "hotspots", "disputes"} <= layers
    grids = pyogrio.read_dataframe(f"OAPIF:{live_server}/ogc", layer="grids")
    assert len(grids) == 770
    assert grids.crs.to_epsg() == 4326 or "CRS84" in grids.crs.to_string()
    assert grids.geom_type.isin(["MultiPolygon", "Polygon"]).all()
    assert grids["code"].is_unique
    towns = pyogrio.read_dataframe(
        f"OAPIF:{live_server}/ogc", layer="admin_units", where="level = 'township'"
    )
    assert len(towns) == 16


def test_gdal_oapif_reads_with_a_bbox(process_server, gdal_token, http):
    live_server = process_server
    feature = http.get("/ogc/collections/addresses/items", params={"limit": 1}).json()
    lon, lat = feature["features"][0]["geometry"]["coordinates"]
    box = (lon - 0.003, lat - 0.003, lon + 0.003, lat + 0.003)
    near = pyogrio.read_dataframe(f"OAPIF:{live_server}/ogc", layer="addresses", bbox=box)
    assert 0 < len(near) < 5000
    assert feature["features"][0]["id"] in set(near["code"])


def test_owslib_reads_collections_and_items(live_server, auth_headers):
    api = Features(f"{live_server}/ogc", headers=auth_headers["county_centre"])
    assert "core" in " ".join(api.conformance()["conformsTo"])
    ids = {c["id"] for c in api.collections()["collections"]}
    assert {"grids", "addresses", "admin_units", "hotspots", "disputes"} <= ids
    page = api.collection_items("grids", limit=10)
    assert page["numberReturned"] == 10 and page["numberMatched"] == 770
    one = api.collection_item("grids", page["features"][0]["id"])
    assert one["properties"]["code"] == page["features"][0]["id"]
    units = api.collection_items("admin_units", limit=200)
    assert units["numberMatched"] == 1 + 16 + 147


def test_viewer_gets_no_disputes_collection(live_server, auth_headers):
    with httpx.Client(base_url=live_server, timeout=60, headers=auth_headers["viewer"]) as c:
        ids = {x["id"] for x in c.get("/ogc/collections").json()["collections"]}
        assert "disputes" not in ids and "grids" in ids
        assert c.get("/ogc/collections/disputes/items").status_code == 403
        assert c.get("/ogc/collections/disputes").status_code == 403
        assert c.get("/ogc/collections/hotspots/items?limit=1").status_code == 200


def _all_disputes(client) -> list[dict]:
    body = client.get("/ogc/collections/disputes/items", params={"limit": 10_000}).json()
    return body["features"]


def test_disputes_follow_the_scope_and_carry_no_personal_data(
    live_server, auth_headers, demo_users
):
    seen = {}
    for role in ("county_centre", "township", "grid_leader", "partner"):
        with httpx.Client(base_url=live_server, timeout=120, headers=auth_headers[role]) as c:
            seen[role] = _all_disputes(c)
    everything = seen["county_centre"]
    assert everything, "the demo county has located disputes"
    town, grid = demo_users["township"].scope_code, demo_users["grid_leader"].scope_code
    facility = demo_users["partner"].scope_code
    assert {f["id"] for f in seen["township"]} == {
        f["id"] for f in everything if (f["properties"]["grid_code"] or "").startswith(town)
    }
    assert {f["id"] for f in seen["grid_leader"]} == {
        f["id"] for f in everything if f["properties"]["grid_code"] == grid
    }
    assert {f["id"] for f in seen["partner"]} == {
        f["id"] for f in everything if f["properties"]["facility_code"] == facility
    }
    assert len(seen["township"]) < len(everything)
    forbidden = {"name", "phone", "id_number", "description", "location_text", "assignee"}
    assert all(forbidden.isdisjoint(f["properties"]) for f in everything)
    outside = next(
        f["id"] for f in everything if not (f["properties"]["grid_code"] or "").startswith(town)
    )
    with httpx.Client(base_url=live_server, timeout=60, headers=auth_headers["township"]) as c:
        assert c.get(f"/ogc/collections/disputes/items/{outside}").status_code == 404


def test_reading_disputes_is_audited(http, demo_users, demo_db):
    before = audit.count(session=demo_db, object_type="dispute", action="read")
    pages_before = audit.count(session=demo_db, object_type="ogc:disputes", action="read")
    feature = http.get("/ogc/collections/disputes/items", params={"limit": 2}).json()["features"][0]
    http.get(f"/ogc/collections/disputes/items/{feature['id']}")
    demo_db.rollback()
    rows = audit.entries(session=demo_db, object_type="dispute", object_id=feature["id"])
    assert rows and rows[0]["username"] == demo_users["county_centre"].username
    assert audit.count(session=demo_db, object_type="dispute", action="read") >= before + 1
    pages = audit.count(session=demo_db, object_type="ogc:disputes", action="read")
    assert pages >= pages_before + 1  # the page: one row for the whole list
