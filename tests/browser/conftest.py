"""Headless Chromium for page tests, with the network cut off.

Fixtures
  ``browser``       session: Debian's /usr/bin/chromium driven by Playwright (never a
                    downloaded browser).
  ``page``          function: a fresh page that records every failed request, every HTTP
                    error response, every console error and uncaught exception, and every
                    request to a host other than loopback (which is aborted). The test fails
                    at teardown if any was recorded; ``page.problems`` lists them earlier.
  ``static_site``   session: ``(directory, base_url)`` of a local HTTP server in a thread that
                    serves ``maps/static`` at ``/static`` and any page a test writes into
                    ``directory``.
  ``artifacts``     session: the ``tests/artifacts/`` folder (gitignored) for screenshots.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and other outputs a person may want to look at."""
    folder = REPO / "tests" / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the OS packages."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        return


@pytest.fixture(scope="session")
def static_site(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """A loopback HTTP server over a temp folder that links ``maps/static`` as ``/static``."""
    root = tmp_path_factory.mktemp("site")
    (root / "static").symlink_to(REPO / "maps" / "static", target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser):
    """A page that may talk to loopback only and must produce no errors of any kind."""
    context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    problems: list[str] = []
    outside: list[str] = []

    def route(r):
        host = urlsplit(r.request.url).hostname or ""
        local = r.request.url.startswith(("data:", "blob:", "about:", "file:"))
        if local or host in LOOPBACK:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.on("requestfailed", lambda req: problems.append(f"request failed: {req.url} {req.failure}"))
    pg.on(
        "response",
        lambda resp: (
            problems.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None
        ),
    )
    pg.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.problems = problems
    pg.outside_requests = outside
    yield pg
    context.close()
    assert not outside, f"requests to non-loopback hosts were attempted: {outside}"
    assert not problems, "the page reported problems:\n" + "\n".join(problems)
