from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from app.core.cqrs import ICommand, IQuery
from app.core.cqrs.validation import validation_errors


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
