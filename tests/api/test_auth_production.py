"""Production mode: no start while demo accounts exist; docker-compose runs it with a secret
file."""

from __future__ import annotations

import secrets

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import InsecureSettings
from api.settings import ApiSettings
from geo.accounts.demo import existing_demo_accounts
from geo.database.settings import PROJECT_ROOT


def test_production_refuses_to_start_while_demo_accounts_exist(demo_url, migrated_url, db):
    assert existing_demo_accounts(session=db) == []
    production = ApiSettings(production=True, secret_key=secrets.token_hex(32))
    app = create_app(database_url=demo_url, settings=production)
    with pytest.raises(InsecureSettings, match="demo_county_centre") as refused, TestClient(app):
        pass
    assert "演示账号" in str(refused.value) and "wangge user remove" in str(refused.value)
    with TestClient(create_app(database_url=migrated_url, settings=production)) as client:
        assert client.get("/api/v1/auth/me").status_code == 401


def test_docker_compose_runs_production_mode_with_a_secret_file():
    text = (PROJECT_ROOT / "docker-compose.yml").read_text()
    compose = yaml.safe_load(text)
    api = compose["services"]["api"]
    assert str(api["environment"]["WANGGE_PRODUCTION"]) == "1"
    assert "WANGGE_SECRET_KEY" not in api["environment"]
    assert api["environment"]["WANGGE_SECRET_FILE"].startswith("/run/secrets/")
    assert "wangge_secret_key" in api["secrets"] and "wangge_secret_key" in compose["secrets"]
    assert "change-me" not in text
