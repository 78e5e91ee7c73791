"""Conflicting updates to one user at once: each is applied whole or refused with 409."""

from __future__ import annotations

import psycopg

from tests.reliability.concurrency import Call, send_all
from tests.reliability.served import ServedApp, create_user

UPDATES = 200


def test_concurrent_conflicting_updates_leave_the_last_acknowledged_write_everywhere(
    served: ServedApp,
) -> None:
    token = served.token()
    user_id = create_user(served, token, "contended")
    path = f"/api/v1/users/{user_id}"
    calls = [Call("PATCH", path, {"full_name": f"Writer {n}"}) for n in range(UPDATES)]

    answers = send_all(served.base_url, token, calls, limit=UPDATES)

    assert {answer.status for answer in answers} <= {200, 409}, [
        (a.status, a.body) for a in answers if a.status not in (200, 409)
    ]
    for answer in answers:
        if answer.status == 409:
            assert answer.content_type.startswith("application/problem+json")
    acknowledged = [answer.body for answer in answers if answer.status == 200]
    assert acknowledged, "at least one update must win"
    versions = [body["version"] for body in acknowledged]
    assert len(set(versions)) == len(versions), "two acknowledged writes claim the same version"
    last = max(acknowledged, key=lambda body: body["version"])
    assert last["version"] == 1 + len(acknowledged)

    final = send_all(served.base_url, token, [Call("GET", path)], limit=1)[0]
    assert final.status == 200
    assert (final.body["full_name"], final.body["version"]) == (last["full_name"], last["version"])
    with psycopg.connect(served.database_url) as connection:
        written = connection.execute(
            "SELECT full_name, version FROM users WHERE id = %s", (user_id,)
        ).fetchone()
        viewed = connection.execute(
            "SELECT full_name, version FROM user_view WHERE id = %s", (user_id,)
        ).fetchone()
        events = connection.execute(
            "SELECT count(*), max(aggregate_version) FROM event_log "
            "WHERE aggregate_id = %s AND event_type = 'UserUpdated'",
            (user_id,),
        ).fetchone()
    assert written == viewed == (last["full_name"], last["version"])
    assert events == (len(acknowledged), last["version"])
