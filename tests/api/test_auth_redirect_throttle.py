"""The login page never sends the browser to another host; failed logins back off per
account and per client, the client being the peer unless a configured proxy vouches."""

from __future__ import annotations

import threading
import uuid

import httpx
import pytest
from starlette.requests import Request

from api.ratelimit import LoginThrottle, client_address
from api.routers.auth import SAFE_DEFAULT, safe_next
from api.settings import ApiSettings

HOSTILE_NEXT = [
    "/%09/evil.example/x",
    "/\t/evil.example/x",
    "/\n/evil.example",
    "//evil.example",
    "///evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "/%2F/evil.example",
    "%2F%2Fevil.example",
    "https://evil.example/x",
    "javascript:alert(1)",
    "evil.example",
    " //evil.example",
    "/%2509/evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_off_this_site_goes_to_the_default(target):
    assert safe_next(target) == SAFE_DEFAULT


@pytest.mark.parametrize("target", ["/maps/hotspots", "/maps/command-room?layer=grids#x"])
def test_next_on_this_site_is_kept(target):
    assert safe_next(target) == target


def test_the_login_page_refuses_hostile_next(live_server):
    with httpx.Client(base_url=live_server, timeout=60) as http:
        for target in HOSTILE_NEXT:
            page = http.get("/login", params={"next": target}).text
            assert "evil.example" not in page and f'"{SAFE_DEFAULT}"' in page, target
        raw = http.get("/login?next=/%09/evil.example/x").text
        assert "evil.example" not in raw


def _request(peer: str, forwarded: list[str]) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "client": (peer, 5000), "headers": headers})


def test_forwarded_headers_count_only_from_configured_proxies():
    none = ApiSettings(secret_key="k" * 40)
    assert client_address(_request("203.0.113.9", ["10.9.9.9"]), none.is_trusted_proxy) == (
        "203.0.113.9"
    )
    proxied = ApiSettings(secret_key="k" * 40, trusted_proxies="10.20.0.5, 10.30.0.0/24")
    trusted = proxied.is_trusted_proxy
    assert client_address(_request("10.20.0.5", ["198.51.100.7"]), trusted) == "198.51.100.7"
    # the client's own claim sits to the left of what the proxies appended
    chain = _request("10.20.0.5", ["6.6.6.6, 198.51.100.7, 10.30.0.8"])
    assert client_address(chain, trusted) == "198.51.100.7"
    assert client_address(_request("203.0.113.9", ["6.6.6.6"]), trusted) == "203.0.113.9"
    assert client_address(_request("10.20.0.5", []), trusted) == "10.20.0.5"
    with pytest.raises(ValueError, match="WANGGE_TRUSTED_PROXIES"):
        ApiSettings(secret_key="k" * 40, trusted_proxies="not-an-address")


def _throttle(engine, now: list[float], **policy) -> LoginThrottle:
    return LoginThrottle(engine, clock=lambda: now[0], **policy)


def test_account_back_off_grows_and_success_clears(engine):
    now, tag = [0.0], uuid.uuid4().hex[:8]
    throttle = _throttle(engine, now, account_limit=3, account_wait=1, client_limit=100)
    name, clients = f"Li{tag}", [f"10.0.0.{n}-{tag}" for n in range(10)]
    for client in clients[1:4]:
        throttle.admit(username=name, client=client)
    assert throttle.admit(username=name.lower(), client=clients[9]) == pytest.approx(1)
    now[0] = 1.0
    throttle.admit(username=name.lower(), client=clients[4])
    assert throttle.admit(username=name.lower(), client=clients[9]) == pytest.approx(2)
    assert throttle.admit(username=f"wang{tag}", client=clients[4]) == 0
    throttle.succeeded(username=name.lower(), client=clients[9])
    assert throttle.admit(username=name.lower(), client=clients[4]) == 0


