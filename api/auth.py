"""Passwords (argon2id) and access tokens (HS256 JWT signed with the instance's secret).

A token names an account (``sub``, ``uid``) and the account's token version (``ver``). Every
request checks it against the account as it stands (unique index on the name): a token of an
account that is gone, disabled, or whose version moved on (role change, password reset, logout)
is refused. Role and scope are read from the account, never from the token. The account is read
from the process's version board when it holds it (kept current by NOTIFY, see
``geo/publishing/versions.py``), else from the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import jwt
from sqlalchemy.orm import Session, sessionmaker

from api.settings import ApiSettings
from core.principal import Principal
from geo.accounts import users
from geo.accounts.passwords import hash_password, needs_rehash, verify_password
from geo.database.schema_auth import AppUser

ALGORITHM = "HS256"
ISSUER = "wangge"
MIN_SECRET_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10
# fragments of secrets that have been published (the old development default among them)
KNOWN_PUBLIC_SECRETS = ("change-me", "changeme", "wangge-development", "secret-key")

# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password("no such user: constant-time refusal")


class InvalidToken(Exception):
    """The token is missing, malformed, expired, not signed by this service, or revoked."""


class InsecureSettings(RuntimeError):
    """The service was asked to run in production mode with an unsafe configuration."""


class TokenHolder(Protocol):
    """What a token is issued for: an account row (``geo.database.schema_auth.AppUser``)."""

    id: int
    username: str
    token_version: int


@dataclass(frozen=True)
class TokenClaims:
    """What a correctly signed, unexpired token says: whose it is and which version."""

    username: str
    user_id: int
    version: int


def weak_secret_reason(secret: str) -> str | None:
    """Why ``secret`` is too weak to sign tokens in production, or None when it will do."""
    stripped = secret.strip()
    if len(stripped) < MIN_SECRET_LENGTH:
        return f"至少 {MIN_SECRET_LENGTH} 个非空白字符 at least {MIN_SECRET_LENGTH} characters"
    if len(set(stripped)) < MIN_DISTINCT_CHARACTERS:
        return "字符种类太少 too few distinct characters (one repeated character?)"
    if stripped in (stripped + stripped)[1:-1]:
        return "由一段重复构成 a repetition of a shorter string"
    if any(known in stripped.lower() for known in KNOWN_PUBLIC_SECRETS):
        return "是公开的示例值 a published example value"
    return None


def check_settings(settings: ApiSettings) -> None:
    """Refuse production mode with a weak token-signing secret."""
    if not settings.production:
        return
    reason = weak_secret_reason(settings.secret_key)
    if reason:
        raise InsecureSettings(
            f"生产模式拒绝弱密钥：WANGGE_SECRET_KEY / WANGGE_SECRET_FILE {reason}；"
            f"请用 `openssl rand -hex 32` 生成。 Production mode refuses a weak secret: "
            f"WANGGE_SECRET_KEY / WANGGE_SECRET_FILE needs {reason}; make one with "
            "`openssl rand -hex 32`."
        )


def check_accounts(*, settings: ApiSettings, sessions: sessionmaker[Session]) -> None:
    """Refuse production mode while demo accounts (a published password) exist."""
    if not settings.production:
        return
    from geo.accounts.demo import existing_demo_accounts

    with sessions() as session:
        present = existing_demo_accounts(session=session)
    if present:
        names = ", ".join(present)
        command = " && ".join(f"wangge user remove {name}" for name in present)
        raise InsecureSettings(
            f"生产模式下不能有演示账号（密码公开）：{names}。请先删除：{command} "
            f"Production mode refuses to start while demo accounts exist (their password is "
            f"public): {names}. Remove them first: {command}"
        )


def authenticate(*, session: Session, username: str, password: str) -> AppUser | None:
    """The account when name and password match an active one, else None."""
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
    return user


def issue_token(*, settings: ApiSettings, user: TokenHolder, minutes: int | None = None) -> str:
    """A signed token naming the account and its current token version, valid ``minutes``."""
    now = dt.datetime.now(dt.UTC)
    claims = {
        "sub": user.username,
        "uid": user.id,
        "ver": user.token_version,
        "iss": ISSUER,
        "iat": now,
        "exp": now + dt.timedelta(minutes=minutes or settings.token_minutes),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def read_token(*, settings: ApiSettings, token: str) -> TokenClaims:
    """The claims of a token signed by this service and unexpired; :class:`InvalidToken`
    otherwise. Whether the account still honours it is :func:`principal_for_token`'s job."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "uid", "ver", "exp", "iat", "iss"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    username, user_id, version = claims["sub"], claims["uid"], claims["ver"]
    if not isinstance(username, str) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in (user_id, version)
    ):
        raise InvalidToken("token claims have the wrong types")
    return TokenClaims(username=username, user_id=user_id, version=version)


def principal_for_token(
    *, settings: ApiSettings, sessions: sessionmaker[Session], token: str, board=None
) -> Principal:
    """The caller named by ``token``, as their account stands now; :class:`InvalidToken`
    when the token is bad or the account is gone, disabled or has revoked it. With a live
    version board (``geo.publishing.versions``) the account comes from it when held there,
    else from the database, and is then kept on the board until its next change."""
    claims = read_token(settings=settings, token=token)
    account = board.account(claims.username) if board is not None else None
    if account is None:
        ticket = board.ticket() if board is not None else 0
        with sessions() as session:
            account = users.token_account(session=session, username=claims.username)
        if account is not None and board is not None:
            board.remember_account(claims.username, account, ticket)
    return _honoured(claims, account)


def principal_on_board(*, settings: ApiSettings, board, token: str) -> Principal | None:
    """The caller named by ``token`` when a live version board holds the account (no query;
    :class:`InvalidToken` as :func:`principal_for_token`); None when the board cannot say."""
    if board is None or not board.live:
        return None
    claims = read_token(settings=settings, token=token)
    account = board.account(claims.username)
    return None if account is None else _honoured(claims, account)


def _honoured(claims: TokenClaims, account) -> Principal:
    if account is None or account.id != claims.user_id:
        raise InvalidToken("账号不存在或已停用 the account does not exist or is disabled")
    if account.token_version != claims.version:
        raise InvalidToken("令牌已被撤销，请重新登录 token revoked; log in again")
    return Principal(username=claims.username, role=account.role, scope_code=account.scope_code)
