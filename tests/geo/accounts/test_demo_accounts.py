"""The demo accounts: each with its own salt and hash."""

from __future__ import annotations

from sqlalchemy import select

from geo.accounts.demo import DEMO_ACCOUNT_NAMES, DEMO_PASSWORD, existing_demo_accounts
from geo.accounts.passwords import verify_password
from geo.database.schema_auth import AppUser


def test_each_demo_account_has_its_own_salt_and_hash(demo_db):
    hashes = demo_db.scalars(
        select(AppUser.password_hash).where(AppUser.username.in_(DEMO_ACCOUNT_NAMES))
    ).all()
    assert len(hashes) == len(DEMO_ACCOUNT_NAMES)
    assert len(set(hashes)) == len(hashes)
    salts = {stored.split("$")[-2] for stored in hashes}
    assert len(salts) == len(hashes)
    assert all(verify_password(stored, DEMO_PASSWORD) for stored in hashes)
    assert existing_demo_accounts(session=demo_db) == sorted(DEMO_ACCOUNT_NAMES)
