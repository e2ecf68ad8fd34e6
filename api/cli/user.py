"""``wangge user``: accounts for the API and map pages.

``add NAME --role R [--scope CODE]``, ``list``, ``disable NAME``, ``enable NAME``,
``reset-password NAME --password-stdin``, ``remove NAME``, ``set-role NAME --role R
[--scope CODE]``. Disable, remove, set-role and reset-password end the account's sessions:
its tokens stop working on their next request.
"""

from __future__ import annotations

import os
import re
import sys

import typer

from api.cli.common import fail, in_transaction, info
from geo.accounts.passwords import MIN_PASSWORD_LENGTH

ROLE_HELP = "county_centre | township | grid_leader | partner | viewer"
SCOPE_HELP = (
    "township code (township), grid code (grid_leader), facility code (partner), "
    "county code (optional for county_centre and viewer)"
)


def _read_password(*, from_stdin: bool) -> str:
    """The password from stdin, ``WANGGE_PASSWORD``, or an interactive prompt (in that order)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    from_env = os.environ.get("WANGGE_PASSWORD")
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise fail(
            "没有密码：请设置 WANGGE_PASSWORD、使用 --password-stdin 或在终端中运行 "
            "no password: set WANGGE_PASSWORD, use --password-stdin, or run in a terminal"
        )
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


def _new_password(*, from_stdin: bool) -> str:
    """A password long enough to keep, read as :func:`_read_password` does."""
    password = _read_password(from_stdin=from_stdin)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise fail(
            f"密码太短：至少 {MIN_PASSWORD_LENGTH} 个字符 "
            f"password too short: at least {MIN_PASSWORD_LENGTH} characters"
        )
    return password


def register(app: typer.Typer) -> None:
    """Add the ``user`` command group to ``app``."""
    from geo.accounts import users
    from geo.accounts.passwords import hash_password

    user_app = typer.Typer(help="Accounts: who may log in, with which role and scope.")
    app.add_typer(user_app, name="user")

    @user_app.command("add")
    def add(
        name: str = typer.Argument(..., help="login name (letters, digits, _ . @ -)"),
        role: str = typer.Option(..., help=ROLE_HELP),
        scope: str | None = typer.Option(None, help=SCOPE_HELP),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="read the password from the first line of stdin"
        ),
    ) -> None:
        """Create an account. The password is stored as an argon2id hash only."""
        from core.errors import WanggeError

        if not re.match(users.USERNAME_PATTERN, name):
            raise fail(
                f"用户名不合规 bad user name {name!r}: 2-64 个字母、数字或 _ . @ - "
                "(2-64 letters, digits, _ . @ -)"
            )
        try:
            users.check_role_scope(role=role, scope_code=scope)
        except WanggeError as exc:
            raise fail(str(exc)) from exc
        password = _new_password(from_stdin=password_stdin)

        def create(session) -> None:
            users.check_scope_exists(session=session, role=role, scope_code=scope)
            users.add_user(
                session=session,
                username=name,
                password_hash=hash_password(password),
                role=role,
                scope_code=scope,
            )

        in_transaction(create)
        info(f"user {name} added: role {role}" + (f", scope {scope}" if scope else ""))

    @user_app.command("list")
    def list_() -> None:
        """Every account: name, role, scope, whether it may log in."""
        found: list[dict] = []
        in_transaction(lambda session: found.extend(users.list_users(session=session)))
        for row in found:
            state = "active" if row["active"] else "disabled"
            typer.echo(f"{row['username']}\t{row['role']}\t{row['scope_code'] or '-'}\t{state}")

    @user_app.command("disable")
    def disable(name: str = typer.Argument(..., help="login name")) -> None:
        """Stop an account from logging in; its sessions end at once."""
        in_transaction(lambda s: users.set_active(session=s, username=name, active=False))
        info(f"user {name} disabled; its tokens no longer work")

    @user_app.command("enable")
    def enable(name: str = typer.Argument(..., help="login name")) -> None:
        """Let a disabled account log in again."""
        in_transaction(lambda s: users.set_active(session=s, username=name, active=True))
        info(f"user {name} enabled")

    @user_app.command("reset-password")
    def reset_password(
        name: str = typer.Argument(..., help="login name"),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="read the password from the first line of stdin"
        ),
    ) -> None:
        """Set a new password; the account's sessions end at once."""
        password_hash = hash_password(_new_password(from_stdin=password_stdin))
        in_transaction(
            lambda s: users.reset_password(session=s, username=name, password_hash=password_hash)
        )
        info(f"password of {name} reset; its tokens no longer work")

    @user_app.command("remove")
    def remove(name: str = typer.Argument(..., help="login name")) -> None:
        """Delete an account (its audit rows stay); its sessions end at once."""
        in_transaction(lambda s: users.remove_user(session=s, username=name))
        info(f"user {name} removed")

    @user_app.command("set-role")
    def set_role(
        name: str = typer.Argument(..., help="login name"),
        role: str = typer.Option(..., help=ROLE_HELP),
        scope: str | None = typer.Option(None, help=SCOPE_HELP),
    ) -> None:
        """Give an account another role and scope; its sessions end at once."""
        in_transaction(
            lambda s: users.set_role(session=s, username=name, role=role, scope_code=scope)
        )
        info(f"user {name} is now {role}" + (f", scope {scope}" if scope else ""))
