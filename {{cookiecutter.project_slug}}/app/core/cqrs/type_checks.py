"""Type checks: can a value be accepted where an annotation is written?

Used to check message fields. A check is worked out once per annotation: an `isinstance`
filter plus, for containers and literals, a look inside. Annotations that cannot be judged at
run time (`Any`, type variables, non-runtime protocols, unresolved names) get no check.
"""

from __future__ import annotations

import collections.abc as abc
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Union

Deep = Callable[[object], bool]

NONE_TYPE = type(None)
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
    deep: Deep | None
    expected: str

    def matches(self, value: object) -> bool:
        if self.accepted is not None and not isinstance(value, self.accepted):
            return False
        return self.deep is None or self.deep(value)


def type_check_for(annotation: Any) -> TypeCheck | None:
    """How to check a value against `annotation`; None when anything is accepted."""
    if annotation is Any or annotation is object or isinstance(annotation, typing.TypeVar | str):
        return None
    if annotation is None or annotation is NONE_TYPE:
        return TypeCheck((NONE_TYPE,), None, "None")
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
        return TypeCheck(None, callable, type_name(annotation))
    if origin is tuple:
        return _check_tuple(annotation, args)
    if origin in _MAPPINGS:
        return _check_mapping(annotation, origin, args)
    if origin in _ELEMENT_CONTAINERS:
        return _check_elements(annotation, origin, args)
    return TypeCheck((origin,), None, type_name(annotation)) if isinstance(origin, type) else None


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
    return TypeCheck((cls,), None, type_name(cls))


def _check_union(annotation: Any, args: tuple[Any, ...]) -> TypeCheck | None:
    members = [type_check_for(arg) for arg in args]
    if any(member is None or member.accepted is None for member in members):
        return None
    checks = [member for member in members if member is not None]
    accepted = tuple(t for check in checks for t in check.accepted or ())
    if all(check.deep is None for check in checks):
        return TypeCheck(accepted, None, type_name(annotation))
    return TypeCheck(accepted, lambda v: any(c.matches(v) for c in checks), type_name(annotation))


def _check_literal(annotation: Any, args: tuple[Any, ...]) -> TypeCheck:
    allowed = tuple((type(arg), arg) for arg in args)
    accepted = tuple({type(arg) for arg in args})
    return TypeCheck(accepted, lambda v: (type(v), v) in allowed, type_name(annotation))


def _check_type_of(annotation: Any, args: tuple[Any, ...]) -> TypeCheck:
    bound = args[0] if args else None
    if not isinstance(bound, type):
        return TypeCheck((type,), None, type_name(annotation))
    subclass_of = bound
    return TypeCheck(
        (type,),
        lambda v: isinstance(v, type) and issubclass(v, subclass_of),
        type_name(annotation),
    )


def _check_tuple(annotation: Any, args: tuple[Any, ...]) -> TypeCheck:
    if not args:
        return TypeCheck((tuple,), None, type_name(annotation))
    if len(args) == 2 and args[1] is Ellipsis:
        item = type_check_for(args[0])
        deep = None if item is None else _all_items_match(item)
        return TypeCheck((tuple,), deep, type_name(annotation))
    items = tuple(type_check_for(arg) for arg in args)

    def fixed(value: object) -> bool:
        assert isinstance(value, tuple)
        return len(value) == len(items) and all(
            check is None or check.matches(v) for check, v in zip(items, value, strict=True)
        )

    return TypeCheck((tuple,), fixed, type_name(annotation))


def _check_mapping(annotation: Any, origin: type, args: tuple[Any, ...]) -> TypeCheck:
    key, value = (type_check_for(arg) for arg in args) if len(args) == 2 else (None, None)
    if key is None and value is None:
        return TypeCheck((origin,), None, type_name(annotation))

    def entries(mapping: Any) -> bool:
        return all(
            (key is None or key.matches(k)) and (value is None or value.matches(v))
            for k, v in mapping.items()
        )

    return TypeCheck((origin,), entries, type_name(annotation))


def _check_elements(annotation: Any, origin: type, args: tuple[Any, ...]) -> TypeCheck:
    item = type_check_for(args[0]) if args else None
    deep = None if item is None else _all_items_match(item)
    return TypeCheck((origin,), deep, type_name(annotation))


def _all_items_match(item: TypeCheck) -> Deep:
    def deep(value: Any) -> bool:
        return all(item.matches(v) for v in value)

    return deep


def type_name(annotation: Any) -> str:
    if annotation is NONE_TYPE:
        return "None"
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__qualname__
    return repr(annotation).replace("typing.", "").replace("collections.abc.", "")
