"""The audit log: one row for each read or change of a case (and each login), and one for
each request that reads cases or personal data in bulk."""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from geo.database.schema_auth import AuditLog


def record(
    *,
    session: Session,
    username: str,
    role: str | None,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    detail: dict | None = None,
    client: str | None = None,
) -> None:
    """Add an audit row in the caller's transaction (a change and its audit commit together)."""
    session.add(
        AuditLog(
            username=username,
            role=role,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            detail=detail,
            client=client,
        )
    )
    session.flush()


MAX_FILTER_CHARS = 200


def record_bulk(
    *,
    session: Session,
    username: str,
    role: str | None,
    what: str,
    count: int | None,
    filters: dict[str, str],
    client: str | None = None,
) -> None:
    """Add the one audit row of a bulk read (a list, layer, ranking, tile or export of cases
    or personal data): a ``read`` of ``what`` without an object id, ``count`` items, with
    which ``filters``. One INSERT and no per-row work, so map refreshes can afford it."""
    session.execute(
        insert(AuditLog).values(
            username=username,
            role=role,
            action="read",
            object_type=what,
            object_id=None,
            detail={
                "count": count,
                "filter": {k: str(v)[:MAX_FILTER_CHARS] for k, v in list(filters.items())[:20]},
            },
            client=client,
        )
    )


def entries(
    *,
    session: Session,
    object_type: str | None = None,
    object_id: str | int | None = None,
    username: str | None = None,
    limit: int = 100,
) -> list[dict]:
    """The newest audit rows, filtered; for reviews and tests."""
    query = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
    if object_type is not None:
        query = query.where(AuditLog.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditLog.object_id == str(object_id))
    if username is not None:
        query = query.where(AuditLog.username == username)
    return [
        {
            "at": row.at,
            "username": row.username,
            "role": row.role,
            "action": row.action,
            "object_type": row.object_type,
            "object_id": row.object_id,
            "detail": row.detail,
            "client": row.client,
        }
        for row in session.scalars(query)
    ]


def count(*, session: Session, object_type: str, action: str | None = None) -> int:
    """How many audit rows there are for ``object_type`` (and ``action``)."""
    query = select(func.count()).select_from(AuditLog).where(AuditLog.object_type == object_type)
    if action is not None:
        query = query.where(AuditLog.action == action)
    return session.scalar(query)
