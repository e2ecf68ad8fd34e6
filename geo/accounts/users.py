"""Users who log in: create, find, deactivate. Passwords arrive here already hashed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidRequest, NotFound
from geo.database.schema_auth import ROLES, AppUser

USERNAME_PATTERN = r"^[A-Za-z0-9_.@-]{2,64}$"


def check_role_scope(*, role: str, scope_code: str | None) -> None:
    """Refuse a role that does not exist or a scope that does not fit the role."""
    if role not in ROLES:
        raise InvalidRequest(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    needs = {
        "township": "a 9-digit township code",
        "grid_leader": "a grid code",
        "partner": "a facility code",
    }
    if role in needs and not scope_code:
        raise InvalidRequest(f"role {role!r} needs --scope with {needs[role]}")
    if role == "township" and not (scope_code.isdigit() and len(scope_code) == 9):
        raise InvalidRequest(f"township scope must be a 9-digit code, got {scope_code!r}")
    if role == "grid_leader" and not (scope_code.isdigit() and len(scope_code) > 12):
        raise InvalidRequest(
            f"grid scope must be a grid code (village code + number), got {scope_code!r}"
        )
    if (
        role in ("county_centre", "viewer")
        and scope_code
        and not (scope_code.isdigit() and len(scope_code) == 6)
    ):
        raise InvalidRequest(f"{role} scope must be a 6-digit county code, got {scope_code!r}")


def add_user(
    *, session: Session, username: str, password_hash: str, role: str, scope_code: str | None
) -> AppUser:
    """Create a user; a taken name is a :class:`Conflict`."""
    check_role_scope(role=role, scope_code=scope_code)
    user = AppUser(
        username=username, password_hash=password_hash, role=role, scope_code=scope_code or None
    )
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"user {username!r} exists already") from exc
    return user


def find_user(*, session: Session, username: str) -> AppUser | None:
    """The active user called ``username``, or None."""
    return session.scalar(
        select(AppUser).where(AppUser.username == username, AppUser.active.is_(True))
    )


def set_password_hash(*, session: Session, username: str, password_hash: str) -> None:
    """Replace a user's password hash (used when argon2 parameters change, and by resets)."""
    user = session.scalar(select(AppUser).where(AppUser.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}")
    user.password_hash = password_hash
    session.flush()


def demo_scopes(*, session: Session, county: str) -> dict[str, str | None]:
    """A scope for each role in a loaded county (the demo accounts use them)."""
    from geo.database.sqlfiles import sql

    row = session.execute(sql("users_demo_scopes"), {"county": county}).one()
    return {
        "county_centre": None,
        "township": row.township,
        "grid_leader": row.grid,
        "partner": row.facility,
        "viewer": None,
    }
