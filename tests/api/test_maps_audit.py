"""Map layers that carry cases or personal data write one audit row per read; others none."""

from __future__ import annotations

from api.deps import TOKEN_COOKIE
from geo.accounts import audit


def test_case_layers_and_the_command_room_are_audited_once_per_read(http, demo_users, demo_db):
    name = demo_users["county_centre"].username
    counts = {
        kind: audit.count(session=demo_db, object_type=kind, action="read")
        for kind in ("map:disputes", "map:on_duty", "map:grids", "map:command-room")
    }
    assert http.get("/api/v1/maps/layers/disputes").status_code == 200
    assert http.get("/api/v1/maps/layers/on_duty").status_code == 200
    assert http.get("/api/v1/maps/layers/grids").status_code == 200
    http.cookies.set(TOKEN_COOKIE, demo_users["county_centre"].token)
    assert http.get("/maps/command-room").status_code == 200
    demo_db.rollback()
    after = {kind: audit.count(session=demo_db, object_type=kind, action="read") for kind in counts}
    assert after["map:disputes"] == counts["map:disputes"] + 1
    assert after["map:on_duty"] == counts["map:on_duty"] + 1
    assert after["map:command-room"] == counts["map:command-room"] + 1
    assert after["map:grids"] == counts["map:grids"]
    row = audit.entries(session=demo_db, object_type="map:disputes", username=name, limit=1)[0]
    assert row["detail"]["count"] >= 0 and row["detail"]["filter"]["path"].endswith("/disputes")
