from __future__ import annotations

import logging

import pytest

from app.infrastructure.logging.setup import default_log_format


@pytest.mark.parametrize(
    ("environment", "expected"),
    [("production", "json"), ("development", "console"), ("test", "console")],
)
def test_production_logs_json_and_everything_else_readable_lines(environment, expected):
    assert default_log_format(environment) == expected


def test_configuring_twice_keeps_one_handler_and_leaves_other_handlers_alone(configured_log):
    root = logging.getLogger()
    foreign = logging.NullHandler()
    root.addHandler(foreign)

    first = configured_log("json")
    second = configured_log("console")
    logging.getLogger("tests.setup").info("once")

    assert foreign in root.handlers
    assert first.getvalue() == ""
    assert second.getvalue().count("once") == 1


def test_uvicorn_lines_go_through_the_same_handler(configured_log):
    uvicorn_error = logging.getLogger("uvicorn.error")
    uvicorn_error.addHandler(logging.NullHandler())
    uvicorn_error.propagate = False

    buffer = configured_log("console")
    uvicorn_error.info("Application startup complete.")

    assert "uvicorn.error Application startup complete." in buffer.getvalue()


def test_the_root_level_follows_the_setting(configured_log):
    configured_log("json")
    assert logging.getLogger().level == logging.DEBUG
