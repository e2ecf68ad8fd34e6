"""Accounts for tests that need a token for a given name, role and scope.

Tokens name an existing account and carry its token version, so a test cannot sign one for
a made-up user: :func:`token_for` makes (or adjusts) the account first.
"""

from __future__ import annotations

import secrets

from api.auth import hash_password, issue_token
from api.settings import ApiSettings
from core.errors import NotFound
from geo.accounts import users
from geo.database.engine import make_engine, transaction


def token_for(
    url: str,
    *,
    username: str,
    role: str,
    scope_code: str | None = None,
    settings: ApiSettings | None = None,
) -> str:
    """A token for ``username`` on the database at ``url``: the account is created with a
    random password when missing, or given ``role`` and ``scope_code`` when they differ."""
    engine = make_engine(url, pool_size=1)
    try:
        with transaction(engine) as session:
            try:
                account = users.get_user(session=session, username=username)
            except NotFound:
                return issue_token(
                    settings=settings or ApiSettings(),
                    user=users.add_user(
                        session=session,
                        username=username,
                        password_hash=hash_password(secrets.token_urlsafe(16)),
                        role=role,
                        scope_code=scope_code,
                    ),
                )
            if (account.role, account.scope_code, account.active) != (role, scope_code, True):
                users.set_role(session=session, username=username, role=role, scope_code=scope_code)
                users.set_active(session=session, username=username, active=True)
                session.refresh(account)
            return issue_token(settings=settings or ApiSettings(), user=account)
    finally:
        engine.dispose()
