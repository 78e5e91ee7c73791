"""The benchmark's own PostgreSQL database: created, migrated, seeded, and dropped again.

Seeding writes the write model, the event log and both read models in one transaction with
set-based SQL, exactly as the service's own projections would have left them (one
`UserCreated` per user, checkpoints at the log's head), so no HTTP request and no password
hashing is spent on it. One user in 50 is an admin: the list scenario pages through them.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

ADMIN_EVERY = 50
REFERENCE_USERS_TABLE = "bench_reference_users"
# The event log's append lock (see app/infrastructure/events/log.py): the bytes "evtappnd".
APPEND_LOCK_KEY = int.from_bytes(b"evtappnd", "big", signed=True)

_SEED_STATEMENTS = (
    """
    INSERT INTO users (id, email, username, full_name, hashed_password, role, is_active,
                       version, created_at, updated_at)
    SELECT gen_random_uuid(), format('user-%%s@example.com', lpad(n::text, 6, '0')),
           format('user%%s', n), format('Bench User %%s', n), %(hashed_password)s,
           CASE WHEN n %% {admin_every} = 0 THEN 'admin' ELSE 'user' END, true, 1,
           created, created
    FROM generate_series(1, %(users)s) AS n,
         LATERAL (SELECT now() - make_interval(secs => %(users)s - n) AS created) AS moment
    """,
    "SELECT pg_advisory_xact_lock(%(lock_key)s)",
    """
    INSERT INTO event_log (event_type, schema_version, aggregate_id, aggregate_version,
                           payload, occurred_at)
    SELECT 'UserCreated', 1, id::text, 1,
           jsonb_build_object('email', email, 'username', username, 'full_name', full_name,
                              'role', role, 'is_active', is_active, 'aggregate_version', 1),
           created_at
    FROM users ORDER BY created_at, id
    """,
    """
    INSERT INTO user_view (id, email, username, full_name, role, is_active, version,
                           created_at, updated_at)
    SELECT id, email, username, full_name, role, is_active, version, created_at, updated_at
    FROM users
    """,
    """
    INSERT INTO user_stats_members (user_id, role, is_active, version)
    SELECT id, role, is_active, version FROM users
    """,
    """
    INSERT INTO user_stats (role, is_active, user_count)
    SELECT role, is_active, count(*) FROM users GROUP BY role, is_active
    """,
    """
    INSERT INTO projection_checkpoints (name, position, updated_at)
    SELECT name, (SELECT max(position) FROM event_log), now()
    FROM (VALUES ('user_view'), ('user_stats')) AS installed(name)
    """,
    f"CREATE TABLE {REFERENCE_USERS_TABLE} (LIKE users INCLUDING ALL)",
    f"INSERT INTO {REFERENCE_USERS_TABLE} SELECT * FROM users",  # noqa: S608 (a constant)
)


def admin_url(server_url: str) -> str:
    return f"{server_url.rstrip('/')}/postgres"


def database_url(server_url: str, name: str) -> str:
    return f"{server_url.rstrip('/')}/{name}"


def create_database(server_url: str, name: str) -> None:
    with psycopg.connect(admin_url(server_url), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(admin_url(server_url), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def seed_users(url: str, users: int, hashed_password: str) -> None:
    parameters = {"users": users, "hashed_password": hashed_password, "lock_key": APPEND_LOCK_KEY}
    with psycopg.connect(url) as connection:
        with connection.transaction():
            for statement in _SEED_STATEMENTS:
                text = statement.replace("{admin_every}", str(ADMIN_EVERY))
                connection.execute(text.encode(), parameters)
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
    check_consistent(url, expected_users=users)


def check_consistent(url: str, *, expected_users: int) -> None:
    """The write model, the log and the read models tell the same story, or the bench stops."""
    with psycopg.connect(url) as connection:
        row = connection.execute(
            """
            SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM user_view),
                   (SELECT count(*) FROM event_log WHERE event_type = 'UserCreated'),
                   (SELECT coalesce(sum(user_count), 0) FROM user_stats)
            """
        ).fetchone()
    counts = tuple(int(value) for value in row or ())
    if counts != (expected_users,) * 4:
        raise RuntimeError(f"seeding left users/view/events/stats = {counts}, not {expected_users}")


def user_ids(url: str, *, role: str) -> list[str]:
    """The ids of every user with `role`, shuffled."""
    query = "SELECT id::text FROM users WHERE role = %s ORDER BY random()"
    with psycopg.connect(url) as connection:
        return [value for (value,) in connection.execute(query, (role,))]


def count_events(url: str, event_type: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT count(*) FROM event_log WHERE event_type = %s", (event_type,)
        ).fetchone()
    return int(row[0]) if row else 0
