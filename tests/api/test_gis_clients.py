"""The GDAL commands of docs/gis-clients.md, run as written against a served demo county."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import httpx
import pyogrio

DOC = Path(__file__).resolve().parents[2] / "docs" / "gis-clients.md"


def _gdal_block() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## GDAL") :]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def test_the_documented_gdal_commands_export_the_layers_and_revoke_the_token(
    process_server, demo_url, role_users, tmp_path
):
    account = role_users(demo_url)["viewer"]  # its own account: the script logs it out
    script = _gdal_block() + 'printf %s "$TOKEN" > token.txt\n'
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ["HOME"],
        "WANGGE": process_server,
        "WANGGE_USER": account.username,
        "WANGGE_PASSWORD": account.password,
    }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Feature Count" in done.stdout

    assert pyogrio.read_info(tmp_path / "grids.gpkg")["features"] == 770
    townships = pyogrio.read_dataframe(tmp_path / "townships.gpkg")
    assert len(townships) == 16 and set(townships["level"]) == {"township"}
    near = pyogrio.read_dataframe(tmp_path / "addresses_near.gpkg")
    assert 0 < len(near) < 30_000
    bounds = near.total_bounds
    assert bounds[0] >= 103.34 and bounds[2] <= 103.36

    token = (tmp_path / "token.txt").read_text()
    revoked = httpx.get(
        f"{process_server}/ogc/collections", headers={"Authorization": f"Bearer {token}"}
    )
    assert revoked.status_code == 401
