"""``POST /api/v1/auth/token`` (OAuth2 password flow), ``GET /api/v1/auth/me``, logout."""

from __future__ import annotations

import json
import math
from typing import Annotated
from urllib.parse import unquote, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm

from api import auth
from api.deps import TOKEN_COOKIE, CurrentUser, SessionDep
from api.ratelimit import client_address
from api.schemas.auth import Me, Token
from api.schemas.common import ErrorOut
from geo.accounts import audit, users

router = APIRouter(tags=["auth"])


def _client(request: Request) -> str:
    settings = request.app.state.settings
    return client_address(request, settings.is_trusted_proxy)


@router.post(
    "/auth/token",
    response_model=Token,
    responses={
        401: {"model": ErrorOut, "description": "wrong name or password"},
        429: {"model": ErrorOut, "description": "throttled"},
    },
)
def token(
    request: Request,
    response: Response,
    session: SessionDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Token:
    """Exchange name and password (form fields ``username``, ``password``) for a token.

    The token also comes back as an HttpOnly, SameSite=Strict cookie so that map pages in a
    browser are authorised without scripts handling it. Failed attempts back off per account
    and per client address separately (HTTP 429 with ``Retry-After``).
    """
    settings = request.app.state.settings
    throttle = request.app.state.login_throttle
    username, client = form.username[:64], _client(request)
    wait = throttle.admit(username=username, client=client)
    if wait > 0:
        raise HTTPException(
            status_code=429,
            detail="登录失败次数过多，请稍后再试 too many failed logins; try again later",
            headers={"Retry-After": str(math.ceil(wait))},
        )
    account = auth.authenticate(session=session, username=username, password=form.password)
    if account is None:  # the attempt was counted as a failure when it was admitted
        audit.record(
            session=session,
            username=username,
            role=None,
            action="denied",
            object_type="login",
            client=client,
        )
        session.commit()
        raise HTTPException(
            status_code=401,
            detail="用户名或密码错误 wrong user name or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    throttle.succeeded(username=username, client=client)
    audit.record(
        session=session,
        username=account.username,
        role=account.role,
        action="login",
        object_type="login",
        client=client,
    )
    access = auth.issue_token(settings=settings, user=account)
    response.set_cookie(
        TOKEN_COOKIE,
        access,
        max_age=settings.token_minutes * 60,
        httponly=True,
        samesite="strict",
        secure=settings.production,
        path="/",
    )
    return Token(
        access_token=access,
        expires_in=settings.token_minutes * 60,
        role=account.role,
        scope_code=account.scope_code,
    )


@router.get("/auth/me", response_model=Me)
def me(user: CurrentUser) -> Me:
    """Who the token belongs to, and whether personal details are shown to them."""
    return Me(
        username=user.username,
        role=user.role,
        scope_code=user.scope_code,
        sees_personal_data=user.sees_personal_data,
    )


_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@router.post("/auth/logout", status_code=204)
def logout(
    request: Request,
    response: Response,
    session: SessionDep,
    token: Annotated[str | None, Depends(_bearer)] = None,
) -> Response:
    """End the caller's sessions: every token of the account stops working (the cookie and
    the bearer tokens on other devices alike), and the cookie is dropped. Without a valid
    token only the cookie is dropped."""
    token = token or request.cookies.get(TOKEN_COOKIE)
    if token:
        try:
            caller = auth.principal_for_token(
                settings=request.app.state.settings,
                sessions=request.app.state.sessions,
                token=token,
            )
        except auth.InvalidToken:
            caller = None
        if caller is not None:
            users.revoke_tokens(session=session, username=caller.username)
            audit.record(
                session=session,
                username=caller.username,
                role=caller.role,
                action="change",
                object_type="login",
                detail={"logout": True},
                client=_client(request),
            )
    response.delete_cookie(TOKEN_COOKIE, path="/")
    response.status_code = 204
    return response


pages = APIRouter(tags=["auth"])

_LOGIN_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>wangge 网格 – 登录 log in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}
label,input,button{display:block;width:100%;margin:.4rem 0;box-sizing:border-box}
input,button{padding:.5rem;font-size:1rem}#error{color:#b00}</style></head>
<body><h1>wangge 网格</h1>
<form id="login"><label>用户名 user name<input name="username" autocomplete="username" required
maxlength="64"></label><label>密码 password<input name="password" type="password"
autocomplete="current-password" required></label><button type="submit">登录 log in</button>
<p id="error" role="alert"></p></form>
<script>
document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const response = await fetch("/api/v1/auth/token", {
    method: "POST", body: new URLSearchParams(new FormData(event.target)),
    credentials: "same-origin"});
  if (response.ok) { window.location.replace(__NEXT__); return; }
  const body = await response.json().catch(() => ({}));
  document.getElementById("error").textContent = body.detail || ("HTTP " + response.status);
});
</script></body></html>"""


SAFE_DEFAULT = "/maps/command-room"


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else :data:`SAFE_DEFAULT`: never a redirect
    to another host.

    Browsers drop tabs and newlines and read a backslash as ``/``, so ``/%09/evil.example``
    (a tab once decoded) and ``/`` + backslash + ``evil.example`` are ``//evil.example`` to
    them: any control character, space or backslash is refused, at every level of
    percent-decoding, as is anything with a scheme or host, or starting with ``//``.
    """
    if not target:
        return SAFE_DEFAULT
    seen = target
    for _ in range(5):
        if not _is_local_path(seen):
            return SAFE_DEFAULT
        decoded = unquote(seen)
        if decoded == seen:
            return target
        seen = decoded
    return SAFE_DEFAULT


def _is_local_path(text: str) -> bool:
    if any(ord(ch) <= 0x20 or ord(ch) == 0x7F or ch == "\\" for ch in text):
        return False
    if not text.startswith("/") or text.startswith("//"):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


@pages.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(next: str | None = Query(None, max_length=500)) -> HTMLResponse:
    """A login form for browsers; on success the cookie is set and the page goes to ``next``."""
    # "<" escaped so that a crafted ``next`` can never close the script element
    target = json.dumps(safe_next(next)).replace("<", "\\u003c").replace(">", "\\u003e")
    return HTMLResponse(_LOGIN_PAGE.replace("__NEXT__", target))
