"""Partner systems' Open311 keys, issued by the county centre (``wangge apikey``).

A key is shown once, when issued; the database keeps its SHA-256 and a short prefix to
recognise it by. A revoked key stops working at once and stays listed.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidRequest, NotFound
from geo.citizens.tokens import new_api_key, secret_hash
from geo.database.sqlfiles import sql

NAME_PATTERN = r"^[\w.@-]{2,64}$"


def add_key(*, session: Session, name: str) -> tuple[dict, str]:
    """Issue a key for partner ``name``; return its record and the key (shown only now)."""
    if not re.match(NAME_PATTERN, name):
        raise InvalidRequest(
            f"名称不合规 bad key name {name!r}: 2-64 个字母、数字或 _ . @ - "
            "(2-64 letters, digits, _ . @ -)"
        )
    key = new_api_key()
    try:
        with session.begin_nested():
            row = session.execute(
                sql("citizens_apikey_insert"),
                {"name": name, "key_hash": secret_hash(key), "key_prefix": key[:8]},
            ).one()
    except IntegrityError:
        raise Conflict(f"已有名为 {name!r} 的密钥 / a key named {name!r} exists") from None
    return dict(row._mapping), key


def list_keys(*, session: Session) -> list[dict]:
    """Every key issued: name, prefix, when issued, last used and revoked."""
    return [dict(r) for r in session.execute(sql("citizens_apikey_list")).mappings()]


def revoke_key(*, session: Session, name: str) -> None:
    """Revoke the live key of partner ``name`` (NotFound when there is none)."""
    if session.execute(sql("citizens_apikey_revoke"), {"name": name}).first() is None:
        raise NotFound(f"没有名为 {name!r} 的有效密钥 / no live key named {name!r}")


def use_key(*, session: Session, key: str) -> dict | None:
    """The live key ``key`` (id, name), stamped as used; None when unknown or revoked."""
    row = session.execute(sql("citizens_apikey_use"), {"key_hash": secret_hash(key)}).first()
    return None if row is None else {"id": row.id, "name": row.name}
