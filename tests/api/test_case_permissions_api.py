"""Who may take each step, over real HTTP: every role × every transition of the loop, and
supervision. Allowed → 2xx; not allowed → 403 with the reason in Chinese and English.

The county is the small one of the dispute tests. Each attempt gets a fresh case on the grid
of 池沟村 (冶力关镇), in the step's from-status, assigned to the 冶力关 police station (the
partner's facility) and routed by the 冶力关 township centre. The expected table is written
out here by hand, from the county's rules (docs/intake.md), not computed from the code.
"""

from __future__ import annotations

import itertools
import re

import httpx
import pytest
from sqlalchemy import text

from core import cases
from core.principal import ROLES
from geo.database.engine import transaction
from tests.api.small_county import small_county_fixtures
from tests.geo.disputes.disputes_factories import CHIGOU, GRID, YELIGUAN

SCOPES = {
    "county_centre": None,
    "township": YELIGUAN,
    "grid_leader": GRID[CHIGOU],
    "partner": "ps-y",
    "viewer": None,
}
CENTRES = {"county_centre", "township"}
# step of the loop (from, to) → the roles that may take it, on a case assigned to the police
# station (the partner) and routed by the township centre.
ALLOWED = {
    ("received", "routed"): CENTRES,
    ("received", "in_progress"): CENTRES | {"grid_leader"},
    ("routed", "in_progress"): {"partner"},
    ("routed", "received"): {"partner"},
    ("in_progress", "resolved"): {"partner"},
    ("in_progress", "unresolved"): {"partner"},
    ("in_progress", "routed"): CENTRES,
    ("resolved", "rated"): CENTRES,
    ("resolved", "archived"): {"township"},
    ("unresolved", "routed"): CENTRES,
    ("unresolved", "rated"): CENTRES,
    ("unresolved", "archived"): {"township"},
    ("rated", "archived"): {"township"},
    ("archived", "followed_up"): CENTRES | {"grid_leader"},
}
PAYLOAD = {
    "routed": {"facility": "jo-y"},
    "unresolved": {"note": "双方不接受调解方案"},
    "rated": {"satisfaction": 4, "rating_source": "phone"},
}
_serial = itertools.count()


county_url, server, users, engine = small_county_fixtures("perm", SCOPES)


def make_case(engine, status: str, *, unit: str = "ps-y", routed_by: str | None = None) -> int:
    """A new case copied from the template, in ``status``, assigned to ``unit``."""
    routed_by = routed_by or f"township:{YELIGUAN}"
    with transaction(engine) as session:
        return session.execute(
            text(
                "INSERT INTO dispute (external_id, source, county_code, category, severity,"
                " reported_at, deadline, location_text, grid_id, geom, status, assignee_unit,"
                " assigned_facility_id, routed_by, resolved_at, synthetic)"
                " SELECT :ext, source, county_code, category, severity, reported_at, deadline,"
                " location_text, grid_id, geom, CAST(:status AS text),"
                " CAST(:unit AS text), (SELECT id FROM facility WHERE code = CAST(:unit AS text)),"
                " :routed_by, CASE WHEN CAST(:status AS text)"
                " IN ('resolved', 'rated', 'archived', 'followed_up')"
                " THEN reported_at + interval '2 days' END, synthetic"
                " FROM dispute WHERE external_id = 'P-TEMPLATE' RETURNING id"
            ),
            {"ext": f"P-{next(_serial)}", "status": status, "unit": unit, "routed_by": routed_by},
        ).scalar_one()


def bilingual(detail: str) -> bool:
    """Chinese first, then English beside it."""
    chinese, _, english = detail.partition(" / ")
    return bool(re.search(r"[\u4e00-\u9fff]", chinese) and re.search(r"[a-z]{3,}", english))


def post(server, user, path, body) -> httpx.Response:
    return httpx.post(f"{server}/api/v1{path}", json=body, headers=user.headers, timeout=60)


def test_the_table_covers_every_edge_of_the_loop():
    edges = {(a, b) for a, targets in cases.TRANSITIONS.items() for b in targets}
    assert set(ALLOWED) == edges


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_role_by_transition(server, users, engine, role, from_status, to_status):
    dispute_id = make_case(engine, from_status)
    body = {"to": to_status, "version": 1, **PAYLOAD.get(to_status, {})}
    answer = post(server, users[role], f"/disputes/{dispute_id}/transitions", body)
    if role in ALLOWED[(from_status, to_status)]:
        assert answer.status_code == 200, answer.text
        assert (answer.json()["from"], answer.json()["to"]) == (from_status, to_status)
    else:
        assert answer.status_code == 403, answer.text
        assert bilingual(answer.json()["detail"]), answer.json()["detail"]
        with engine.connect() as conn:
            status = conn.execute(
                text("SELECT status FROM dispute WHERE id = :i"), {"i": dispute_id}
            ).scalar()
        assert status == from_status


