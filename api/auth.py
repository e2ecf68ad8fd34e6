"""Passwords (argon2id) and access tokens (HS256 JWT signed with ``WANGGE_SECRET_KEY``)."""

from __future__ import annotations

import datetime as dt

import jwt
from sqlalchemy.orm import Session

from api.settings import DEFAULT_SECRET, ApiSettings
from core.principal import ROLES, Principal
from geo.accounts import users
from geo.accounts.passwords import hash_password, needs_rehash, verify_password

ALGORITHM = "HS256"
ISSUER = "wangge"
MIN_SECRET_LENGTH = 32

# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password("no such user: constant-time refusal")


class InvalidToken(Exception):
    """The token is missing, malformed, expired or not signed by this service."""


class InsecureSettings(RuntimeError):
    """The service was asked to run in production mode with an unsafe configuration."""


def check_settings(settings: ApiSettings) -> None:
    """Refuse production mode with the default or a short secret."""
    if not settings.production:
        return
    if settings.secret_key == DEFAULT_SECRET:
        raise InsecureSettings(
            "WANGGE_PRODUCTION is set but WANGGE_SECRET_KEY is the development default; "
            "set WANGGE_SECRET_KEY to a random value (e.g. `openssl rand -hex 32`)"
        )
    if len(settings.secret_key) < MIN_SECRET_LENGTH:
        raise InsecureSettings(
            f"WANGGE_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters in production"
        )


def authenticate(*, session: Session, username: str, password: str) -> Principal | None:
    """The user when name and password match an active account, else None."""
    user = users.find_user(session=session, username=username)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        users.set_password_hash(
            session=session, username=username, password_hash=hash_password(password)
        )
    return Principal(username=user.username, role=user.role, scope_code=user.scope_code)


def issue_token(*, settings: ApiSettings, principal: Principal, minutes: int | None = None) -> str:
    """A signed token carrying the user's name, role and scope, valid for ``minutes``."""
    now = dt.datetime.now(dt.UTC)
    claims = {
        "sub": principal.username,
        "role": principal.role,
        "scope_code": principal.scope_code,
        "iss": ISSUER,
        "iat": now,
        "exp": now + dt.timedelta(minutes=minutes or settings.token_minutes),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def read_token(*, settings: ApiSettings, token: str) -> Principal:
    """The caller named by a valid token; :class:`InvalidToken` otherwise."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "exp", "iat", "iss"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    role = claims.get("role")
    if role not in ROLES or not isinstance(claims["sub"], str):
        raise InvalidToken("token names no known role")
    scope = claims.get("scope_code")
    if scope is not None and not isinstance(scope, str):
        raise InvalidToken("token scope is not a code")
    return Principal(username=claims["sub"], role=role, scope_code=scope)
