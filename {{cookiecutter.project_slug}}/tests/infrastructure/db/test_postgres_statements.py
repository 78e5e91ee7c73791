"""Statements compiled for asyncpg: once each, into `$n` SQL and the values to send in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest
from sqlalchemy import Uuid, bindparam, exc, select

from app.infrastructure.db.postgres_statements import PostgresStatements, compile_for_asyncpg
from app.infrastructure.db.read_statements import UnportableStatementError
from tests.infrastructure.db.readings import readings

_by_label = select(readings.c.id, readings.c.taken_at).where(
    readings.c.label == bindparam("label"), readings.c.flag == bindparam("flag")
)


def test_a_statement_is_compiled_once_and_then_found_by_identity():
    statements = PostgresStatements()

    compiled = statements[_by_label]

    assert statements[_by_label] is compiled
    assert len(statements) == 1


def test_the_sql_has_a_numbered_placeholder_per_parameter_in_order():
    compiled = compile_for_asyncpg(_by_label)

    assert "test_readings.label = $1::VARCHAR" in compiled.sql
    assert "test_readings.flag = $2::BOOLEAN" in compiled.sql
    assert compiled.arguments({"flag": True, "label": "a"}) == (compiled.sql, ["a", True])


def test_a_parameter_used_twice_is_one_placeholder():
    statement = select(readings.c.id).where(
        (readings.c.label == bindparam("text")) | (readings.c.kind == bindparam("text"))
    )

    compiled = compile_for_asyncpg(statement)

    assert compiled.sql.count("$1") == 2
    assert compiled.arguments({"text": "x"})[1] == ["x"]


def test_a_like_keeps_its_escape_clause():
    statement = select(readings.c.id).where(
        readings.c.label.contains(bindparam("part"), escape="/")
    )

    sql = compile_for_asyncpg(statement).sql

    assert "LIKE '%' || $1::VARCHAR || '%' ESCAPE '/'" in sql


def test_parameters_go_through_their_type_and_columns_come_back_through_theirs():
    compiled = compile_for_asyncpg(_by_label)
    at_two = datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))
    statement = select(readings.c.id).where(readings.c.taken_at > bindparam("after"))

    _, values = compile_for_asyncpg(statement).arguments({"after": at_two})
    row = compiled.row((uuid4(), at_two.astimezone(UTC)))

    assert values[0].utcoffset() == timedelta(0)  # UTCDateTime stores UTC
    assert row[1] == at_two


def test_an_in_list_is_expanded_for_the_values_of_each_call():
    statement = select(readings.c.label).where(
        readings.c.amount == bindparam("amount"),
        readings.c.id.in_(bindparam("ids", expanding=True)),
    )
    compiled = compile_for_asyncpg(statement)
    ids = [uuid4(), uuid4()]

    sql, values = compiled.arguments({"amount": 1, "ids": ids})
    one_sql, one_value = compiled.arguments({"amount": 1, "ids": ids[:1]})

    assert "IN ($2::UUID, $3::UUID)" in sql
    assert values == [1, *ids]
    assert "IN ($2::UUID)" in one_sql
    assert one_value == [1, ids[0]]


def test_a_value_written_into_the_statement_is_sent_unless_passed():
    statement = select(readings.c.id).where(readings.c.kind == "gauge").limit(5)

    _, values = compile_for_asyncpg(statement).arguments({})

    assert values == ["gauge", 5]


def test_a_missing_parameter_is_refused_before_anything_is_sent():
    with pytest.raises(exc.InvalidRequestError, match="bind parameter 'flag'"):
        compile_for_asyncpg(_by_label).arguments({"label": "a"})


def test_an_unportable_statement_is_refused_when_compiled():
    statement = select(readings.c.id).where(
        readings.c.id == bindparam("id", type_=Uuid(as_uuid=False))
    )

    with pytest.raises(UnportableStatementError, match="parameter 'id'"):
        compile_for_asyncpg(statement)


def test_statements_built_per_call_cannot_pile_up(caplog: pytest.LogCaptureFixture):
    statements = PostgresStatements(max_size=2)
    built = [select(readings.c.id).where(readings.c.amount == n) for n in range(3)]

    first = statements[built[0]]
    for statement in built[1:]:
        statements[statement]

    assert len(statements) == 2
    assert statements[built[0]] is not first  # pushed out, compiled again
    assert "is one built per call?" in caplog.text
