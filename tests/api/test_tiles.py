"""Vector tiles and TileJSON over real HTTP: content, scope, caching and invalidation."""

from __future__ import annotations

import math
import time

import httpx
import mapbox_vector_tile
import pytest
from sqlalchemy import text

from geo.database.engine import make_engine
from geo.publishing import tiles

MVT = "application/vnd.mapbox-vector-tile"


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """The XYZ tile holding a point (Web Mercator)."""
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def units_tile() -> str:
    """A zoom-8 tile over Lintan in the admin units layer."""
    return "/tiles/admin_units/{}/{}/{}.pbf".format(*tile_of(103.7, 34.7, 8))


def decode(body: bytes) -> dict:
    return mapbox_vector_tile.decode(body) if body else {}


def _a_grid(client) -> dict:
    return client.get("/ogc/collections/grids/items", params={"limit": 1}).json()["features"][0]


def _grid_tile(client, z=14):
    grid = _a_grid(client)
    lon, lat = grid["geometry"]["coordinates"][0][0][0]
    return grid, tile_of(lon, lat, z)


def test_tilejson_describes_the_layer(http, live_server):
    body = http.get("/tiles/grids.json").json()
    assert body["tilejson"] == "3.0.0"
    assert body["tiles"] == [f"{live_server}/tiles/grids/{{z}}/{{x}}/{{y}}.pbf"]
    assert body["vector_layers"][0]["id"] == "grids"
    assert "code" in body["vector_layers"][0]["fields"]


def test_a_grid_tile_holds_the_grid(http):
    grid, (z, x, y) = _grid_tile(http)
    response = http.get(f"/tiles/grids/{z}/{x}/{y}.pbf")
    assert response.status_code == 200
    assert response.headers["content-type"] == MVT
    layer = decode(response.content)["grids"]
    assert grid["id"] in {f["properties"]["code"] for f in layer["features"]}
    county = decode(http.get(units_tile()).content)
    assert "623021" in {f["properties"]["code"] for f in county["admin_units"]["features"]}


def test_an_empty_tile_and_zooms_below_the_layer_minimum_are_empty(http):
    assert http.get("/tiles/grids/10/0/0.pbf").content == b""  # the Arctic, far from Lintan
    assert http.get("/tiles/addresses/{}/{}/{}.pbf".format(*tile_of(103.7, 34.7, 5))).content == b""


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/tiles/nothing/1/0/0.pbf", 404),
        ("/tiles/grids/23/0/0.pbf", 422),
        ("/tiles/grids/2/4/0.pbf", 422),
        ("/tiles/grids/2/0/-1.pbf", 422),
        ("/tiles/grids/a/0/0.pbf", 422),
        ("/tiles/nothing.json", 404),
    ],
)
def test_bad_tile_requests_are_4xx(http, path, status):
    assert http.get(path).status_code == status


def test_tiles_need_a_login_and_disputes_a_case_role(live_server, auth_headers):
    z, x, y = tile_of(103.7, 34.7, 10)
    with httpx.Client(base_url=live_server, timeout=60) as anonymous:
        assert anonymous.get(f"/tiles/grids/{z}/{x}/{y}.pbf").status_code == 401
        assert anonymous.get("/tiles/grids.json").status_code == 401
    with httpx.Client(base_url=live_server, timeout=60, headers=auth_headers["viewer"]) as viewer:
        assert viewer.get(f"/tiles/grids/{z}/{x}/{y}.pbf").status_code == 200
        assert viewer.get(f"/tiles/disputes/{z}/{x}/{y}.pbf").status_code == 403
        assert viewer.get("/tiles/disputes.json").status_code == 403


def test_dispute_tiles_follow_the_scope(live_server, auth_headers, demo_users):
    town = demo_users["township"].scope_code
    found = {}
    for role in ("county_centre", "township"):
        with httpx.Client(base_url=live_server, timeout=120, headers=auth_headers[role]) as c:
            codes = []
            for z, x, y in {tile_of(lon, lat, 9) for lon in (103.4, 103.7, 104.0)
                            for lat in (34.5, 34.8, 35.0)}:  # fmt: skip
                body = decode(c.get(f"/tiles/disputes/{z}/{x}/{y}.pbf").content)
                codes += [f["properties"] for f in body.get("disputes", {}).get("features", [])]
            found[role] = codes
    assert found["township"]
    assert all((p.get("grid_code") or "").startswith(town) for p in found["township"])
    assert len(found["county_centre"]) > len(found["township"])
    assert all("name" not in p and "phone" not in p for p in found["county_centre"])


