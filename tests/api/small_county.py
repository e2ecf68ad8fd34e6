"""Module-scoped fixtures serving the small test county over real HTTP, one set per test module:
``county_url, server, users, engine = small_county_fixtures("kind", scopes)``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from geo.database import migrate
from geo.database.engine import make_engine, transaction
from tests.api.conftest import make_role_users
from tests.conftest import LiveServer
from tests.geo.disputes.disputes_factories import CHIGOU, address_point, build_world


def small_county_fixtures(kind: str, scopes: dict):
    """The fixtures ``county_url`` (the small county, committed, one template case),
    ``server`` (the app on it), ``users`` (one account per role with ``scopes``) and
    ``engine``."""

    @pytest.fixture(scope="module")
    def county_url(new_database) -> str:
        url = new_database(kind=kind)
        migrate.upgrade(url)
        engine = make_engine(url, pool_size=1)
        try:
            with transaction(engine) as session:
                world = build_world(session)
                lon, lat = address_point(CHIGOU, 1, 1)
                world.one(external_id="P-TEMPLATE", lon=lon, lat=lat)
        finally:
            engine.dispose()
        return url

    @pytest.fixture(scope="module")
    def server(county_url) -> Iterator[str]:
        with LiveServer(county_url) as live:
            yield live.base_url

    @pytest.fixture(scope="module")
    def users(county_url):
        return make_role_users(county_url, scopes=scopes)

    @pytest.fixture(scope="module")
    def engine(county_url):
        eng = make_engine(county_url, pool_size=1)
        yield eng
        eng.dispose()

    return county_url, server, users, engine
