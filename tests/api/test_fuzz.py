"""Property-based fuzzing of every operation in /openapi.json with schemathesis (bounded).

The app runs in its own process on a private copy of the demo county (fuzzed writes land
there), called as the county centre so that every operation is reached. Each operation gets
``MAX_EXAMPLES`` valid and ``MAX_EXAMPLES`` invalid generated requests (hypothesis,
derandomised so a run is repeatable). The check is the one that matters for hardening: no
generated input, valid or not, gets a 5xx.
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.api.conftest import make_role_users, serve_in_process, stop_process

MAX_EXAMPLES = 10


@pytest.fixture(scope="module")
def fuzz_target(new_database, demo_template):
    """``(base_url, headers)`` of a server on a private copy of the demo database."""
    url = new_database(template=demo_template, kind="fuzz")
    headers = make_role_users(url)["county_centre"].headers
    proc, base = serve_in_process(url)
    yield base, headers
    stop_process(proc)


def _fuzz(operation, mode: GenerationMode, base: str, headers: dict, failures: list) -> int:
    sent = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case) -> None:
        nonlocal sent
        response = case.call(base_url=base, headers=headers, timeout=120)
        sent += 1
        if response.status_code >= 500:
            failures.append(
                f"{operation.label} [{mode.value}] -> {response.status_code}: "
                f"{case.as_curl_command(headers=headers)[:400]}"
            )

    try:
        run()
    except Unsatisfiable:
        # an operation without inputs (or whose inputs accept anything) has no invalid request
        assert mode is GenerationMode.NEGATIVE, operation.label
    return sent


def test_no_generated_input_gets_a_server_error(fuzz_target):
    base, headers = fuzz_target
    spec = httpx.get(f"{base}/openapi.json", timeout=60).json()
    schema = schemathesis.openapi.from_dict(spec)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 15
    failures: list[str] = []
    sent = 0
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            sent += _fuzz(operation, mode, base, headers, failures)
    assert sent > len(operations) * 2
    assert failures == [], "\n".join(failures)
