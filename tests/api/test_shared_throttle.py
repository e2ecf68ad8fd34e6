"""The login throttle and the citizens' rate limits hold for the whole service, not per
server process: two apps on one database (standing in for two ``wangge serve`` workers) count
together, a real ``wangge serve --workers 2`` locks an account out whichever worker answers,
and without the database the login and the public doors answer 503."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from api.app import create_app
from tests.served_workers import free_port, wangge_with_workers, worker_pids

REPO = Path(__file__).resolve().parents[2]


def _login(client, username: str, password: str):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


@pytest.fixture
def two_workers(demo_url):
    """Two apps (each with its own engine, as two worker processes have) on ``demo_url``,
    called from one client address."""

    def clients(address: str) -> list[TestClient]:
        return [
            stack.enter_context(
                TestClient(create_app(database_url=demo_url), client=(address, 50000))
            )
            for _ in range(2)
        ]

    with ExitStack() as stack:
        yield clients


def test_failures_split_across_two_workers_lock_the_account_after_five(
    two_workers, demo_url, role_users
):
    user = role_users(demo_url)["grid_leader"]
    first, second = two_workers("203.0.113.41")
    for attempt in range(5):
        worker = (first, second)[attempt % 2]
        assert _login(worker, user.username, "wrong-password").status_code == 401
    for worker in (first, second):
        refused = _login(worker, user.username, user.password)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert "登录失败次数过多" in refused.json()["detail"]


def test_a_success_on_one_worker_clears_the_count_for_both(two_workers, demo_url, role_users):
    user = role_users(demo_url)["viewer"]
    first, second = two_workers("203.0.113.42")
    for worker in (first, second, first, second):
        assert _login(worker, user.username, "wrong-password").status_code == 401
    assert _login(first, user.username, user.password).status_code == 200
    for worker in (second, first, second, first):
        assert _login(worker, user.username, "wrong-password").status_code == 401
    assert _login(second, user.username, user.password).status_code == 200


def test_the_citizens_read_limit_counts_hits_on_both_workers(two_workers, monkeypatch):
    monkeypatch.setenv("WANGGE_CITIZEN_READS_PER_MINUTE", "3")
    first, second = two_workers("203.0.113.43")
    for worker in (first, second, first):
        assert worker.get("/api/v1/citizen/challenge").status_code == 200
    for worker in (second, first):
        refused = worker.get("/api/v1/citizen/challenge")
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert "操作太频繁" in refused.json()["detail"]
    _, elsewhere = two_workers("203.0.113.44")
    assert elsewhere.get("/api/v1/citizen/challenge").status_code == 200


def test_without_the_database_login_and_public_reads_answer_503():
    nowhere = f"postgresql+psycopg://wangge@127.0.0.1:{free_port()}/nowhere"
    with TestClient(create_app(database_url=nowhere)) as client:
        login = _login(client, "anyone", "anything")
        assert login.status_code == 503 and login.headers["retry-after"]
        assert "数据库" in login.json()["detail"]
        read = client.get("/api/v1/citizen/challenge")
        assert read.status_code == 503 and read.headers["retry-after"]


def test_wangge_serve_with_two_workers_locks_the_account_out_on_both(
    demo_url, role_users, tmp_path
):
    user = role_users(demo_url)["partner"]
    with wangge_with_workers(demo_url, 2, tmp_path / "serve.log") as base:
        # a new connection per request, so the kernel hands them to either worker
        for _ in range(5):
            wrong = httpx.post(
                f"{base}/api/v1/auth/token",
                data={"username": user.username, "password": "wrong-password"},
                timeout=60,
            )
            assert wrong.status_code == 401
        answers = [
            httpx.post(
                f"{base}/api/v1/auth/token",
                data={"username": user.username, "password": user.password},
                timeout=60,
            )
            for _ in range(8)
        ]
        assert [a.status_code for a in answers] == [429] * 8
        assert all(int(a.headers["retry-after"]) > 0 for a in answers)
    assert len(worker_pids(tmp_path / "serve.log")) == 2
