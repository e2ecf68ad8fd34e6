"""Logging in, tokens, the signing secret, production mode and the ``wangge user add`` command."""

from __future__ import annotations

import datetime as dt
import pathlib
import secrets
from types import SimpleNamespace

import httpx
import jwt
import pytest
from typer.testing import CliRunner

from api.app import create_app
from api.auth import (
    InsecureSettings,
    InvalidToken,
    TokenClaims,
    hash_password,
    issue_token,
    read_token,
    verify_password,
    weak_secret_reason,
)
from api.settings import ApiSettings
from geo.accounts import audit


@pytest.fixture
def client(live_server):
    with httpx.Client(base_url=live_server, timeout=60) as http:
        yield http


def login(client, username, password):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


OLD_PUBLIC_SECRET = "change-me-wangge-development-secret"


@pytest.mark.parametrize(
    "secret",
    [OLD_PUBLIC_SECRET, "short", "x" * 40, " " * 32, "\t" * 40, "ab" * 20, "0123456789" * 4],
)
def test_production_refuses_a_weak_secret(secret):
    with pytest.raises(InsecureSettings, match="WANGGE_SECRET_KEY"):
        create_app(settings=ApiSettings(production=True, secret_key=secret))


def test_production_accepts_a_random_secret():
    create_app(settings=ApiSettings(production=True, secret_key=secrets.token_hex(32)))


def test_secret_comes_from_the_environment(monkeypatch):
    strong = secrets.token_urlsafe(40)
    monkeypatch.setenv("WANGGE_SECRET_KEY", strong)
    monkeypatch.setenv("WANGGE_PRODUCTION", "1")
    settings = ApiSettings()
    assert settings.production and settings.secret_key == strong
    create_app(settings=settings)


def test_secret_file_overrides_the_instance_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("WANGGE_SECRET_KEY", raising=False)
    path = tmp_path / "docker_secret"
    path.write_text(secrets.token_hex(32) + "\n")
    monkeypatch.setenv("WANGGE_SECRET_FILE", str(path))
    assert ApiSettings().secret_key == path.read_text().strip()


def test_without_a_secret_the_instance_makes_its_own(monkeypatch, tmp_path):
    monkeypatch.delenv("WANGGE_SECRET_KEY", raising=False)
    monkeypatch.delenv("WANGGE_SECRET_FILE", raising=False)
    monkeypatch.setenv("WANGGE_DATA_DIR", str(tmp_path / "data"))
    first = ApiSettings().secret_key
    kept = tmp_path / "data" / "secret_key"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert first == kept.read_text().strip() == ApiSettings().secret_key
    assert first != OLD_PUBLIC_SECRET and weak_secret_reason(first) is None
    monkeypatch.setenv("WANGGE_DATA_DIR", str(tmp_path / "other"))
    assert ApiSettings().secret_key != first


def test_no_secret_is_written_in_the_code():
    import api.settings

    assert OLD_PUBLIC_SECRET not in pathlib.Path(api.settings.__file__).read_text()
    assert ApiSettings.model_fields["secret_key"].default == ""


def test_a_token_signed_with_the_old_public_secret_is_refused(client, demo_users):
    user = demo_users["county_centre"]
    now = dt.datetime.now(dt.UTC)
    forged = jwt.encode(
        {"sub": user.username, "role": "county_centre", "uid": 1, "ver": 1, "iss": "wangge",
         "iat": now, "exp": now + dt.timedelta(hours=1)},
        OLD_PUBLIC_SECRET,
        algorithm="HS256",
    )  # fmt: skip
    for url in ("/api/v1/auth/me", "/api/v1/disputes?limit=1"):
        response = client.get(url, headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401, url


def test_a_token_for_a_user_who_does_not_exist_is_refused(client):
    nobody = SimpleNamespace(id=10**9, username="ghost_centre", token_version=1)
    token = issue_token(settings=ApiSettings(), user=nobody)
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_role_and_scope_come_from_the_account_not_the_token(client, demo_users):
    user = demo_users["viewer"]
    claims = jwt.decode(user.token, options={"verify_signature": False})
    assert "role" not in claims and "scope_code" not in claims
    assert client.get("/api/v1/auth/me", headers=user.headers).json()["role"] == "viewer"


def test_passwords_are_argon2id_hashes():
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "wrong horse")
    assert not verify_password("not a hash", "correct horse")


