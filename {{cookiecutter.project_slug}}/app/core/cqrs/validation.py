"""Validation of messages: field types first, then the message's own `validate()`.

Every field of a dataclass message is checked against its annotation, so a handler never sees
a wrongly typed value. The checks are worked out once per message type; checking a message is
a loop of `isinstance` calls. Annotations the checker cannot judge (`Any`, type variables,
non-runtime protocols, names it cannot resolve) are accepted as they are.
"""

from __future__ import annotations

import collections.abc as abc
import dataclasses
import logging
import operator
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Union
from weakref import WeakKeyDictionary

from app.core.cqrs.messages import Message

_logger = logging.getLogger(__name__)

_Deep = Callable[[object], bool]
_FieldCheck = tuple[str, tuple[type, ...] | None, _Deep | None, str]

_MISSING: Any = object()
_NONE_TYPE = type(None)
_ELEMENT_CONTAINERS = (
    list,
    set,
    frozenset,
    abc.Sequence,
    abc.MutableSequence,
    abc.Set,
    abc.MutableSet,
    abc.Collection,
)
_MAPPINGS = (dict, abc.Mapping, abc.MutableMapping)


@dataclass(frozen=True, slots=True)
class TypeCheck:
    """`accepted` filters by isinstance (None: anything); `deep` looks inside (elements...)."""

    accepted: tuple[type, ...] | None
    deep: _Deep | None
    expected: str

    def matches(self, value: object) -> bool:
        if self.accepted is not None and not isinstance(value, self.accepted):
            return False
        return self.deep is None or self.deep(value)


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
        errors: dict[str, str] | None = None
        if self._fields and not self._passes_quick_check(message):
            errors = self._field_errors(message)
        if self._has_custom_validate:
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

    def _passes_quick_check(self, message: Message) -> bool:
        quick = self._all_fields_valid
        if quick is None:
            return False
        try:
            return quick(message)
        except AttributeError:  # a field without a value: let the full check report it
            return False

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
    """One C-level pass over fields checked by isinstance alone; None if any needs more."""
    if not fields or any(accepted is None or deep is not None for _, accepted, deep, _ in fields):
        return None
    names = [name for name, _, _, _ in fields]
    accepted_types = [accepted for _, accepted, _, _ in fields if accepted is not None]
    if len(fields) == 1:
        name, single_type = names[0], accepted_types[0]
        return lambda message: isinstance(getattr(message, name), single_type)
    values = operator.attrgetter(*names)
    return lambda message: all(map(isinstance, values(message), accepted_types))


_validators: WeakKeyDictionary[type, MessageValidator] = WeakKeyDictionary()


def validator_for(message_type: type[Message]) -> MessageValidator:
    validator = _validators.get(message_type)
    if validator is None:
        validator = _validators[message_type] = _build_validator(message_type)
    return validator


def validation_errors(message: Message) -> dict[str, str] | None:
    return validator_for(type(message)).find_errors(message)


def type_check_for(annotation: Any) -> TypeCheck | None:
    """How to check a value against `annotation`; None when anything is accepted."""
    if annotation is Any or annotation is object or isinstance(annotation, typing.TypeVar | str):
        return None
    if annotation is None or annotation is _NONE_TYPE:
        return TypeCheck((_NONE_TYPE,), None, "None")
    supertype = getattr(annotation, "__supertype__", None)
    if supertype is not None:  # NewType
        return type_check_for(supertype)
    origin = typing.get_origin(annotation)
    if origin is None:
        return _check_class(annotation) if isinstance(annotation, type) else None
    args = typing.get_args(annotation)
    if origin is typing.Annotated or origin in (typing.ClassVar, typing.Final):
        return type_check_for(args[0])
    if origin is Union or origin is types.UnionType:
        return _check_union(annotation, args)
    if origin is Literal:
        return _check_literal(annotation, args)
    if origin is type:
        return _check_type_of(annotation, args)
    if origin is abc.Callable:
        return TypeCheck(None, callable, _name(annotation))
    if origin is tuple:
        return _check_tuple(annotation, args)
    if origin in _MAPPINGS:
        return _check_mapping(annotation, origin, args)
    if origin in _ELEMENT_CONTAINERS:
        return _check_elements(annotation, origin, args)
    return TypeCheck((origin,), None, _name(annotation)) if isinstance(origin, type) else None


