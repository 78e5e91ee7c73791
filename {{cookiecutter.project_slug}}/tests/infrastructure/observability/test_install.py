from __future__ import annotations

from sqlalchemy.ext.asyncio import create_async_engine

from app.infrastructure.audit.writer import AuditWriter
from app.infrastructure.observability.install import install_bus_observability
from tests.infrastructure.operation_doubles import Lookup, Rename, operations_bus


async def pass_through(operation, next_handler):
    return await next_handler()


async def test_commands_get_context_tracing_metrics_logging_then_audit_in_that_order(tmp_path):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")
    bus = operations_bus()
    try:
        install_bus_observability(
            bus, audit_writer=AuditWriter(engine), tracing_middleware=pass_through
        )

        command_steps = [s for s in bus.describe_pipeline(Rename) if s.startswith("middleware:")]
        query_steps = [s for s in bus.describe_pipeline(Lookup) if s.startswith("middleware:")]
    finally:
        await engine.dispose()

    assert command_steps == [
        "middleware:OperationContextMiddleware",
        "middleware:pass_through",
        "middleware:CQRSMetricsMiddleware",
        "middleware:OperationLoggingMiddleware",
        "middleware:AuditMiddleware",
    ]
    assert query_steps == command_steps[:-1], "queries are not audited"


def test_without_tracing_or_audit_the_rest_is_still_installed():
    bus = operations_bus()

    install_bus_observability(bus, audit_writer=None)

    assert [s for s in bus.describe_pipeline(Rename) if s.startswith("middleware:")] == [
        "middleware:OperationContextMiddleware",
        "middleware:CQRSMetricsMiddleware",
        "middleware:OperationLoggingMiddleware",
    ]
