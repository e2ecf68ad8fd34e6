"""Accounts in the database: users with a role and a scope that fits it, and the audit log."""

from __future__ import annotations

import pytest

from core.errors import Conflict, InvalidRequest, NotFound
from geo.accounts import audit, users


def test_a_user_is_found_by_name_until_deactivated(db):
    users.add_user(session=db, username="duty_chief", password_hash="h1", role="county_centre",
                   scope_code="623021")  # fmt: skip
    found = users.find_user(session=db, username="duty_chief")
    assert (found.role, found.scope_code) == ("county_centre", "623021")
    found.active = False
    db.flush()
    assert users.find_user(session=db, username="duty_chief") is None


def test_a_taken_name_is_a_conflict_and_the_first_user_stays(db):
    users.add_user(session=db, username="clerk", password_hash="h1", role="viewer", scope_code=None)
    with pytest.raises(Conflict):
        users.add_user(session=db, username="clerk", password_hash="h2", role="viewer",
                       scope_code=None)  # fmt: skip
    assert users.find_user(session=db, username="clerk").password_hash == "h1"


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("mayor", None),  # no such role
        ("township", None),  # a township user needs its township
        ("township", "623021"),  # a county code is not a township code
        ("grid_leader", "623021100"),  # nor a township code a grid code
        ("partner", None),  # a partner needs its facility
        ("viewer", "62302110"),  # an unscoped role takes a county code at most
    ],
)
def test_a_scope_that_does_not_fit_the_role_is_refused(db, role, scope):
    with pytest.raises(InvalidRequest):
        users.add_user(session=db, username="x_user", password_hash="h", role=role,
                       scope_code=scope)  # fmt: skip


def test_a_password_reset_of_an_unknown_user_is_not_found(db):
    with pytest.raises(NotFound):
        users.set_password_hash(session=db, username="nobody", password_hash="h")


def test_every_audit_row_is_kept_and_read_newest_first(db):
    for action in ("read", "change", "read"):
        audit.record(session=db, username="duty_chief", role="county_centre", action=action,
                     object_type="dispute", object_id=42, detail={"why": action})  # fmt: skip
    audit.record(session=db, username="other", role="township", action="read",
                 object_type="dispute", object_id=7)  # fmt: skip
    rows = audit.entries(session=db, object_type="dispute", object_id=42)
    assert [r["action"] for r in rows] == ["read", "change", "read"]
    assert {r["object_id"] for r in rows} == {"42"}
    assert rows[1]["detail"] == {"why": "change"}
    assert audit.count(session=db, object_type="dispute") == 4
    assert audit.count(session=db, object_type="dispute", action="read") == 3
    assert [r["object_id"] for r in audit.entries(session=db, username="other")] == ["7"]
