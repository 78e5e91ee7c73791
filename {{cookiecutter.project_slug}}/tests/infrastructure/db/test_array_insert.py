"""The INSERT of many rows as arrays, or of one row as plain parameters (the SQL and values;
the rows they write are checked against PostgreSQL through the event log's append tests)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.dialects import postgresql

from app.infrastructure.db.array_insert import ArrayInsert

items = Table("items", MetaData(), Column("id", Integer), Column("label", String(20)))
dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
ROWS = [{"id": 1, "label": "a"}, {"id": 2, "label": "b"}]


def test_many_rows_travel_as_one_array_per_column():
    insert = ArrayInsert(items, ["id", "label"], dialect, prefix="p_")

    assert "unnest(CAST(:p_id AS INTEGER[]), CAST(:p_label AS VARCHAR(20)[]))" in insert.sql()
    assert insert.parameters(ROWS) == {"p_id": [1, 2], "p_label": ["a", "b"]}


def test_one_row_travels_as_plain_parameters():
    insert = ArrayInsert(items, ["id", "label"], dialect, prefix="p_", one_row=True)

    assert "(VALUES (CAST(:p_id AS INTEGER), CAST(:p_label AS VARCHAR(20))))" in insert.sql()
    assert insert.parameters(ROWS[:1]) == {"p_id": 1, "p_label": "a"}


def test_a_one_row_insert_refuses_any_other_number_of_rows():
    insert = ArrayInsert(items, ["id", "label"], dialect, prefix="p_", one_row=True)

    with pytest.raises(ValueError, match="exactly one row"):
        insert.parameters(ROWS)
