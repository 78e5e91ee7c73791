"""Validation of messages: field types first, then the message's own `validate()`.

Every field of a dataclass message is checked against its annotation (see `type_checks`), so
a handler never sees a wrongly typed value. The checks are worked out once per message type;
for the usual fields, checking a message is one C-level pass of `isinstance` calls.
"""

from __future__ import annotations

import dataclasses
import logging
import operator
import sys
import types
import typing
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from app.core.cqrs.messages import Message
from app.core.cqrs.type_checks import Deep, type_check_for, type_name

_logger = logging.getLogger(__name__)

_FieldCheck = tuple[str, tuple[type, ...] | None, Deep | None, str]

_MISSING: Any = object()


class MessageValidator:
    """Finds every problem with one message type's instances."""

    __slots__ = ("_all_fields_valid", "_fields", "_has_custom_validate")

    def __init__(self, fields: tuple[_FieldCheck, ...], has_custom_validate: bool) -> None:
        self._fields = fields
        self._has_custom_validate = has_custom_validate
        self._all_fields_valid = _quick_check(fields)

    @property
    def checks_anything(self) -> bool:
        return bool(self._fields) or self._has_custom_validate

    def find_errors(self, message: Message) -> dict[str, str] | None:
        """Field name -> problem for every failing field, or None when the message is valid."""
        quick = self._all_fields_valid
        errors = None if quick is not None and quick(message) else self._field_errors(message)
        if not self._has_custom_validate:
            return errors
        try:
            custom = message.validate()
        except Exception:
            # validate() tripped over a field whose type is already reported.
            if errors:
                return errors
            raise
        if custom:
            if errors is None:
                errors = {}
            for name, problem in custom.items():
                errors.setdefault(str(name), str(problem))
        return errors

    def _field_errors(self, message: Message) -> dict[str, str] | None:
        errors: dict[str, str] | None = None
        for name, accepted, deep, expected in self._fields:
            value = getattr(message, name, _MISSING)
            if (accepted is None or isinstance(value, accepted)) and (deep is None or deep(value)):
                continue
            if errors is None:
                errors = {}
            errors[name] = _describe_problem(expected, value, accepted)
        return errors


def _quick_check(fields: tuple[_FieldCheck, ...]) -> Callable[[Any], bool] | None:
    """A fast yes/no for fields checked by isinstance alone; None if any field needs more.

    A "no" only means the full check runs to say what is wrong.
    """
    if any(accepted is None or deep is not None for _, accepted, deep, _ in fields):
        return None
    if not fields:
        return lambda message: True
    names = [name for name, _, _, _ in fields]
    accepted_types = [accepted for _, accepted, _, _ in fields if accepted is not None]
    if len(fields) == 1:
        name, single_type = names[0], accepted_types[0]
        return lambda message: isinstance(getattr(message, name, _MISSING), single_type)
    values = operator.attrgetter(*names)

    def all_valid(message: Any) -> bool:
        try:
            return all(map(isinstance, values(message), accepted_types))
        except AttributeError:  # a field without a value
            return False

    return all_valid


_validators: WeakKeyDictionary[type, MessageValidator] = WeakKeyDictionary()


def validator_for(message_type: type[Message]) -> MessageValidator:
    validator = _validators.get(message_type)
    if validator is None:
        validator = _validators[message_type] = _build_validator(message_type)
    return validator


def validation_errors(message: Message) -> dict[str, str] | None:
    return validator_for(type(message)).find_errors(message)


def _build_validator(message_type: type[Message]) -> MessageValidator:
    has_custom_validate = message_type.validate is not Message.validate
    if not dataclasses.is_dataclass(message_type):
        return MessageValidator((), has_custom_validate)
    module = sys.modules.get(message_type.__module__)
    module_globals = vars(module) if module is not None else {}
    checks: list[_FieldCheck] = []
    for field in dataclasses.fields(message_type):
        annotation = _resolve(field.type, module_globals, dict(vars(message_type)))
        check = type_check_for(annotation)
        if check is not None:
            checks.append((field.name, check.accepted, check.deep, check.expected))
        elif isinstance(annotation, str):
            _logger.debug(
                "%s.%s: cannot resolve annotation %r; its type is not checked",
                message_type.__qualname__,
                field.name,
                annotation,
            )
    return MessageValidator(tuple(checks), has_custom_validate)


def _resolve(
    annotation: Any, module_globals: dict[str, Any], class_namespace: dict[str, Any]
) -> Any:
    """Evaluate a string annotation (`from __future__ import annotations`) where it was written."""
    if not isinstance(annotation, str):
        return annotation
    holder = types.SimpleNamespace(__annotations__={"value": annotation})
    try:
        return typing.get_type_hints(holder, globalns=module_globals, localns=class_namespace)[
            "value"
        ]
    except Exception:
        return annotation


def _describe_problem(expected: str, value: object, accepted: tuple[type, ...] | None) -> str:
    if value is _MISSING:
        return "This field is missing"
    if accepted is not None and not isinstance(value, accepted):
        return f"Expected {expected}, got {type_name(type(value))}"
    # Right container, wrong contents: name no values, they may be secrets.
    return f"Expected {expected}"