def _check_class(cls: type) -> TypeCheck | None:
    if getattr(cls, "_is_protocol", False) and not getattr(cls, "_is_runtime_protocol", False):
        return None
    if typing.is_typeddict(cls):
        return TypeCheck((dict,), None, cls.__qualname__)
    # The numeric tower of PEP 484: an int is acceptable where a float is expected.
    if cls is float:
        return TypeCheck((float, int), None, "float")
    if cls is complex:
        return TypeCheck((complex, float, int), None, "complex")
    return TypeCheck((cls,), None, _name(cls))


def _check_union(annotation: Any, args: tuple[Any, ...]) -> TypeCheck | None:
    members = [type_check_for(arg) for arg in args]
    if any(member is None or member.accepted is None for member in members):
        return None
    checks = [member for member in members if member is not None]
    accepted = tuple(t for check in checks for t in check.accepted or ())
    if all(check.deep is None for check in checks):
        return TypeCheck(accepted, None, _name(annotation))
    return TypeCheck(accepted, lambda v: any(c.matches(v) for c in checks), _name(annotation))


def _check_literal(annotation: Any, args: tuple[Any, ...]) -> TypeCheck:
    allowed = tuple((type(arg), arg) for arg in args)
    accepted = tuple({type(arg) for arg in args})
    return TypeCheck(accepted, lambda v: (type(v), v) in allowed, _name(annotation))


def _check_type_of(annotation: Any, args: tuple[Any, ...]) -> TypeCheck:
    bound = args[0] if args else None
    if not isinstance(bound, type):
        return TypeCheck((type,), None, _name(annotation))
    return TypeCheck((type,), lambda v: issubclass(v, bound), _name(annotation))  # type: ignore[arg-type]


def _check_tuple(annotation: Any, args: tuple[Any, ...]) -> TypeCheck:
    if not args:
        return TypeCheck((tuple,), None, _name(annotation))
    if len(args) == 2 and args[1] is Ellipsis:
        item = type_check_for(args[0])
        deep = None if item is None else _all_items_match(item)
        return TypeCheck((tuple,), deep, _name(annotation))
    items = tuple(type_check_for(arg) for arg in args)

    def fixed(value: object) -> bool:
        assert isinstance(value, tuple)
        return len(value) == len(items) and all(
            check is None or check.matches(v) for check, v in zip(items, value, strict=True)
        )

    return TypeCheck((tuple,), fixed, _name(annotation))


def _check_mapping(annotation: Any, origin: type, args: tuple[Any, ...]) -> TypeCheck:
    key, value = (type_check_for(arg) for arg in args) if len(args) == 2 else (None, None)
    if key is None and value is None:
        return TypeCheck((origin,), None, _name(annotation))

    def entries(mapping: Any) -> bool:
        return all(
            (key is None or key.matches(k)) and (value is None or value.matches(v))
            for k, v in mapping.items()
        )

    return TypeCheck((origin,), entries, _name(annotation))


def _check_elements(annotation: Any, origin: type, args: tuple[Any, ...]) -> TypeCheck:
    item = type_check_for(args[0]) if args else None
    deep = None if item is None else _all_items_match(item)
    return TypeCheck((origin,), deep, _name(annotation))


def _all_items_match(item: TypeCheck) -> _Deep:
    def deep(value: Any) -> bool:
        return all(item.matches(v) for v in value)

    return deep


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
        return f"Expected {expected}, got {_name(type(value))}"
    # Right container, wrong contents: name no values, they may be secrets.
    return f"Expected {expected}"


def _name(annotation: Any) -> str:
    if annotation is _NONE_TYPE:
        return "None"
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__qualname__
    return repr(annotation).replace("typing.", "").replace("collections.abc.", "")
