"""Responses of ``/api/v1/auth``."""

from __future__ import annotations

from pydantic import BaseModel


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
