"""The layers hold: each package imports only what docs/architecture.md allows.

Every import statement of every module is read (top-level and inside functions alike, since a
lazy import is still an arrow), so a new arrow the wrong way fails here with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("core", "geo", "services", "models", "maps", "api", "demo")

# package -> what it must never import (project packages and third-party ones)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "core": ("geo", "services", "models", "maps", "api", "demo", "sqlalchemy", "fastapi"),
    "geo": ("models", "maps", "services", "api", "demo", "fastapi"),
    "models": ("geo", "api", "maps", "services", "demo", "sqlalchemy", "fastapi"),
    "maps": ("api", "services", "geo", "demo", "sqlalchemy", "fastapi"),
    "services": ("api", "demo", "fastapi"),
    "demo": ("api",),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in ``path``, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from api import routers` / `from api.routers import x` both name a router module
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return found


def modules_of(package: str) -> list[Path]:
    """Every .py file of a top-level package (migrations included: they are part of geo)."""
    return sorted((ROOT / package).rglob("*.py"))


def _top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_nothing_it_must_not(package):
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in modules_of(package)
        for line, module in imported_modules(path)
        if _top(module) in FORBIDDEN[package]
    ]
    assert not offences, "\n".join(offences)


def test_core_imports_nothing_of_the_project_but_itself():
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in modules_of("core")
        for line, module in imported_modules(path)
        if _top(module) in PROJECT and _top(module) != "core"
    ]
    assert not offences, "\n".join(offences)


def test_routers_do_not_import_routers():
    offences = []
    for path in sorted((ROOT / "api/routers").glob("*.py")):
        for line, module in imported_modules(path):
            if module.startswith("api.routers.") and module != "api.routers.__init__":
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not offences, "\n".join(offences)


def test_command_line_does_not_import_routers():
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / "api/cli").glob("*.py"))
        for line, module in imported_modules(path)
        if module == "api.routers"
        or module.startswith("api.routers.")
        or (module == "api.app" and path.name != "serve.py")
    ]
    assert not offences, "\n".join(offences)


def test_sql_only_in_the_data_layer():
    """Only geo/ builds SQL text; everyone else calls geo functions."""
    offences = []
    for package in ("core", "services", "models", "maps", "api", "demo"):
        for path in modules_of(package):
            for line, module in imported_modules(path):
                if module in ("sqlalchemy.text", "geo.database.sqlfiles") or module.startswith(
                    "geo.database.sqlfiles."
                ):
                    offences.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not offences, "\n".join(offences)


def test_sql_files_live_in_a_room_of_geo():
    stray = [
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*.sql")
        if ".venv" not in p.parts and not p.relative_to(ROOT).match("geo/*/sql/*.sql")
    ]
    assert not stray, stray


def test_tests_mirror_the_packages():
    """tests/<package>/ exists for every package that has code (geo by room)."""
    missing = [
        p
        for p in ("core", "models", "maps", "api", "demo", "services")
        if not (ROOT / "tests" / p).is_dir()
    ]
    rooms = [p.name for p in (ROOT / "geo").iterdir() if (p / "__init__.py").exists()]
    missing += [f"geo/{room}" for room in rooms if not (ROOT / "tests/geo" / room).is_dir()]
    assert not missing, f"no tests folder for: {missing}"
