"""The CQRS core: messages, results, handlers, registration, the bus and its decorators.

Framework-free: nothing here imports FastAPI, SQLAlchemy, redis or the DI container. The
ports it needs (unit of work, query cache, authorizer) are implemented in `app.infrastructure`,
apart from the in-process query cache (`MemoryQueryCache`), which needs nothing outside Python.
"""

from app.core.cqrs.authorization import Authorizer, PermissionSetAuthorizer
from app.core.cqrs.bus import CQRSBus
from app.core.cqrs.caching import CachedQueryValue
from app.core.cqrs.context import current_unit_of_work, require_unit_of_work
from app.core.cqrs.decorators import authorize, cached_query, retry_on_failure, transactional
from app.core.cqrs.default_bus import (
    get_cqrs_bus,
    initialize_cqrs_bus,
    reset_cqrs_bus,
    set_cqrs_bus,
)
from app.core.cqrs.errors import (
    AuthenticationRequiredError,
    ConcurrencyConflictError,
    ConflictError,
    CQRSConfigurationError,
    CQRSUsageError,
    DuplicateHandlerError,
    HandlerNotFoundError,
    NoActiveUnitOfWorkError,
    NotFoundError,
    OperationError,
    PermissionDeniedError,
    ServiceUnavailableError,
    TransientError,
    ValidationError,
)
from app.core.cqrs.events import DomainEvent
from app.core.cqrs.handlers import BaseCommandHandler, BaseQueryHandler
from app.core.cqrs.memory_cache import MemoryQueryCache
from app.core.cqrs.messages import ICommand, IQuery, Message, MessageKind, OperationMetadata
from app.core.cqrs.middleware import BusMiddleware
from app.core.cqrs.options import AuthorizationRequirement
from app.core.cqrs.ports import (
    Cached,
    EventPublisher,
    IsolationLevel,
    Principal,
    QueryCache,
    UnitOfWork,
    UnitOfWorkFactory,
)
from app.core.cqrs.registry import (
    HandlerRegistration,
    HandlerRegistry,
    command_handler,
    default_registry,
    query_handler,
    register_command_handler,
    register_query_handler,
)
from app.core.cqrs.results import (
    NON_FIELD_ERRORS,
    CacheInfo,
    CommandResult,
    OperationResult,
    OperationStatus,
    QueryResult,
)
from app.core.cqrs.senders import CommandSender, QuerySender
from app.core.cqrs.types import CommandMiddleware, HandlerFactory, NextHandler, QueryMiddleware

__all__ = [
    "NON_FIELD_ERRORS",
    "AuthenticationRequiredError",
    "AuthorizationRequirement",
    "Authorizer",
    "BaseCommandHandler",
    "BaseQueryHandler",
    "BusMiddleware",
    "CQRSBus",
    "CQRSConfigurationError",
    "CQRSUsageError",
    "CacheInfo",
    "Cached",
    "CachedQueryValue",
    "CommandMiddleware",
    "CommandResult",
    "CommandSender",
    "ConcurrencyConflictError",
    "ConflictError",
    "DomainEvent",
    "DuplicateHandlerError",
    "EventPublisher",
    "HandlerFactory",
    "HandlerNotFoundError",
    "HandlerRegistration",
    "HandlerRegistry",
    "ICommand",
    "IQuery",
    "IsolationLevel",
    "MemoryQueryCache",
    "Message",
    "MessageKind",
    "NextHandler",
    "NoActiveUnitOfWorkError",
    "NotFoundError",
    "OperationError",
    "OperationMetadata",
    "OperationResult",
    "OperationStatus",
    "PermissionDeniedError",
    "PermissionSetAuthorizer",
    "Principal",
    "QueryCache",
    "QueryMiddleware",
    "QueryResult",
    "QuerySender",
    "ServiceUnavailableError",
    "TransientError",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "ValidationError",
    "authorize",
    "cached_query",
    "command_handler",
    "current_unit_of_work",
    "default_registry",
    "get_cqrs_bus",
    "initialize_cqrs_bus",
    "query_handler",
    "register_command_handler",
    "register_query_handler",
    "require_unit_of_work",
    "reset_cqrs_bus",
    "retry_on_failure",
    "set_cqrs_bus",
    "transactional",
]
