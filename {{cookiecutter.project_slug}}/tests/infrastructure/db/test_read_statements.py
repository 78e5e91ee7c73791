"""The read statements port: every implementation returns the same rows, as the same types.

On SQLite only the engine's implementation runs; on PostgreSQL the engine's and asyncpg's run
side by side and must agree value for value and type for type.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import (
    JSON,
    Enum,
    Numeric,
    Select,
    Uuid,
    bindparam,
    cast,
    exc,
    func,
    literal,
    select,
)

from app.infrastructure.db.asyncpg_read_statements import AsyncpgReadStatements
from app.infrastructure.db.engine_read_statements import EngineReadStatements
from app.infrastructure.db.read_statements import ReadStatements, UnportableStatementError
from tests.infrastructure.db.readings import FIRST, SECOND, Kind, create_readings, readings
from tests.support.database import Database

_all = select(readings).order_by(readings.c.id)
_by_id = select(readings).where(readings.c.id == bindparam("id"))
_labels_in = (
    select(readings.c.label)
    .where(readings.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(readings.c.label)
)


@pytest.fixture
async def implementations(database: Database) -> AsyncIterator[dict[str, ReadStatements]]:
    """Each implementation that runs on this backend, over the table of readings."""
    await create_readings(database.write)
    found: dict[str, ReadStatements] = {"engine": EngineReadStatements(database.read)}
    if database.backend == "postgresql":
        found["asyncpg"] = AsyncpgReadStatements.from_settings(database.settings)
    try:
        yield found
    finally:
        for implementation in found.values():
            await implementation.aclose()


def expected(reading: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        value.astimezone(UTC) if isinstance(value, datetime) else value
        for value in reading.values()
    )


async def test_rows_come_back_with_the_same_values_and_types(implementations):
    seen = {name: await each.fetch_all(_all) for name, each in implementations.items()}

    for rows in seen.values():
        assert [tuple(row) for row in rows] == [expected(FIRST), expected(SECOND)]
        first = rows[0]
        assert isinstance(first[0], UUID)
        assert first[0] == FIRST["id"]
        assert hash(first[0]) == hash(FIRST["id"])
        assert first[5].tzinfo is not None
        assert first[5].utcoffset() == timedelta(0)
        assert Kind(first[2]) is Kind.GAUGE
        assert (type(first[3]), type(first[4])) == (bool, int)
    assert len({tuple(tuple(map(type, row)) for row in rows) for rows in seen.values()}) == 1


async def test_fetch_one_is_the_first_row_or_none(implementations):
    for each in implementations.values():
        row = await each.fetch_one(_by_id, {"id": SECOND["id"]})
        assert row is not None
        assert tuple(row) == expected(SECOND)
        assert await each.fetch_one(_by_id, {"id": uuid4()}) is None


async def test_fetch_value_is_the_first_column_of_the_first_row_or_none(implementations):
    count = select(func.count()).select_from(readings)
    day = select(readings.c.day).where(readings.c.id == bindparam("id"))
    taken_at = select(readings.c.taken_at).where(readings.c.id == bindparam("id"))
    for each in implementations.values():
        assert await each.fetch_value(count) == 2
        assert await each.fetch_value(taken_at, {"id": FIRST["id"]}) == FIRST["taken_at"]
        assert await each.fetch_value(day, {"id": SECOND["id"]}) is None  # a NULL
        assert await each.fetch_value(day, {"id": uuid4()}) is None  # no row


async def test_parameters_are_bound_by_name_and_processed_by_their_type(implementations):
    statement = select(readings.c.label).where(
        readings.c.flag == bindparam("flag"),
        readings.c.taken_at < bindparam("before"),
        readings.c.kind == bindparam("kind"),
    )
    # 07:00 UTC, half an hour before FIRST was taken: UTCDateTime converts it before binding
    # (SQLite would compare the local 09:00 otherwise).
    before = datetime(2024, 5, 6, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    later = before + timedelta(hours=1)
    for each in implementations.values():
        none = await each.fetch_all(statement, {"flag": True, "before": before, "kind": "gauge"})
        rows = await each.fetch_all(statement, {"flag": True, "before": later, "kind": "gauge"})
        assert none == []
        assert [row[0] for row in rows] == [FIRST["label"]]


async def test_like_with_an_escape_character_matches_wildcards_literally(implementations):
    statement = select(readings.c.label).where(
        readings.c.label.contains(bindparam("part"), escape="/")
    )
    for each in implementations.values():
        assert [row[0] for row in await each.fetch_all(statement, {"part": "/%/_"})] == [
            FIRST["label"]
        ]
        assert [row[0] for row in await each.fetch_all(statement, {"part": "e//"})] == [
            FIRST["label"]
        ]
        assert await each.fetch_all(statement, {"part": "0/_"}) == []


async def test_an_in_list_takes_any_number_of_values_in_one_statement(implementations):
    for each in implementations.values():
        both = await each.fetch_all(_labels_in, {"ids": [SECOND["id"], FIRST["id"]]})
        assert [row[0] for row in both] == [FIRST["label"], SECOND["label"]]
        one = await each.fetch_all(_labels_in, {"ids": [SECOND["id"]]})
        assert [row[0] for row in one] == [SECOND["label"]]
        assert await each.fetch_all(_labels_in, {"ids": []}) == []


async def test_values_written_into_a_statement_are_bound_too(implementations):
    statement = select(readings.c.amount).where(readings.c.kind == Kind.METER.value).limit(5)
    for each in implementations.values():
        assert await each.fetch_value(statement) == -3


async def test_a_naive_datetime_is_refused_as_the_column_type_says(implementations):
    statement = select(readings.c.id).where(readings.c.taken_at < bindparam("before"))
    for each in implementations.values():
        with pytest.raises(Exception, match="naive datetime"):
            await each.fetch_all(statement, {"before": datetime(2024, 1, 1)})


async def test_a_missing_parameter_is_an_error(implementations):
    for each in implementations.values():
        with pytest.raises(exc.SQLAlchemyError, match="bind parameter 'id'"):
            await each.fetch_one(_by_id, {})


@pytest.mark.parametrize(
    "statement",
    [
        select(cast(literal("{}"), JSON)),
        select(literal(1.5, Numeric(asdecimal=True))),
        select(cast(literal("gauge"), Enum(Kind))),
        select(cast(literal(str(uuid4())), Uuid(as_uuid=False))),
        select(readings.c.id).where(readings.c.amount == bindparam("amount", type_=Numeric())),
    ],
    ids=["json column", "numeric column", "enum column", "uuid as string", "numeric parameter"],
)
async def test_a_type_the_implementations_would_return_differently_is_refused(
    implementations, statement: Select[Any]
):
    for each in implementations.values():
        with pytest.raises(UnportableStatementError):
            await each.fetch_all(statement)
