from __future__ import annotations

import pytest

from app.core.cqrs import NON_FIELD_ERRORS, CommandResult, OperationStatus, QueryResult


def test_a_success_has_data_and_an_empty_read_only_errors_mapping() -> None:
    result = CommandResult(OperationStatus.SUCCESS, "id-1")
    assert result.is_success
    assert not result.is_failure
    assert result.data == "id-1"
    assert result.errors == {}
    with pytest.raises(TypeError):
        result.errors["x"] = "y"  # type: ignore[index]


@pytest.mark.parametrize("status", [s for s in OperationStatus if s is not OperationStatus.SUCCESS])
def test_every_other_status_is_a_failure(status: OperationStatus) -> None:
    result = QueryResult[int](status, errors={NON_FIELD_ERRORS: "no"})
    assert result.is_failure
    assert not result.is_success
    assert result.data is None


def test_results_have_the_documented_fields_and_no_instance_dict() -> None:
    command = CommandResult(OperationStatus.SUCCESS, 1, affected_entities={"created": {}})
    query = QueryResult(OperationStatus.SUCCESS, [1], pagination={"page": 1})
    assert (command.event_position, command.operation_id, query.cache_info) == (None, None, None)
    assert not hasattr(command, "__dict__")
    assert not hasattr(query, "__dict__")
