"""``POST /api/v1/auth/token`` (OAuth2 password flow), ``GET /api/v1/auth/me``, logout."""

from __future__ import annotations

import json
import math
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.security import OAuth2PasswordRequestForm

from api import auth
from api.deps import TOKEN_COOKIE, CurrentUser, SessionDep
from api.schemas.auth import Me, Token
from api.schemas.common import ErrorOut
from geo.accounts import audit

router = APIRouter(tags=["auth"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


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
    browser are authorised without scripts handling it. Failed attempts are throttled per
    name and client address (HTTP 429 with ``Retry-After``).
    """
    settings = request.app.state.settings
    throttle = request.app.state.login_throttle
    username, client = form.username[:64], _client(request)
    wait = throttle.retry_after(username=username, client=client)
    if wait > 0:
        raise HTTPException(
            status_code=429,
            detail="too many failed logins; try again later",
            headers={"Retry-After": str(math.ceil(wait))},
        )
    principal = auth.authenticate(session=session, username=username, password=form.password)
    if principal is None:
        throttle.failed(username=username, client=client)
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
            detail="wrong user name or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    throttle.succeeded(username=username, client=client)
    audit.record(
        session=session,
        username=principal.username,
        role=principal.role,
        action="login",
        object_type="login",
        client=client,
    )
    access = auth.issue_token(settings=settings, principal=principal)
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
        role=principal.role,
        scope_code=principal.scope_code,
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


@router.post("/auth/logout", status_code=204)
def logout(response: Response) -> Response:
    """Drop the login cookie (bearer tokens simply expire)."""
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


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no ``//``): never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/maps/command-room"
    return target


@pages.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(next: str | None = Query(None, max_length=500)) -> HTMLResponse:
    """A login form for browsers; on success the cookie is set and the page goes to ``next``."""
    # "<" escaped so that a crafted ``next`` can never close the script element
    target = json.dumps(_safe_next(next)).replace("<", "\\u003c").replace(">", "\\u003e")
    return HTMLResponse(_LOGIN_PAGE.replace("__NEXT__", target))
