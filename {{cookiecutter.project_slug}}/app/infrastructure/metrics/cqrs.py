"""CQRS operation metrics, named as ADR-020 measures them; recorded by `CQRSMetricsMiddleware`.

`name` is the message class name and `status` the `OperationStatus` value the caller received,
both bounded by the code base. `error_type` is the exception's class name when one escaped the
handler, otherwise the failed status (a validation error, an expected rollback).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from app.infrastructure.metrics.buckets import LATENCY_BUCKETS_SECONDS

CQRS_COMMANDS = Counter(
    "cqrs_command_total",
    "Commands executed, by command name and result status.",
    ["name", "status"],
)
CQRS_QUERIES = Counter(
    "cqrs_query_total",
    "Queries executed, by query name and result status.",
    ["name", "status"],
)
CQRS_COMMAND_DURATION = Histogram(
    "cqrs_command_duration_seconds",
    "Time to execute a command through the bus, by command name.",
    ["name"],
    buckets=LATENCY_BUCKETS_SECONDS,
)
CQRS_QUERY_DURATION = Histogram(
    "cqrs_query_duration_seconds",
    "Time to execute a query through the bus, by query name.",
    ["name"],
    buckets=LATENCY_BUCKETS_SECONDS,
)
CQRS_OPERATION_ERRORS = Counter(
    "cqrs_operation_errors_total",
    "Commands and queries that did not succeed, by error type.",
    ["error_type"],
)
