from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest

from app.core.cqrs import NON_FIELD_ERRORS, ICommand, NotFoundError, OperationStatus
from app.core.cqrs.failures import UNEXPECTED_MESSAGE, failure_for


@dataclass
class DoIt(ICommand[None]):
    pass


def test_an_operation_error_keeps_its_status_and_errors() -> None:
    assert failure_for(NotFoundError("gone"), DoIt()) == (
        OperationStatus.NOT_FOUND,
        {NON_FIELD_ERRORS: "gone"},
    )


def test_a_timeout_error_is_a_timeout() -> None:
    status, _ = failure_for(TimeoutError(), DoIt())
    assert status is OperationStatus.TIMEOUT


def test_an_unexpected_error_is_failed_with_a_generic_message_and_logged_with_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    command = DoIt()
    command.metadata.operation_id = "op-7"
    try:
        raise KeyError("password=hunter2")
    except KeyError as exc:
        status, errors = failure_for(exc, command)
    assert status is OperationStatus.FAILED
    assert errors == {NON_FIELD_ERRORS: UNEXPECTED_MESSAGE}
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "DoIt" in record.getMessage()
    assert "op-7" in record.getMessage()
    assert record.exc_info is not None
    assert record.exc_info[0] is KeyError
