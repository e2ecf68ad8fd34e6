"""Tokens end with the account: disable, remove, role change, password reset and logout each
stop the old token on its next request, from the command line and over the API alike."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app as cli


def _works(http: httpx.Client, token: str) -> int:
    return http.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code


def _login(http: httpx.Client, username: str, password: str) -> str:
    response = http.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.fixture
def server(fresh_demo_url, start_server, role_users, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", fresh_demo_url)
    accounts = role_users(fresh_demo_url)
    with httpx.Client(base_url=start_server(fresh_demo_url), timeout=60) as http:
        yield http, accounts


CLI_ACTIONS = {
    "disable": lambda user: (["user", "disable", user.username], None),
    "remove": lambda user: (["user", "remove", user.username], None),
    "set-role": lambda user: (["user", "set-role", user.username, "--role", "viewer"], None),
    "reset-password": lambda user: (
        ["user", "reset-password", user.username, "--password-stdin"],
        "a-brand-new-password\n",
    ),
}


def test_each_revoking_command_ends_the_old_token(server):
    http, accounts = server
    runner = CliRunner()
    for action, user in zip(
        CLI_ACTIONS, ("township", "grid_leader", "partner", "viewer"), strict=True
    ):
        account = accounts[user]
        token = _login(http, account.username, account.password)
        assert _works(http, token) == 200
        args, stdin = CLI_ACTIONS[action](account)
        done = runner.invoke(cli, args, input=stdin)
        assert done.exit_code == 0, (action, done.output)
        assert _works(http, token) == 401, action
        assert _works(http, account.token) == 401, action


def test_enable_after_disable_needs_a_new_login(server):
    http, accounts = server
    runner = CliRunner()
    account = accounts["township"]
    token = _login(http, account.username, account.password)
    assert runner.invoke(cli, ["user", "disable", account.username]).exit_code == 0
    refused = http.post(
        "/api/v1/auth/token", data={"username": account.username, "password": account.password}
    )
    assert refused.status_code == 401
    assert runner.invoke(cli, ["user", "enable", account.username]).exit_code == 0
    assert _works(http, token) == 401
    assert _works(http, _login(http, account.username, account.password)) == 200
    listed = runner.invoke(cli, ["user", "list"])
    assert listed.exit_code == 0 and account.username in listed.output


def test_logout_ends_the_token(server):
    http, accounts = server
    account = accounts["county_centre"]
    token = _login(http, account.username, account.password)
    assert _works(http, token) == 200
    out = http.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert out.status_code == 204
    assert _works(http, token) == 401


def test_a_removed_name_made_again_does_not_revive_old_tokens(server):
    http, accounts = server
    runner = CliRunner()
    account = accounts["viewer"]
    old = _login(http, account.username, account.password)
    assert runner.invoke(cli, ["user", "remove", account.username]).exit_code == 0
    again = runner.invoke(
        cli,
        ["user", "add", account.username, "--role", "viewer", "--password-stdin"],
        input="yet-another-password\n",
    )
    assert again.exit_code == 0, again.output
    assert _works(http, old) == 401


def test_the_county_centre_manages_accounts_over_the_api(server):
    http, accounts = server
    centre = {"Authorization": f"Bearer {accounts['county_centre'].token}"}
    listed = http.get("/api/v1/users", headers=centre)
    assert listed.status_code == 200
    assert accounts["partner"].username in {u["username"] for u in listed.json()["users"]}
    assert "password_hash" not in listed.text
    for role in ("township", "grid_leader", "partner", "viewer"):
        other = {"Authorization": f"Bearer {accounts[role].token}"}
        assert http.get("/api/v1/users", headers=other).status_code == 403, role

    township = accounts["township"]
    made = http.post(
        "/api/v1/users",
        headers=centre,
        json={"username": "api_town", "password": "long-enough-pw", "role": "township",
              "scope_code": township.scope_code},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    ghost = http.post(
        "/api/v1/users",
        headers=centre,
        json={"username": "api_ghost", "password": "long-enough-pw", "role": "township",
              "scope_code": "999999999"},
    )  # fmt: skip
    assert ghost.status_code == 422 and "999999999" in ghost.text

    steps = [
        ("post", "/disable", None),
        ("post", "/enable", None),
        ("put", "/role", {"role": "viewer"}),
        ("post", "/password", {"password": "another-long-pw"}),
        ("delete", "", None),
    ]
    password = "long-enough-pw"
    for method, suffix, body in steps:
        token = _login(http, "api_town", password)
        answer = http.request(method, f"/api/v1/users/api_town{suffix}", headers=centre, json=body)
        assert answer.status_code in (200, 204), (suffix, answer.text)
        assert _works(http, token) == 401, suffix
        if suffix == "/disable":
            http.post("/api/v1/users/api_town/enable", headers=centre)
        if suffix == "/password":
            password = "another-long-pw"
    assert http.get("/api/v1/users", headers=centre).json()["users"]
    assert http.delete("/api/v1/users/api_town", headers=centre).status_code == 404