def test_etag_revalidation_gives_304(http):
    _, (z, x, y) = _grid_tile(http)
    first = http.get(f"/tiles/grids/{z}/{x}/{y}.pbf")
    again = http.get(
        f"/tiles/grids/{z}/{x}/{y}.pbf", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""


def test_cached_tiles_are_invalidated_when_rows_change(fresh_demo_url, start_server, role_users):
    users = role_users(fresh_demo_url)
    base = start_server(fresh_demo_url)
    engine = make_engine(fresh_demo_url, pool_size=1)
    try:
        with httpx.Client(base_url=base, timeout=120, headers=users["county_centre"].headers) as c:
            grid, (z, x, y) = _grid_tile(c)
            url = f"/tiles/grids/{z}/{x}/{y}.pbf"
            before = c.get(url)
            cached = c.get(url)
            assert (
                cached.content == before.content
                and cached.headers["etag"] == before.headers["etag"]
            )
            units_etag = c.get(units_tile()).headers["etag"]
            disputes_url = f"/tiles/disputes/{z}/{x}/{y}.pbf"
            first_disputes = c.get(disputes_url)
            disputes_before, disputes_etag = (
                decode(first_disputes.content),
                first_disputes.headers["etag"],
            )

            with engine.begin() as conn:  # a redraw renames and reshapes a grid
                conn.execute(
                    text("UPDATE grid SET name = 'renamed by redraw' WHERE code = :code"),
                    {"code": grid["id"]},
                )
            after = _changed(c, url, before.headers["etag"])
            names = {f["properties"]["code"]: f["properties"]["name"]
                     for f in decode(after.content)["grids"]["features"]}  # fmt: skip
            assert names[grid["id"]] == "renamed by redraw"
            other = c.get(units_tile())
            assert other.headers["etag"] == units_etag  # other layers keep their cache

            with engine.begin() as conn:  # a new dispute on that grid
                conn.execute(
                    text(
                        "INSERT INTO dispute (external_id, county_code, category, reported_at, "
                        "grid_id, geom) SELECT 'tile-test-1', '623021', 'neighbour', now(), g.id, "
                        "ST_PointOnSurface(g.geom) FROM grid g WHERE g.code = :code "
                        "AND g.valid_to IS NULL"
                    ),
                    {"code": grid["id"]},
                )
            disputes_after = decode(_changed(c, disputes_url, disputes_etag).content)
            count = lambda d: len(d.get("disputes", {}).get("features", []))  # noqa: E731
            assert count(disputes_after) == count(disputes_before) + 1
    finally:
        engine.dispose()


def _changed(client: httpx.Client, url: str, etag: str, seconds: float = 10) -> httpx.Response:
    """The tile at ``url`` once its ETag differs from ``etag``: the new layer version reaches
    the server's version board by NOTIFY a moment after the writer commits."""
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(url)
        if response.headers["etag"] != etag or time.monotonic() > deadline:
            return response
        time.sleep(0.05)


def test_version_moves_with_the_writers_transaction(demo_db):
    start = tiles.version(session=demo_db, layer_id="grids")
    demo_db.execute(text("UPDATE grid SET households = households WHERE false"))
    assert tiles.version(session=demo_db, layer_id="grids") == start + 1  # statement-level
    demo_db.execute(text("UPDATE grid SET households = households + 1 WHERE code LIKE '6%'"))
    assert tiles.version(session=demo_db, layer_id="grids") == start + 2  # once per statement
    assert tiles.version(session=demo_db, layer_id="hotspots") > 0


def test_tile_cache_is_an_lru_bounded_by_bytes():
    cache = tiles.TileCache(max_bytes=10)
    cache.put(("a",), b"12345")
    cache.put(("b",), b"12345")
    assert cache.get(("a",)) == b"12345"  # a is now the most recent
    cache.put(("c",), b"123")
    assert cache.get(("b",)) is None and cache.get(("a",)) and cache.get(("c",))
    cache.put(("huge",), b"x" * 11)
    assert cache.get(("huge",)) is None
    assert cache.hits == 3 and cache.misses == 2
