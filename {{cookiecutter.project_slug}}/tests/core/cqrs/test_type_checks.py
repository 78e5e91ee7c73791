from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, NewType, Optional, Protocol, Union
from uuid import UUID

import pytest

from app.core.cqrs.type_checks import type_check_for, type_name

UserId = NewType("UserId", str)


class Role(enum.Enum):
    ADMIN = "admin"


class Named(Protocol):
    name: str


@dataclass(frozen=True)
class Address:
    city: str


@pytest.mark.parametrize(
    ("annotation", "good", "bad"),
    [
        (str, "a", 1),
        (int, 1, "1"),
        (float, 1, "1.0"),  # an int is acceptable where a float is expected
        (bool, True, 1),
        (str | None, None, 1),
        (Optional[int], None, 1.5),  # noqa: UP045
        (Union[int, str], "a", 1.5),  # noqa: UP007
        (list[str], ["a"], ["a", 1]),
        (list[str], [], ("a",)),
        (Sequence[int], (1, 2), [1, "2"]),
        (set[int], {1}, {1, "x"}),
        (dict[str, int], {"a": 1}, {"a": "1"}),
        (Mapping[str, Any], {"a": object()}, {1: 1}),
        (tuple[int, ...], (1, 2), (1, "2")),
        (tuple[int, str], (1, "a"), (1, 2)),
        (Literal["asc", "desc"], "asc", "up"),
        (Literal[1], 1, True),
        (Role, Role.ADMIN, "admin"),
        (UUID, UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (datetime, datetime(2024, 1, 1), "2024-01-01"),
        (Address, Address("Oslo"), {"city": "Oslo"}),
        (UserId, UserId("u1"), 1),
        (Annotated[int, "meta"], 1, "1"),
        (type[Exception], ValueError, int),
        (Callable[[int], int], abs, 1),
        (list[int] | None, None, [None]),
    ],
)
def test_a_value_passes_only_the_annotations_it_satisfies(
    annotation: Any, good: object, bad: object
) -> None:
    check = type_check_for(annotation)
    assert check is not None
    assert check.matches(good)
    assert not check.matches(bad)


@pytest.mark.parametrize("annotation", [Any, object, Named])
def test_annotations_that_cannot_be_judged_accept_anything(annotation: Any) -> None:
    assert type_check_for(annotation) is None


def test_types_are_named_as_they_are_written() -> None:
    assert [type_name(t) for t in (int, type(None), list[str], Optional[int])] == [  # noqa: UP045
        "int",
        "None",
        "list[str]",
        "Optional[int]",
    ]
