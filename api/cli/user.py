"""``wangge user add NAME --role ROLE [--scope CODE]``: accounts for the API and map pages."""

from __future__ import annotations

import os
import sys

import typer

from api.cli.common import engine_in_use, fail, info

MIN_PASSWORD_LENGTH = 10


def _read_password(*, from_stdin: bool) -> str:
    """The password from stdin, ``WANGGE_PASSWORD``, or an interactive prompt (in that order)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    from_env = os.environ.get("WANGGE_PASSWORD")
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise fail("no password: set WANGGE_PASSWORD, use --password-stdin, or run in a terminal")
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


def register(app: typer.Typer) -> None:
    """Add the ``user`` command group to ``app``."""
    user_app = typer.Typer(help="Accounts: who may log in, with which role and scope.")
    app.add_typer(user_app, name="user")

    @user_app.command("add")
    def add(
        name: str = typer.Argument(..., help="login name (letters, digits, _ . @ -)"),
        role: str = typer.Option(
            ..., help="county_centre | township | grid_leader | partner | viewer"
        ),
        scope: str | None = typer.Option(
            None,
            help="township code (township), grid code (grid_leader), facility code (partner), "
            "county code (optional for county_centre and viewer)",
        ),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="read the password from the first line of stdin"
        ),
    ) -> None:
        """Create an account. The password is stored as an argon2id hash only."""
        import re

        from core.errors import WanggeError
        from geo.accounts import users
        from geo.accounts.passwords import hash_password
        from geo.database.engine import transaction

        if not re.match(users.USERNAME_PATTERN, name):
            raise fail(f"bad user name {name!r}: 2-64 letters, digits, _ . @ -")
        try:
            users.check_role_scope(role=role, scope_code=scope)
        except WanggeError as exc:
            raise fail(str(exc)) from exc
        password = _read_password(from_stdin=password_stdin)
        if len(password) < MIN_PASSWORD_LENGTH:
            raise fail(f"password too short: at least {MIN_PASSWORD_LENGTH} characters")
        engine = engine_in_use()
        try:
            with transaction(engine) as session:
                users.add_user(
                    session=session,
                    username=name,
                    password_hash=hash_password(password),
                    role=role,
                    scope_code=scope,
                )
        except WanggeError as exc:
            raise fail(str(exc)) from exc
        finally:
            engine.dispose()
        info(f"user {name} added: role {role}" + (f", scope {scope}" if scope else ""))