def test_tokens_round_trip_and_refuse_tampering():
    settings = ApiSettings(secret_key=secrets.token_hex(32))
    who = SimpleNamespace(id=7, username="li", token_version=3)
    claims = read_token(settings=settings, token=issue_token(settings=settings, user=who))
    assert claims == TokenClaims(username="li", user_id=7, version=3)
    other = ApiSettings(secret_key=secrets.token_hex(32))
    with pytest.raises(InvalidToken):
        read_token(settings=other, token=issue_token(settings=settings, user=who))
    forged = jwt.encode({"sub": "li", "uid": 7, "ver": 3}, "", algorithm="none")
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


def test_the_login_cookie_authorises_browser_requests(live_server, demo_url, role_users):
    user = role_users(demo_url)["viewer"]  # its own account: logging out ends its tokens
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
            "uid": 1,
            "ver": 1,
            "iss": "wangge",
            "iat": dt.datetime.now(dt.UTC) - dt.timedelta(hours=2),
            "exp": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        },
        settings.secret_key,
        algorithm="HS256",
    )
    response = client.get("/api/v1/grids", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and "expired" in response.text


def test_failed_logins_are_throttled_per_account(client, demo_users):
    user = demo_users["partner"]
    for _ in range(5):
        assert login(client, user.username, "wrong-password").status_code == 401
    refused = login(client, user.username, user.password)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    other = demo_users["grid_leader"]
    assert login(client, other.username, other.password).status_code == 200


def test_logins_are_audited(client, demo_users, demo_db):
    user = demo_users["county_centre"]
    assert login(client, user.username, user.password).status_code == 200
    rows = audit.entries(session=demo_db, object_type="login", username=user.username)
    assert rows and rows[0]["action"] == "login" and rows[0]["role"] == "county_centre"


def test_cli_user_add_then_login(fresh_demo_url, demo_users, monkeypatch, start_server):
    from api.cli import app as cli

    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    township = demo_users["township"].scope_code
    runner = CliRunner()
    monkeypatch.setenv("WANGGE_PASSWORD", "a-long-enough-password")
    done = runner.invoke(cli, ["user", "add", "cli_centre", "--role", "county_centre"])
    assert done.exit_code == 0, done.output
    monkeypatch.delenv("WANGGE_PASSWORD")
    piped = runner.invoke(
        cli,
        ["user", "add", "cli_town", "--role", "township", "--scope", township, "--password-stdin"],
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
    base = start_server(fresh_demo_url)
    with httpx.Client(base_url=base, timeout=60) as http:
        token = login(http, "cli_town", "another-long-password").json()
        assert token["role"] == "township" and token["scope_code"] == township


def test_cli_user_add_refuses_a_scope_that_does_not_exist(fresh_demo_url, monkeypatch):
    from api.cli import app as cli

    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    runner = CliRunner()
    for role, scope in (
        ("township", "999999999"),
        ("grid_leader", "9999999999990001"),
        ("partner", "no-such-facility"),
        ("county_centre", "999999"),
    ):
        refused = runner.invoke(
            cli,
            ["user", "add", f"ghost_{role}", "--role", role, "--scope", scope, "--password-stdin"],
            input="a-long-enough-password\n",
        )
        assert refused.exit_code != 0 and scope in refused.output, (role, refused.output)
    listed = runner.invoke(cli, ["user", "list"])
    assert listed.exit_code == 0 and "ghost_" not in listed.output


def test_the_demo_has_an_account_per_role(client):
    from geo.accounts.demo import DEMO_PASSWORD

    for role in ("county_centre", "township", "grid_leader", "partner", "viewer"):
        response = login(client, f"demo_{role}", DEMO_PASSWORD)
        assert response.status_code == 200, (role, response.text)
        assert response.json()["role"] == role


def test_the_login_page_escapes_next(client):
    page = client.get("/login", params={"next": "/maps/hotspots</script><script>x()"}).text
    assert "</script><script>x()" not in page and "/maps/hotspots" in page
