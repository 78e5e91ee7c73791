from __future__ import annotations

import pytest

from app.infrastructure.observability.request_context import (
    MAX_ID_LENGTH,
    RequestIds,
    acceptable_id,
    bind_operation_id,
    bind_request_ids,
    current_correlation_id,
    current_operation_id,
    current_request_id,
    new_request_id,
    unbind_operation_id,
    unbind_request_ids,
)


@pytest.mark.parametrize(
    "raw",
    [
        b"abc123",
        b"0f8fad5b-d9cb-469f-a165-70867728950e",
        b"trace:span/7+x=y@host_1.2",
        "A" * MAX_ID_LENGTH,
    ],
)
def test_plain_short_ids_are_accepted_as_sent(raw):
    expected = raw.decode() if isinstance(raw, bytes) else raw
    assert acceptable_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        b"",
        b"has space",
        b'quote"d',
        b"new\nline",
        b"-starts-with-punctuation",
        "é-accented",
        b"\xff\xfe",
        "A" * (MAX_ID_LENGTH + 1),
    ],
)
def test_ids_that_could_break_a_header_or_a_log_line_are_refused(raw):
    assert acceptable_id(raw) is None


def test_generated_request_ids_are_unique_and_acceptable():
    ids = {new_request_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(acceptable_id(request_id) == request_id for request_id in ids)


def test_bound_ids_are_visible_until_unbound():
    assert current_request_id() is None
    token = bind_request_ids(RequestIds(request_id="r1", correlation_id="c1"))
    try:
        assert (current_request_id(), current_correlation_id()) == ("r1", "c1")
    finally:
        unbind_request_ids(token)
    assert (current_request_id(), current_correlation_id()) == (None, None)


def test_the_operation_id_is_bound_separately_and_nests():
    outer = bind_operation_id("op-outer")
    inner = bind_operation_id("op-inner")
    assert current_operation_id() == "op-inner"
    unbind_operation_id(inner)
    assert current_operation_id() == "op-outer"
    unbind_operation_id(outer)
    assert current_operation_id() is None
