"""The commands the README shows exist and run from a fresh shell after the two set-up commands."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
WORD = re.compile(r"[a-z][a-z-]*$")


def _commands_in(text: str) -> list[tuple[str, ...]]:
    """Every `wangge …` command path shown in the text: the leading sub-command words."""
    found: set[tuple[str, ...]] = set()
    for match in re.finditer(r"(?:\./|uv run |`)wangge((?: [^\s`|]+)+)", text):
        words: list[str] = []
        for word in match.group(1).split():
            if not WORD.match(word) or len(words) == 2:
                break
            words.append(word)
        if words:
            found.add(tuple(words))
    return sorted(found)


def _fresh_shell_env() -> dict[str, str]:
    """What a new login shell has: HOME and the system PATH, none of this session's additions."""
    return {"HOME": os.environ["HOME"], "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}


def test_the_wrapper_runs_in_a_fresh_shell_from_any_folder(tmp_path):
    done = subprocess.run(
        [str(ROOT / "wangge"), "--help"],
        cwd=tmp_path,
        env=_fresh_shell_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout


def test_the_readme_shows_commands_through_the_wrapper():
    assert "./wangge load admin-units" in README
    assert "uv run wangge load" not in README


@pytest.mark.parametrize("words", _commands_in(README), ids=" ".join)
def test_every_command_the_readme_shows_exists(words):
    result = CliRunner().invoke(app, [*words, "--help"])
    shown = " ".join(words)
    assert result.exit_code == 0, f"`wangge {shown}` 不存在 (does not exist): {result.output}"
