"""docker-compose.yml is a valid Compose file whose services run what the README promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_the_compose_file_is_valid_against_the_compose_specification():
    checked = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
         str(ROOT / "docker-compose.yml")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_worker_and_the_optional_dask_cluster_run_in_production_mode():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    worker = services["worker"]
    assert worker["command"] == ["wangge", "worker"]
    assert str(worker["environment"]["WANGGE_PRODUCTION"]) == "1"
    assert "wangge_secret_key" in worker["secrets"]
    assert services["dask-scheduler"]["profiles"] == ["scale"]
    assert services["dask-worker"]["profiles"] == ["scale"]
    assert "tcp://dask-scheduler:8786" in services["dask-worker"]["command"]
    assert "profiles" not in services["api"] and "profiles" not in worker
