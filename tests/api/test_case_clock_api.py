"""The clock of a case over real HTTP, for every role: suspend, resume, ask for an extension,
decide it. Allowed → 200 with the new deadline; not allowed → 403 in Chinese and English.

Cases are those of the permission matrix (tests/api/test_case_permissions_api.py): on 池沟村's
grid, assigned to the 冶力关 police station (the partner), routed by the 冶力关 township centre,
here due ten days from now.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from core.principal import ROLES
from geo.database.engine import transaction
from tests.api.small_county import small_county_fixtures
from tests.api.test_case_permissions_api import SCOPES, bilingual, make_case, post

CENTRES = {"county_centre", "township"}
ALLOWED = {
    "suspend": CENTRES | {"partner"},
    "resume": CENTRES | {"partner"},
    "extension": {"partner"},
    "extension/decision": CENTRES,
}
BODY = {
    "suspend": {"reason": "等待当事人提交鉴定结论"},
    "resume": {"note": "已收到"},
    "extension": {"days": 5, "reason": "需现场勘验"},
    "extension/decision": {"approve": True},
}


county_url, server, users, engine = small_county_fixtures("clock", SCOPES)


def clock_case(engine, act: str) -> int:
    """An in-progress case due in ten days, in the state ``act`` starts from."""
    dispute_id = make_case(engine, "in_progress")
    due = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    extra = {
        "resume": "suspended_at = now() - interval '2 days', held_deadline = :due",
        "extension/decision": 'supervision = \'{"extension_request": {"days": 5}}\'',
    }
    with transaction(engine) as session:
        session.execute(
            text(f"UPDATE dispute SET deadline = {'NULL' if act == 'resume' else ':due'}, "
                 f"{extra.get(act, 'version = 1')} "
                 "WHERE id = :i"),  # fixed fragments above, not user input
            {"due": due, "i": dispute_id},
        )  # fmt: skip
    return dispute_id


def _deadline(engine, dispute_id):
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT deadline, held_deadline FROM dispute WHERE id = :i"), {"i": dispute_id}
        ).one()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act", sorted(ALLOWED))
def test_role_by_clock_act(server, users, engine, role, act):
    dispute_id = clock_case(engine, act)
    before = _deadline(engine, dispute_id)
    answer = post(server, users[role], f"/disputes/{dispute_id}/{act}", {"version": 1, **BODY[act]})
    if role in ALLOWED[act]:
        assert answer.status_code == 200, answer.text
        assert answer.json()["version"] == 2
    else:
        assert answer.status_code == 403, answer.text
        assert bilingual(answer.json()["detail"]), answer.json()["detail"]
        assert _deadline(engine, dispute_id) == before


def test_suspend_then_resume_moves_the_deadline_by_the_time_suspended(server, users, engine):
    dispute_id = clock_case(engine, "suspend")
    due = _deadline(engine, dispute_id).deadline
    partner = users["partner"]
    held = post(
        server, partner, f"/disputes/{dispute_id}/suspend", {"version": 1, **BODY["suspend"]}
    )
    assert held.status_code == 200, held.text
    assert held.json()["deadline"] is None and held.json()["held_deadline"] is not None
    again = post(server, partner, f"/disputes/{dispute_id}/suspend", {"version": 2, "reason": "x"})
    assert again.status_code == 409 and bilingual(again.json()["detail"])
    resumed = post(server, partner, f"/disputes/{dispute_id}/resume", {"version": 2})
    assert resumed.status_code == 200, resumed.text
    assert _deadline(engine, dispute_id).deadline > due
    answer = post(server, users["county_centre"], f"/disputes/{dispute_id}/resume", {"version": 3})
    assert answer.status_code == 409 and "未挂起" in answer.json()["detail"]


def test_a_missing_reason_or_days_out_of_range_is_422(server, users, engine):
    dispute_id = clock_case(engine, "extension")
    partner = users["partner"]
    path = f"/disputes/{dispute_id}/extension"
    assert post(server, partner, path, {"version": 1, "days": 0, "reason": "r"}).status_code == 422
    assert post(server, partner, path, {"version": 1, "days": 99, "reason": "r"}).status_code == 422
    answer = post(server, partner, f"/disputes/{dispute_id}/suspend", {"version": 1, "reason": ""})
    assert answer.status_code == 422 and bilingual(answer.json()["detail"])
