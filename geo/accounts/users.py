"""Users who log in: create, find, list, disable, enable, remove, change role, reset password.

Passwords arrive here already hashed. Every change that must end the sessions of an account
(disable, remove, role change, password reset, logout) bumps ``token_version``; a token
carrying an older version is refused on its next request.
"""

from __future__ import annotations

from sqlalchemy import Row, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidRequest, NotFound
from geo.database.schema_auth import ROLES, AppUser
from geo.database.sqlfiles import sql

USERNAME_PATTERN = r"^[A-Za-z0-9_.@-]{2,64}$"

_SCOPE_NEEDED = {
    "township": ("9 位乡镇代码", "a 9-digit township code"),
    "grid_leader": ("网格编码", "a grid code"),
    "partner": ("机构编码", "a facility code"),
}
_SCOPE_KIND = {
    "township": ("乡镇", "township"),
    "grid_leader": ("网格", "grid"),
    "partner": ("机构", "facility"),
    "county_centre": ("县", "county"),
    "viewer": ("县", "county"),
}


def check_role_scope(*, role: str, scope_code: str | None) -> None:
    """Refuse a role that does not exist or a scope that does not fit the role."""
    if role not in ROLES:
        raise InvalidRequest(f"未知角色 unknown role {role!r}; 可选 one of {', '.join(ROLES)}")
    if role in _SCOPE_NEEDED and not scope_code:
        chinese, english = _SCOPE_NEEDED[role]
        raise InvalidRequest(
            f"角色 {role} 需要 --scope（{chinese}） role {role!r} needs --scope with {english}"
        )
    if role == "township" and not (scope_code.isdigit() and len(scope_code) == 9):
        raise InvalidRequest(
            f"乡镇范围须为 9 位代码 township scope must be a 9-digit code, got {scope_code!r}"
        )
    if role == "grid_leader" and not (scope_code.isdigit() and len(scope_code) > 12):
        raise InvalidRequest(
            f"网格范围须为网格编码 grid scope must be a grid code (village code + number), "
            f"got {scope_code!r}"
        )
    if (
        role in ("county_centre", "viewer")
        and scope_code
        and not (scope_code.isdigit() and len(scope_code) == 6)
    ):
        raise InvalidRequest(
            f"{role} 范围须为 6 位县代码 scope must be a 6-digit county code, got {scope_code!r}"
        )


def check_scope_exists(*, session: Session, role: str, scope_code: str | None) -> None:
    """Refuse a scope code that names no loaded township, grid, facility or county."""
    if not scope_code:
        return
    found = session.execute(
        sql("users_scope_exists"), {"role": role, "code": scope_code}
    ).scalar_one()
    if not found:
        chinese, english = _SCOPE_KIND[role]
        raise InvalidRequest(
            f"范围 scope: 没有{chinese}代码 {scope_code} no {english} with code {scope_code!r}"
        )


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
        raise Conflict(f"用户已存在 user {username!r} exists already") from exc
    return user


def find_user(*, session: Session, username: str) -> AppUser | None:
    """The active user called ``username``, or None."""
    return session.scalar(
        select(AppUser).where(AppUser.username == username, AppUser.active.is_(True))
    )


def get_user(*, session: Session, username: str) -> AppUser:
    """The user called ``username``, active or not; :class:`NotFound` when there is none."""
    user = session.scalar(select(AppUser).where(AppUser.username == username))
    if user is None:
        raise NotFound(f"没有用户 no user {username!r}")
    return user


def token_account(*, session: Session, username: str) -> Row | None:
    """``(id, role, scope_code, token_version)`` of the active user ``username``, or None:
    the one lookup (unique index on the name) made for every request with a token."""
    return session.execute(
        select(AppUser.id, AppUser.role, AppUser.scope_code, AppUser.token_version).where(
            AppUser.username == username, AppUser.active.is_(True)
        )
    ).one_or_none()


def list_users(*, session: Session) -> list[dict]:
    """Every account, active or not, by name (no password hashes)."""
    return [
        {
            "username": user.username,
            "role": user.role,
            "scope_code": user.scope_code,
            "active": user.active,
            "created_at": user.created_at,
        }
        for user in session.scalars(select(AppUser).order_by(AppUser.username))
    ]


def revoke_tokens(*, session: Session, username: str) -> None:
    """End every session of ``username``: tokens issued until now stop working."""
    user = get_user(session=session, username=username)
    user.token_version = AppUser.token_version + 1
    session.flush()


def set_active(*, session: Session, username: str, active: bool) -> None:
    """Disable (its tokens stop working at once) or enable an account."""
    user = get_user(session=session, username=username)
    user.active = active
    user.token_version = AppUser.token_version + 1
    session.flush()


def remove_user(*, session: Session, username: str) -> None:
    """Delete an account (its audit rows stay, under its name)."""
    session.delete(get_user(session=session, username=username))
    session.flush()


def set_role(*, session: Session, username: str, role: str, scope_code: str | None) -> None:
    """Give an account another role and scope (checked, and existing); its tokens end."""
    check_role_scope(role=role, scope_code=scope_code)
    check_scope_exists(session=session, role=role, scope_code=scope_code)
    user = get_user(session=session, username=username)
    user.role = role
    user.scope_code = scope_code or None
    user.token_version = AppUser.token_version + 1
    session.flush()


def reset_password(*, session: Session, username: str, password_hash: str) -> None:
    """Set a new password hash; the account's tokens end."""
    user = get_user(session=session, username=username)
    user.password_hash = password_hash
    user.token_version = AppUser.token_version + 1
    session.flush()


def set_password_hash(*, session: Session, username: str, password_hash: str) -> None:
    """Replace a password hash by one of the same password (argon2 parameters changed);
    the account's tokens stay valid."""
    user = get_user(session=session, username=username)
    user.password_hash = password_hash
    session.flush()


def demo_scopes(*, session: Session, county: str) -> dict[str, str | None]:
    """A scope for each role in a loaded county (the demo accounts use them)."""
    row = session.execute(sql("users_demo_scopes"), {"county": county}).one()
    return {
        "county_centre": None,
        "township": row.township,
        "grid_leader": row.grid,
        "partner": row.facility,
        "viewer": None,
    }
