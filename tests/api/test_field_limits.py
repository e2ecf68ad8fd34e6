"""Every free-text field of every write route is bounded (api/schemas/common.py): an over-long
value answers 422 naming the field, and nothing is written."""

from __future__ import annotations

import pytest

from api.schemas import common
from geo.accounts.passwords import MAX_PASSWORD_LENGTH


def too_long(limit: int) -> str:
    """One character more than ``limit``."""
    return "长" * (limit + 1)


NAME_200K = "名" * 200_000
DESCRIPTION_3MB = "x" * 3_000_000

# (route, body, field): the body holds one over-long value in ``field``.
OVER_LONG = [
    ("/api/v1/disputes/1/suspend", {"reason": too_long(common.MAX_NOTE)}, "reason"),
    ("/api/v1/disputes/1/resume", {"note": too_long(common.MAX_NOTE)}, "note"),
    ("/api/v1/disputes/1/extension", {"days": 5, "reason": too_long(common.MAX_NOTE)}, "reason"),
    (
        "/api/v1/disputes/1/extension/decision",
        {"approve": True, "note": too_long(common.MAX_NOTE)},
        "note",
    ),
    ("/api/v1/disputes/1/transitions", {"to": "routed", "version": 1,
                                         "note": too_long(common.MAX_NOTE)}, "note"),
    ("/api/v1/disputes/1/transitions", {"to": too_long(common.MAX_LABEL), "version": 1}, "to"),
    ("/api/v1/disputes/1/transitions", {"to": "routed", "version": 1,
                                         "assignee": NAME_200K}, "assignee"),
    ("/api/v1/disputes/1/transitions", {"to": "rated", "version": 1, "satisfaction": 5,
                                         "rating_source": too_long(common.MAX_LABEL)},
     "rating_source"),
    ("/api/v1/disputes/1/dispatch/accept", {"version": 1, "note": too_long(common.MAX_NOTE)},
     "note"),
    ("/api/v1/disputes/1/supervision", {"act": "remind", "version": 1,
                                         "note": too_long(common.MAX_NOTE)}, "note"),
    ("/api/v1/disputes/1/supervision", {"act": too_long(common.MAX_LABEL), "version": 1}, "act"),
    ("/api/v1/disputes/1/supervision", {"act": "escalate", "version": 1,
                                         "escalate_to": too_long(common.MAX_LABEL)},
     "escalate_to"),
    ("/api/v1/disputes/1/duplicate", {"confirm": True, "version": 1,
                                       "note": too_long(common.MAX_NOTE)}, "note"),
    ("/api/v1/geocode", {"address": too_long(common.MAX_ADDRESS)}, "address"),
    ("/api/v1/geocode", {"addresses": ["城关镇", too_long(common.MAX_ADDRESS)]}, "addresses"),
    ("/api/v1/geocode", {"lon": 103.6, "lat": 34.7, "crs": too_long(common.MAX_LABEL)}, "crs"),
    ("/api/v1/hotspots/1/review", {"status": "confirmed", "note": too_long(common.MAX_NOTE)},
     "note"),
    ("/api/v1/hotspots/1/review", {"status": "confirmed",
                                    "action_taken": too_long(common.MAX_NOTE)}, "action_taken"),
    ("/api/v1/roster/shifts", {"centre": "623021100", "staff": NAME_200K, "from":
                               "2026-11-06T08:00:00+08:00", "to": "2026-11-06T20:00:00+08:00"},
     "staff"),
    ("/api/v1/roster/shifts", {"centre": "623021100", "staff": "S1",
                               "post": too_long(common.MAX_LABEL),
                               "from": "2026-11-06T08:00:00+08:00",
                               "to": "2026-11-06T20:00:00+08:00"}, "post"),
    ("/api/v1/roster/shifts/1/handover", {"note": too_long(common.MAX_DESCRIPTION)}, "note"),
    ("/api/v1/redraw/1/versions", {"assignment": {too_long(common.MAX_CODE): [1]}},
     "assignment"),
    ("/api/v1/redraw", {"village": NAME_200K}, "village"),
    ("/api/v1/users", {"username": NAME_200K, "password": "a-long-enough-password-1",
                       "role": "viewer"}, "username"),
    ("/api/v1/users", {"username": "limits_user", "password": "a-long-enough-password-1",
                       "role": "township", "scope_code": NAME_200K}, "scope_code"),
    ("/api/v1/users/nobody/password", {"password": too_long(MAX_PASSWORD_LENGTH)}, "password"),
    ("/api/v1/citizen/rating", {"token": "t" * 43, "satisfaction": 5,
                                "comment": too_long(common.MAX_COMMENT)}, "comment"),
]  # fmt: skip


@pytest.mark.parametrize(("route", "body", "field"), OVER_LONG)
def test_an_over_long_field_is_refused_naming_it(http, route, body, field):
    answer = http.post(route, json=body)
    assert answer.status_code == 422, (route, field, answer.status_code, answer.text[:300])
    named = [error["loc"] for error in answer.json()["detail"]]
    assert any(field in loc for loc in named), (route, field, named)


def test_a_role_change_with_an_over_long_scope_is_refused(http):
    body = {"role": "township", "scope_code": NAME_200K}
    answer = http.put("/api/v1/users/nobody/role", json=body)
    assert answer.status_code == 422, answer.text[:300]
    assert any("scope_code" in error["loc"] for error in answer.json()["detail"])


def test_a_citizens_report_with_an_over_long_description_is_refused(http):
    body = {"lon": 103.6, "lat": 34.7, "category": "neighbour", "ticket": "x", "answer": "1",
            "description": too_long(common.MAX_PUBLIC_TEXT)}  # fmt: skip
    answer = http.post("/api/v1/citizen/reports", json=body, headers={"Authorization": ""})
    assert answer.status_code == 422, answer.text[:300]
    assert any("description" in error["loc"] for error in answer.json()["detail"])


@pytest.mark.parametrize(
    ("route", "record", "field"),
    [
        ("/api/v1/disputes", {"description": DESCRIPTION_3MB}, "description"),
        ("/api/v1/disputes", {"parties": [{"name": NAME_200K}]}, "parties[1].name"),
        ("/api/v1/disputes", {"address": NAME_200K}, "address"),
        ("/api/v1/disputes", {"category": too_long(common.MAX_DESCRIPTION)}, "category"),
        ("/api/v1/signals", {"description": DESCRIPTION_3MB}, "description"),
        ("/api/v1/signals", {"kind": too_long(common.MAX_DESCRIPTION)}, "kind"),
    ],
)
def test_intake_refuses_an_over_long_cell_naming_its_field(http, route, record, field):
    base = {"external_id": "LIMITS-1", "reported_at": "2026-11-06 08:00",
            "observed_at": "2026-11-06 08:00", "category": "neighbour", "kind": "hazard",
            "address": "城关镇"}  # fmt: skip
    answer = http.post(route, json=base | record)
    assert answer.status_code == 422, answer.text[:300]
    assert f"field '{field}' is longer than {common.MAX_DESCRIPTION}" in answer.text


def test_the_limits_are_in_the_openapi_schema(http):
    schemas = http.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["TransitionIn"]["properties"]["note"]["anyOf"][0]["maxLength"] == (
        common.MAX_NOTE
    )
    assert schemas["HandoverIn"]["properties"]["note"]["maxLength"] == common.MAX_DESCRIPTION
