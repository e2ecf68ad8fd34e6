"""Logging in, tokens, throttling, production secrets and the ``wangge user add`` command."""

from __future__ import annotations

import datetime as dt

import httpx
import jwt
import pytest
from typer.testing import CliRunner

from api.app import create_app
from api.auth import InsecureSettings, hash_password, issue_token, read_token, verify_password
from api.ratelimit import LoginThrottle
from api.settings import DEFAULT_SECRET, ApiSettings
from core.principal import Principal
from geo.accounts import audit


@pytest.fixture
def client(live_server):
    with httpx.Client(base_url=live_server, timeout=60) as http:
        yield http


def login(client, username, password):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def test_production_refuses_the_default_or_a_short_secret():
    with pytest.raises(InsecureSettings, match="WANGGE_SECRET_KEY"):
        create_app(settings=ApiSettings(production=True, secret_key=DEFAULT_SECRET))
    with pytest.raises(InsecureSettings, match="at least"):
        create_app(settings=ApiSettings(production=True, secret_key="short"))
    create_app(settings=ApiSettings(production=True, secret_key="x" * 40))


def test_secret_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("WANGGE_SECRET_KEY", "from-the-environment-" + "y" * 20)
    monkeypatch.setenv("WANGGE_PRODUCTION", "1")
    settings = ApiSettings()
    assert settings.production and settings.secret_key.startswith("from-the-environment-")
    create_app(settings=settings)


def test_passwords_are_argon2id_hashes():
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "wrong horse")
    assert not verify_password("not a hash", "correct horse")


def test_tokens_round_trip_and_refuse_tampering():
    settings = ApiSettings(secret_key="a" * 40)
    who = Principal(username="li", role="township", scope_code="623021100")
    assert read_token(settings=settings, token=issue_token(settings=settings, principal=who)) == who
    other = ApiSettings(secret_key="b" * 40)
    from api.auth import InvalidToken

    with pytest.raises(InvalidToken):
        read_token(settings=other, token=issue_token(settings=settings, principal=who))
    forged = jwt.encode({"sub": "li", "role": "county_centre"}, "", algorithm="none")
    with pytest.raises(InvalidToken):
        read_token(settings=settings, token=forged)
    with pytest.raises(InvalidToken):
        read_token(settings=settings, token="a.b.c")


def test_login_gives_a_token_that_opens_the_api(client, demo_users):
    user = demo_users["township"]
    response = login(client, user.username, user.password)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["role"] == "township"
    assert response.cookies.get("wangge_token")
    me = client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    ).json()
    assert me == {
        "username": user.username,
        "role": "township",
        "scope_code": user.scope_code,
        "sees_personal_data": True,
    }


def test_the_login_cookie_authorises_browser_requests(live_server, demo_users):
    user = demo_users["viewer"]
    with httpx.Client(base_url=live_server, timeout=60) as browser:
        assert login(browser, user.username, user.password).status_code == 200
        assert browser.get("/api/v1/auth/me").json()["role"] == "viewer"
        browser.post("/api/v1/auth/logout")
        browser.cookies.clear()
        assert browser.get("/api/v1/auth/me").status_code == 401


def test_wrong_password_and_unknown_user_are_401(client, demo_users):
    assert login(client, demo_users["viewer"].username, "nope-nope").status_code == 401
    response = login(client, "nobody-at-all", "nope-nope")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_no_token_bad_token_and_expired_token_are_401(client):
    assert client.get("/api/v1/grids").status_code == 401
    bad = client.get("/api/v1/grids", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401
    settings = ApiSettings()
    expired = jwt.encode(
        {
            "sub": "x",
            "role": "county_centre",
            "iss": "wangge",
            "iat": dt.datetime.now(dt.UTC) - dt.timedelta(hours=2),
            "exp": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        },
        settings.secret_key,
        algorithm="HS256",
    )
    response = client.get("/api/v1/grids", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and "expired" in response.text


def test_failed_logins_are_throttled_per_name_and_address(client, demo_users):
    user = demo_users["partner"]
    for _ in range(5):
        assert login(client, user.username, "wrong-password").status_code == 401
    refused = login(client, user.username, user.password)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    other = demo_users["grid_leader"]
    assert login(client, other.username, other.password).status_code == 200


def test_throttle_window_expires_and_success_clears():
    now = [0.0]
    throttle = LoginThrottle(per_user=3, per_client=5, window=60, clock=lambda: now[0])
    for _ in range(3):
        throttle.failed(username="Li", client="10.0.0.1")
    assert throttle.retry_after(username="li", client="10.0.0.1") == pytest.approx(60)
    assert throttle.retry_after(username="li", client="10.0.0.2") == 0
    now[0] = 61
    assert throttle.retry_after(username="li", client="10.0.0.1") == 0
    for name in "abcde":
        throttle.failed(username=name, client="10.0.0.3")
    assert throttle.retry_after(username="fresh", client="10.0.0.3") > 0


def test_logins_are_audited(client, demo_users, demo_db):
    user = demo_users["county_centre"]
    assert login(client, user.username, user.password).status_code == 200
    rows = audit.entries(session=demo_db, object_type="login", username=user.username)
    assert rows and rows[0]["action"] == "login" and rows[0]["role"] == "county_centre"


def test_cli_user_add_then_login(migrated_url, monkeypatch, start_server):
    from api.cli import app as cli

    monkeypatch.setenv("DATABASE_URL", migrated_url)
    runner = CliRunner()
    monkeypatch.setenv("WANGGE_PASSWORD", "a-long-enough-password")
    done = runner.invoke(cli, ["user", "add", "cli_centre", "--role", "county_centre"])
    assert done.exit_code == 0, done.output
    monkeypatch.delenv("WANGGE_PASSWORD")
    piped = runner.invoke(
        cli,
        [
            "user",
            "add",
            "cli_town",
            "--role",
            "township",
            "--scope",
            "623021100",
            "--password-stdin",
        ],
        input="another-long-password\n",
    )
    assert piped.exit_code == 0, piped.output
    again = runner.invoke(
        cli, ["user", "add", "cli_town", "--role", "viewer", "--password-stdin"], input="x" * 12
    )
    assert again.exit_code != 0 and "exists" in again.output
    no_scope = runner.invoke(
        cli,
        ["user", "add", "cli_grid", "--role", "grid_leader", "--password-stdin"],
        input="y" * 12,
    )
    assert no_scope.exit_code != 0 and "scope" in no_scope.output
    short = runner.invoke(
        cli, ["user", "add", "cli_short", "--role", "viewer", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0 and "too short" in short.output
    base = start_server(migrated_url)
    with httpx.Client(base_url=base, timeout=60) as http:
        token = login(http, "cli_town", "another-long-password").json()
        assert token["role"] == "township" and token["scope_code"] == "623021100"


def test_the_demo_has_an_account_per_role(client):
    from geo.accounts.demo import DEMO_PASSWORD

    for role in ("county_centre", "township", "grid_leader", "partner", "viewer"):
        response = login(client, f"demo_{role}", DEMO_PASSWORD)
        assert response.status_code == 200, (role, response.text)
        assert response.json()["role"] == role


def test_the_login_page_sends_only_to_local_paths(client):
    page = client.get("/login", params={"next": "https://evil.example/x"}).text
    assert "evil.example" not in page and '"/maps/command-room"' in page
    page = client.get("/login", params={"next": "/maps/hotspots</script><script>x()"}).text
    assert "</script><script>x()" not in page and "/maps/hotspots" in page
