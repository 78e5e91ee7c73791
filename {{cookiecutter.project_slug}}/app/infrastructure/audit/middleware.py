"""A bus middleware recording every command execution in the audit trail.

It opens an audit scope around the command; the audited unit of work writes the scope's rows
inside the command's transaction when it commits. Whatever was not written that way (a
failure, a command without a transaction) is written afterwards in a transaction of its own.
A command dispatched inside another command's open transaction joins that command's scope
rather than writing while the transaction holds its locks. A cancelled command (the client
went away mid-request) is not recorded: nothing of it was committed.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from app.core.cqrs import (
    BusMiddleware,
    Message,
    MessageKind,
    NextHandler,
    OperationError,
    OperationResult,
    current_unit_of_work,
)
from app.infrastructure.audit.entry import AuditEntry
from app.infrastructure.audit.scope import (
    AuditScope,
    bind_audit_scope,
    current_audit_scope,
    unbind_audit_scope,
)
from app.infrastructure.audit.writer import AuditWriter
from app.infrastructure.observability.outcome import (
    error_type_for_exception,
    status_for_exception,
)

ResultT = TypeVar("ResultT", bound=OperationResult[Any])


class AuditMiddleware(BusMiddleware):
    applies_to: ClassVar[frozenset[MessageKind]] = frozenset({MessageKind.COMMAND})

    def __init__(self, writer: AuditWriter) -> None:
        self._writer = writer

    async def __call__(self, operation: Message, next_handler: NextHandler[ResultT]) -> ResultT:
        entry = AuditEntry.begin(operation)
        enclosing = current_audit_scope()
        if enclosing is not None and current_unit_of_work() is not None:
            enclosing.nested.append(entry)
            return await _run(entry, next_handler)
        scope = AuditScope(owner=entry)
        token = bind_audit_scope(scope)
        try:
            result = await _run(entry, next_handler)
        except Exception:
            await self._writer.write(scope.entries)
            raise
        finally:
            unbind_audit_scope(token)
        if not scope.written:
            await self._writer.write(scope.entries)
        return result


async def _run(entry: AuditEntry, next_handler: NextHandler[ResultT]) -> ResultT:
    try:
        result = await next_handler()
    except OperationError as exc:  # an expected outcome: its message is meant to be shown
        entry.finish(exc.status, exc.errors)
        raise
    except Exception as exc:  # unexpected: its message may hold internals, keep only its type
        entry.finish(status_for_exception(exc), {"exception": error_type_for_exception(exc)})
        raise
    entry.finish(result.status, result.errors if result.is_failure else None)
    return result
