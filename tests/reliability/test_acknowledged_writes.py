"""A 2xx means committed: after a burst of writes, rows and events equal the acknowledgements."""

from __future__ import annotations

import psycopg

from tests.reliability.concurrency import Call, send_all
from tests.reliability.served import ServedApp, create_user

USERS = 16
UPDATES = 480
CREATES = 24


def test_every_acknowledged_update_and_create_is_committed_with_its_event(
    served: ServedApp,
) -> None:
    token = served.token()
    user_ids = [create_user(served, token, f"burst{n}") for n in range(USERS)]
    updates = [
        Call("PATCH", f"/api/v1/users/{user_ids[n % USERS]}", {"full_name": f"Burst {n}"})
        for n in range(UPDATES)
    ]
    creates = [
        Call("POST", "/api/v1/users", {
            "email": f"new{n}@example.com", "username": f"new{n}", "full_name": f"New {n}",
            "password": f"new{n}-password-1",
        })
        for n in range(CREATES)
    ]  # fmt: skip

    answers = send_all(served.base_url, token, updates + creates, limit=64)

    assert {answer.status for answer in answers} <= {200, 201, 409}, [
        (a.status, a.body) for a in answers if a.status not in (200, 201, 409)
    ]
    updated = sum(1 for answer in answers if answer.status == 200)
    created = {answer.body["id"] for answer in answers if answer.status == 201}
    assert updated > 0
    assert len(created) == CREATES  # distinct emails: no reason for any create to fail
    with psycopg.connect(served.database_url) as connection:
        version_sum = connection.execute(
            "SELECT coalesce(sum(version - 1), 0) FROM users WHERE id = ANY(%s::uuid[])",
            (user_ids,),
        ).fetchone()
        update_events = connection.execute(
            "SELECT count(*) FROM event_log WHERE event_type = 'UserUpdated' "
            "AND aggregate_id = ANY(%s)",
            (user_ids,),
        ).fetchone()
        created_rows = connection.execute(
            "SELECT count(*) FROM users WHERE id = ANY(%s::uuid[])", (sorted(created),)
        ).fetchone()
        created_events = connection.execute(
            "SELECT count(*) FROM event_log WHERE event_type = 'UserCreated' "
            "AND aggregate_id = ANY(%s)",
            (sorted(created),),
        ).fetchone()
    assert version_sum == (updated,)
    assert update_events == (updated,)
    assert created_rows == created_events == (CREATES,)
