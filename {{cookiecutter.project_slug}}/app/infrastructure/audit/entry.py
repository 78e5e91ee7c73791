"""One command execution as the audit trail records it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

from app.core.cqrs import Message, OperationStatus
from app.infrastructure.audit.payload import audit_payload
from app.infrastructure.audit.tables import MAX_ID_LENGTH
from app.infrastructure.observability.redaction import redact


@dataclass(slots=True, eq=False)
class AuditEntry:
    command_name: str
    operation_id: str
    correlation_id: str | None
    user_id: str | None
    payload: dict[str, Any]
    occurred_at: datetime
    started: float
    status: OperationStatus | None = None
    duration_ms: float = 0.0
    errors: dict[str, Any] | None = None

    @classmethod
    def begin(cls, command: Message) -> AuditEntry:
        metadata = command.metadata
        user_id = metadata.user_id
        if user_id is None and metadata.principal is not None:
            user_id = metadata.principal.user_id
        return cls(
            command_name=command.message_name(),
            operation_id=_clipped(metadata.operation_id) or "",
            correlation_id=_clipped(metadata.correlation_id),
            user_id=_clipped(user_id),
            payload=audit_payload(command),
            occurred_at=datetime.now(UTC),
            started=perf_counter(),
        )

    def finish(self, status: OperationStatus, errors: Mapping[str, Any] | None = None) -> None:
        """Note how it ended; may be called again if a later step changes the outcome."""
        self.status = status
        self.duration_ms = (perf_counter() - self.started) * 1000
        self.errors = redact(dict(errors)) if errors else None

    def row(self) -> dict[str, Any]:
        return {
            "occurred_at": self.occurred_at,
            "command_name": self.command_name,
            "operation_id": self.operation_id,
            "correlation_id": self.correlation_id,
            "user_id": self.user_id,
            "status": (self.status or OperationStatus.FAILED).value,
            "duration_ms": self.duration_ms,
            "payload": self.payload,
            "errors": self.errors,
        }


def _clipped(value: str | None) -> str | None:
    return value[:MAX_ID_LENGTH] if value is not None else None