@pytest.mark.parametrize("role", ROLES)
def test_supervision_is_the_centres(server, users, engine, role):
    dispute_id = make_case(engine, "in_progress")
    body = {"act": "remind", "version": 1, "note": "请加快办理"}
    answer = post(server, users[role], f"/disputes/{dispute_id}/supervision", body)
    if role in CENTRES:
        assert answer.status_code == 200, answer.text
    else:
        assert answer.status_code == 403, answer.text
        assert bilingual(answer.json()["detail"])


def test_the_handler_never_records_its_own_rating(server, users, engine):
    dispute_id = make_case(engine, "resolved", unit=YELIGUAN)
    body = {"to": "rated", "version": 1, "satisfaction": 5, "rating_source": "visit"}
    refused = post(server, users["township"], f"/disputes/{dispute_id}/transitions", body)
    assert refused.status_code == 403
    assert "承办单位" in refused.json()["detail"] and "its own case" in refused.json()["detail"]
    taken = post(server, users["county_centre"], f"/disputes/{dispute_id}/transitions", body)
    assert taken.status_code == 200, taken.text
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT satisfaction, rating_source FROM dispute WHERE id = :i"),
            {"i": dispute_id},
        ).one()
    assert tuple(row) == (5, "visit")


def test_a_rating_names_its_source_and_citizen_is_not_a_clerks(server, users, engine):
    dispute_id = make_case(engine, "resolved")
    path = f"/disputes/{dispute_id}/transitions"
    for source in (None, "citizen", "fax"):
        body = {"to": "rated", "version": 1, "satisfaction": 3, "rating_source": source}
        answer = post(server, users["township"], path, body)
        assert answer.status_code == 422, answer.text


def test_only_the_routing_centre_archives(server, users, engine):
    dispute_id = make_case(engine, "rated", routed_by="county_centre:623021")
    path, body = f"/disputes/{dispute_id}/transitions", {"to": "archived", "version": 1}
    assert post(server, users["township"], path, body).status_code == 403
    assert post(server, users["county_centre"], path, body).is_success


def test_routing_assigns_explicitly_and_the_event_says_so(server, users, engine):
    dispute_id = make_case(engine, "received", unit=None)
    body = {"to": "routed", "version": 1, "assignee": f"GL-{CHIGOU}"}
    answer = post(server, users["township"], f"/disputes/{dispute_id}/transitions", body)
    assert answer.status_code == 200, answer.text
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT assignee_unit, assignee_staff, routed_by,"
                " (SELECT note FROM dispute_event e WHERE e.dispute_id = d.id ORDER BY id DESC"
                "  LIMIT 1) AS note FROM dispute d WHERE id = :i"
            ),
            {"i": dispute_id},
        ).one()
    assert row.assignee_unit == GRID[CHIGOU]
    assert row.assignee_staff == f"GL-{CHIGOU}"
    assert row.routed_by == f"township:{YELIGUAN}"
    assert GRID[CHIGOU] in row.note and f"GL-{CHIGOU}" in row.note
    # the grid leader now holds it: it accepts; the partner, to whom it was not routed, does not
    # even see it (answered as a missing case)
    accept = {"to": "in_progress", "version": 2}
    path = f"/disputes/{dispute_id}/transitions"
    assert post(server, users["partner"], path, accept).status_code == 404
    assert post(server, users["grid_leader"], path, accept).status_code == 200


def test_the_dispatch_suggestion_is_accepted_in_one_step(server, users, engine):
    dispute_id = make_case(engine, "received", unit=None)
    path = f"/disputes/{dispute_id}"
    suggested = httpx.get(
        f"{server}/api/v1{path}/dispatch", headers=users["township"].headers, timeout=60
    ).json()["recommendations"][0]
    refused = post(server, users["grid_leader"], f"{path}/dispatch/accept", {"version": 1})
    assert refused.status_code == 403 and bilingual(refused.json()["detail"])
    taken = post(server, users["township"], f"{path}/dispatch/accept", {"version": 1})
    assert taken.status_code == 200, taken.text
    assert taken.json()["to"] == "routed"
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT assignee_unit, assignee_staff FROM dispute WHERE id = :i"),
            {"i": dispute_id},
        ).one()
    assert suggested["code"] in (row.assignee_unit, row.assignee_staff)
