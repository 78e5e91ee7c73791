"""Adding the observability middlewares to a bus, in the one order that works.

Outermost first:

1. `OperationContextMiddleware`: fills in correlation id, user id and cause; binds the
   operation id for log lines. Everything after it reads these.
2. tracing (when OpenTelemetry is installed and enabled): the span covers all that follows.
3. `CQRSMetricsMiddleware`: the measured duration includes logging and the audit write.
4. `OperationLoggingMiddleware`: one line per operation.
5. `AuditMiddleware` (commands only): innermost, closest to the transaction it writes into.
"""

from __future__ import annotations

from app.core.cqrs import CQRSBus
from app.core.cqrs.middleware import Middleware
from app.infrastructure.audit.middleware import AuditMiddleware
from app.infrastructure.audit.writer import AuditWriter
from app.infrastructure.logging.operation_logging import OperationLoggingMiddleware
from app.infrastructure.metrics.cqrs_middleware import CQRSMetricsMiddleware
from app.infrastructure.observability.operation_context import OperationContextMiddleware


def install_bus_observability(
    bus: CQRSBus,
    *,
    audit_writer: AuditWriter | None,
    tracing_middleware: Middleware | None = None,
) -> None:
    bus.add_middleware(OperationContextMiddleware())
    if tracing_middleware is not None:
        bus.add_middleware(tracing_middleware)
    bus.add_middleware(CQRSMetricsMiddleware())
    bus.add_middleware(OperationLoggingMiddleware())
    if audit_writer is not None:
        bus.add_command_middleware(AuditMiddleware(audit_writer))
