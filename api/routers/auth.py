"""``POST /api/v1/auth/token`` (OAuth2 password flow), ``GET /api/v1/auth/me``, logout."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from api import auth
from api.deps import TOKEN_COOKIE, CurrentUser, SessionDep
from geo import audit

router = APIRouter(tags=["auth"])


class Token(BaseModel):
    """An OAuth2 bearer token and who it belongs to."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
    role: str
    scope_code: str | None


class Me(BaseModel):
    """The caller as the service sees them."""

    username: str
    role: str
    scope_code: str | None
    sees_personal_data: bool


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/auth/token",
    response_model=Token,
    responses={401: {"description": "wrong name or password"}, 429: {"description": "throttled"}},
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
