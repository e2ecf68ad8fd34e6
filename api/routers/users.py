"""``/api/v1/users``: the county centre manages accounts (the API twin of ``wangge user``).

Disabling, removing, changing the role of or resetting the password of an account ends its
sessions at once: its tokens stop working on their next request. Every change is audited.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import CountyCentre, SessionDep
from api.ratelimit import client_address
from api.schemas.auth import NewUser, PasswordReset, RoleChange, UserList, UserOut
from core.errors import InvalidRequest
from core.principal import Principal
from geo.accounts import audit, users
from geo.accounts.passwords import hash_password

router = APIRouter(tags=["users"])


def _audit(session, user: Principal, request: Request, name: str, detail: dict) -> None:
    audit.record(
        session=session,
        username=user.username,
        role=user.role,
        action="change",
        object_type="user",
        object_id=name,
        detail=detail,
        client=client_address(request, request.app.state.settings.is_trusted_proxy),
    )


def _one(session, name: str) -> UserOut:
    user = users.get_user(session=session, username=name)
    return UserOut(
        username=user.username,
        role=user.role,
        scope_code=user.scope_code,
        active=user.active,
        created_at=user.created_at,
    )


@router.get("/users", response_model=UserList)
def list_accounts(session: SessionDep, user: CountyCentre) -> UserList:
    """Every account with its role, scope and whether it may log in."""
    return UserList(users=[UserOut(**row) for row in users.list_users(session=session)])


@router.post("/users", response_model=UserOut, status_code=201)
def add_account(
    body: NewUser, request: Request, session: SessionDep, user: CountyCentre
) -> UserOut:
    """Create an account; its scope must name a loaded township, grid, facility or county."""
    users.check_role_scope(role=body.role, scope_code=body.scope_code)
    users.check_scope_exists(session=session, role=body.role, scope_code=body.scope_code)
    users.add_user(
        session=session,
        username=body.username,
        password_hash=hash_password(body.password),
        role=body.role,
        scope_code=body.scope_code,
    )
    _audit(session, user, request, body.username, {"add": body.role, "scope": body.scope_code})
    return _one(session, body.username)


@router.post("/users/{name}/disable", response_model=UserOut)
def disable_account(
    name: str, request: Request, session: SessionDep, user: CountyCentre
) -> UserOut:
    """Stop an account from logging in; its sessions end."""
    if name == user.username:
        raise InvalidRequest("不能停用自己的账号 you cannot disable your own account")
    users.set_active(session=session, username=name, active=False)
    _audit(session, user, request, name, {"disable": True})
    return _one(session, name)


@router.post("/users/{name}/enable", response_model=UserOut)
def enable_account(name: str, request: Request, session: SessionDep, user: CountyCentre) -> UserOut:
    """Let a disabled account log in again (with a new login)."""
    users.set_active(session=session, username=name, active=True)
    _audit(session, user, request, name, {"enable": True})
    return _one(session, name)


@router.put("/users/{name}/role", response_model=UserOut)
def change_role(
    name: str, body: RoleChange, request: Request, session: SessionDep, user: CountyCentre
) -> UserOut:
    """Give an account another role and scope; its sessions end."""
    users.set_role(session=session, username=name, role=body.role, scope_code=body.scope_code)
    _audit(session, user, request, name, {"role": body.role, "scope": body.scope_code})
    return _one(session, name)


@router.post("/users/{name}/password", status_code=204)
def reset_password(
    name: str, body: PasswordReset, request: Request, session: SessionDep, user: CountyCentre
) -> Response:
    """Set a new password; the account's sessions end."""
    users.reset_password(session=session, username=name, password_hash=hash_password(body.password))
    _audit(session, user, request, name, {"password_reset": True})
    return Response(status_code=204)


@router.delete("/users/{name}", status_code=204)
def remove_account(
    name: str, request: Request, session: SessionDep, user: CountyCentre
) -> Response:
    """Delete an account (its audit rows stay); its sessions end."""
    if name == user.username:
        raise InvalidRequest("不能删除自己的账号 you cannot remove your own account")
    users.remove_user(session=session, username=name)
    _audit(session, user, request, name, {"remove": True})
    return Response(status_code=204)
