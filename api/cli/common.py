"""Helpers shared by the command modules: the database in use, errors, progress."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` to stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def info(message: str) -> None:
    """A progress or status line on stderr (stdout stays clean for data)."""
    err_console.print(message, highlight=False, soft_wrap=True)


@contextmanager
def progress() -> Iterator[Progress]:
    """A rich progress display on stderr, quiet when stderr is not a terminal."""
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not sys.stderr.isatty(),
    ) as bar:
        yield bar


def engine_in_use():
    """An engine on the database in use (embedded cluster started when needed)."""
    from geo.database.engine import database_url, make_engine

    return make_engine(database_url())


def in_transaction(change) -> None:
    """Run ``change(session)`` in one transaction on the database in use; a domain error ends
    the command with its message."""
    from core.errors import WanggeError
    from geo.database.engine import transaction

    engine = engine_in_use()
    try:
        with transaction(engine) as session:
            change(session)
    except WanggeError as exc:
        raise fail(str(exc)) from exc
    finally:
        engine.dispose()
