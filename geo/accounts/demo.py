"""The demo accounts: ``demo_<role>`` for each role, scoped inside the demo county.

Their password is ``WANGGE_DEMO_PASSWORD`` (default :data:`DEMO_PASSWORD`), the same for
all, so none are made in production mode (``WANGGE_PRODUCTION``, the variable the API
reads too), and the API in production mode refuses to start while any of them exists. Each
account gets its own hash with its own salt.
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.accounts import users
from geo.accounts.passwords import hash_password
from geo.database.schema_auth import ROLES, AppUser

DEMO_PASSWORD = "wangge-demo-only"
UNSCOPED_ROLES = ("county_centre", "viewer")
DEMO_ACCOUNT_NAMES = tuple(f"demo_{role}" for role in ROLES)


class DemoAccountSettings(BaseSettings):
    """Whether the service runs in production, and the demo accounts' password."""

    model_config = SettingsConfigDict(env_prefix="WANGGE_", extra="ignore")

    production: bool = False
    demo_password: str = ""


def add_demo_accounts(
    *, session: Session, county: str, settings: DemoAccountSettings | None = None
) -> int:
    """Create the demo accounts of ``county`` that do not exist yet; return how many were
    made (none in production mode; none for a role with no scope to give it)."""
    settings = settings or DemoAccountSettings()
    if settings.production:
        return 0
    password = settings.demo_password or DEMO_PASSWORD
    present = set(existing_demo_accounts(session=session))
    made = 0
    for role, scope in users.demo_scopes(session=session, county=county).items():
        name = f"demo_{role}"
        if name in present:
            continue
        if scope or role in UNSCOPED_ROLES:
            users.add_user(
                session=session, username=name, password_hash=hash_password(password), role=role,
                scope_code=scope,
            )  # fmt: skip
            made += 1
    return made


def existing_demo_accounts(*, session: Session) -> list[str]:
    """The names of the demo accounts present (active or not)."""
    return list(
        session.scalars(
            select(AppUser.username)
            .where(AppUser.username.in_(DEMO_ACCOUNT_NAMES))
            .order_by(AppUser.username)
        )
    )