def test_one_address_never_locks_out_everyone_behind_it(engine):
    now, tag = [0.0], uuid.uuid4().hex[:8]
    throttle = _throttle(engine, now)
    nat, other = f"10.0.0.1-{tag}", f"10.0.0.2-{tag}"
    for attempt in range(200):
        throttle.admit(username=f"guess{attempt}-{tag}", client=nat)
    wait = throttle.admit(username=f"colleague{tag}", client=nat)
    assert 0 < wait <= throttle.client_cap
    now[0] += wait
    assert throttle.admit(username=f"colleague{tag}", client=nat) == 0
    assert throttle.admit(username=f"colleague{tag}", client=other) == 0


def test_counts_are_forgotten_after_the_window(engine):
    now, tag = [0.0], uuid.uuid4().hex[:8]
    throttle = _throttle(engine, now, account_limit=2, account_wait=600, window=900)
    for _ in range(3):
        throttle.admit(username=f"zhao{tag}", client=f"c-{tag}")
    assert throttle.admit(username=f"zhao{tag}", client=f"c-{tag}") > 0
    now[0] = 900.0
    assert throttle.admit(username=f"zhao{tag}", client=f"c-{tag}") == 0


def _login(http, username, password, address):
    return http.post(
        "/api/v1/auth/token",
        data={"username": username, "password": password},
        headers={"X-Forwarded-For": address},
    )


def test_spoofed_forwarded_for_does_not_escape_the_throttle(demo_url, role_users, start_server):
    user = role_users(demo_url)["township"]  # its own account: the lock-out is shared
    with httpx.Client(base_url=start_server(demo_url), timeout=60) as http:
        for attempt in range(5):
            answer = _login(http, user.username, "wrong-password", f"198.51.100.{attempt}")
            assert answer.status_code == 401
        refused = _login(http, user.username, user.password, "198.51.100.77")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0


def test_failures_from_one_address_do_not_lock_another_account(demo_url, role_users, start_server):
    settings = ApiSettings(trusted_proxies="127.0.0.1")
    accounts = role_users(demo_url)
    victim, colleague = accounts["partner"], accounts["viewer"]
    with httpx.Client(base_url=start_server(demo_url, settings=settings), timeout=60) as http:
        for _ in range(6):
            assert _login(http, victim.username, "wrong", "10.1.1.1").status_code in (401, 429)
        assert _login(http, colleague.username, colleague.password, "10.1.1.1").status_code == 200
        assert _login(http, colleague.username, colleague.password, "10.2.2.2").status_code == 200
        assert _login(http, victim.username, victim.password, "10.2.2.2").status_code == 429


def test_attempts_sent_at_the_same_instant_are_let_through_one_by_one(engine):
    """Twelve attempts on one account at once, each from its own throttle (standing in for a
    server process) and its own address: exactly the account's limit may go ahead; a correct
    one among them gives its attempt back to its client."""
    tag, callers, limit = uuid.uuid4().hex[:8], 12, 5
    start = threading.Barrier(callers)
    waits: list[float] = []

    def attempt(n: int) -> None:
        throttle = _throttle(engine, [0.0], account_limit=limit, account_wait=30)
        start.wait()
        waits.append(throttle.admit(username=f"sun{tag}", client=f"10.8.0.{n}-{tag}"))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(waits) == callers
    assert waits.count(0.0) == limit
    assert all(w == pytest.approx(30) for w in waits if w > 0)

    throttle = _throttle(engine, [0.0], client_limit=2, client_wait=5)
    address = f"10.8.1.1-{tag}"
    assert throttle.admit(username=f"qian{tag}", client=address) == 0
    throttle.succeeded(username=f"qian{tag}", client=address)
    assert throttle.admit(username=f"qian{tag}", client=address) == 0
    throttle.succeeded(username=f"qian{tag}", client=address)
    # two correct logins in a row leave the address no failures: a third attempt goes ahead
    assert throttle.admit(username=f"qian{tag}", client=address) == 0
