"""Requests and responses of ``/api/v1/auth`` and ``/api/v1/users``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import MAX_CODE
from core.principal import ROLES
from geo.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

Role = Literal[ROLES]


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


USERNAME_FIELD = Field(pattern=r"^[A-Za-z0-9_.@-]{2,64}$", description="login name")
PASSWORD_FIELD = Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)
SCOPE_FIELD = Field(
    None,
    max_length=MAX_CODE,
    description="township code (township), grid code (grid_leader), facility code (partner), "
    "county code (optional for county_centre and viewer)",
)


class UserOut(BaseModel):
    """An account as the county centre sees it (never its password hash)."""

    username: str
    role: str
    scope_code: str | None
    active: bool
    created_at: dt.datetime


class UserList(BaseModel):
    """Every account."""

    users: list[UserOut]


class NewUser(BaseModel):
    """An account to create."""

    username: str = USERNAME_FIELD
    password: str = PASSWORD_FIELD
    role: Role
    scope_code: str | None = SCOPE_FIELD


class RoleChange(BaseModel):
    """A new role and scope for an account; its sessions end."""

    role: Role
    scope_code: str | None = SCOPE_FIELD


class PasswordReset(BaseModel):
    """A new password for an account; its sessions end."""

    password: str = PASSWORD_FIELD
