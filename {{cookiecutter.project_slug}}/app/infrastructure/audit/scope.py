"""The audit entries of the command running in this task, until they are written.

The entries of commands dispatched from inside another command's open transaction join its
scope: they are written with it, in its transaction when it commits, or on their own
afterwards when it does not.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass, field

from app.infrastructure.audit.entry import AuditEntry


@dataclass(slots=True, eq=False)
class AuditScope:
    owner: AuditEntry
    nested: list[AuditEntry] = field(default_factory=list)
    written: bool = False

    @property
    def entries(self) -> list[AuditEntry]:
        return [self.owner, *self.nested]


_current: ContextVar[AuditScope | None] = ContextVar("audit_scope", default=None)


def current_audit_scope() -> AuditScope | None:
    return _current.get()


def bind_audit_scope(scope: AuditScope) -> Token[AuditScope | None]:
    return _current.set(scope)


def unbind_audit_scope(token: Token[AuditScope | None]) -> None:
    _current.reset(token)
