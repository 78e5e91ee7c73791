from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal, NewType, Optional, Protocol, Union
from uuid import UUID

import pytest

from app.core.cqrs import ICommand, IQuery
from app.core.cqrs.validation import type_check_for, validation_errors

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


@dataclass(frozen=True, slots=True)
class CreateUser(ICommand[str]):
    email: str
    age: int
    tags: list[str] = field(default_factory=list)

    def validate(self) -> dict[str, Any]:  # the guide annotates Dict[str, Any]
        errors: dict[str, Any] = {}
        if "@" not in self.email:
            errors["email"] = "Valid email is required"
        if self.age < 18:
            errors["age"] = "Must be an adult"
        return errors


def test_a_valid_message_has_no_errors() -> None:
    assert validation_errors(CreateUser(email="a@b.c", age=30, tags=["x"])) is None


def test_every_wrongly_typed_field_is_listed_without_showing_its_value() -> None:
    command = CreateUser(email=42, age="old", tags=["ok", 3])  # type: ignore[arg-type,list-item]
    assert validation_errors(command) == {
        "email": "Expected str, got int",
        "age": "Expected int, got str",
        "tags": "Expected list[str]",
    }


def test_business_rule_errors_are_listed_for_every_failing_field() -> None:
    assert validation_errors(CreateUser(email="nope", age=3)) == {
        "email": "Valid email is required",
        "age": "Must be an adult",
    }


def test_type_errors_win_over_rule_errors_and_validate_crashing_on_a_bad_type_is_tolerated() -> (
    None
):
    # validate() compares age < 18 and raises TypeError on a str; the type error is reported.
    assert validation_errors(CreateUser(email="nope", age="3")) == {  # type: ignore[arg-type]
        "age": "Expected int, got str",
    }


def test_a_validate_that_crashes_on_well_typed_fields_is_a_bug_and_raises() -> None:
    @dataclass
    class Broken(IQuery[None]):
        def validate(self) -> dict[str, str]:
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        validation_errors(Broken())


def test_a_field_without_a_value_is_reported_missing() -> None:
    @dataclass
    class Later(ICommand[None]):
        ready: bool = field(init=False)

    assert validation_errors(Later()) == {"ready": "This field is missing"}


def test_annotations_naming_local_classes_are_resolved_or_skipped() -> None:
    class Local:
        pass

    @dataclass
    class UsesLocal(ICommand[None]):
        thing: Local  # a string under `from __future__ import annotations`, unresolvable
        count: int

    assert validation_errors(UsesLocal(thing="anything", count="x")) == {  # type: ignore[arg-type]
        "count": "Expected int, got str"
    }


def test_messages_that_are_not_dataclasses_run_only_their_validate() -> None:
    class Plain(ICommand[None]):
        def __init__(self, n: int) -> None:
            self.n = n

        def validate(self) -> dict[str, str]:
            return {"n": "Too small"} if self.n < 1 else {}

    assert validation_errors(Plain(0)) == {"n": "Too small"}
    assert validation_errors(Plain(1)) is None
