"""A 200 means the change is committed: the commit happens before the response starts.

With the session committed after the response (FastAPI's default for dependencies with
``yield``), a client that acts on a reply at once can still read the old state, and a commit
that fails would be an acknowledged write that was lost.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from api.app import create_app
from geo.database.engine import make_engine
from tests.api.accounts import token_for


def test_the_session_commits_before_the_response_starts(fresh_demo_url):
    engine = make_engine(fresh_demo_url, pool_size=1)
    with engine.begin() as conn:
        dispute_id = conn.execute(
            text(
                "INSERT INTO dispute (external_id, county_code, category, reported_at, grid_id, "
                "geom) SELECT 'commit-order', g.county_code, 'debt', now(), g.id, "
                "ST_PointOnSurface(g.geom) FROM grid g WHERE g.valid_to IS NULL "
                "ORDER BY g.code LIMIT 1 RETURNING id"
            )
        ).scalar_one()
    engine.dispose()

    order: list[str] = []
    app = create_app(database_url=fresh_demo_url)

    async def recording(scope, receive, send):
        async def send_and_note(message):
            if message["type"] == "http.response.start":
                order.append("response")
            await send(message)

        await app(scope, receive, send_and_note)

    def note_commit(session):
        order.append("commit")

    event.listen(Session, "after_commit", note_commit)
    try:
        with TestClient(recording) as client:
            token = token_for(
                fresh_demo_url, username="clerk", role="county_centre", settings=app.state.settings
            )
            reply = client.post(
                f"/api/v1/disputes/{dispute_id}/transitions",
                json={"to": "in_progress", "version": 1},
                headers={"Authorization": f"Bearer {token}"},
            )
    finally:
        event.remove(Session, "after_commit", note_commit)
    assert reply.status_code == 200, reply.text
    assert "commit" in order
    assert order.index("commit") < order.index("response"), order
