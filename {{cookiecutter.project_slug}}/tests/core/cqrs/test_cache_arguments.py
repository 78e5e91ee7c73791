from __future__ import annotations

from typing import Any

import pytest

from app.core.cqrs.ports import checked_ttl_seconds, tag_tuple


def test_a_whole_number_of_seconds_from_one_up_is_a_valid_ttl() -> None:
    assert checked_ttl_seconds(1) == 1
    assert checked_ttl_seconds(86_400) == 86_400


@pytest.mark.parametrize("ttl", [1.5, "60", True, None])
def test_a_ttl_that_is_not_an_int_is_refused(ttl: Any) -> None:
    with pytest.raises(TypeError, match="ttl_seconds must be an int"):
        checked_ttl_seconds(ttl)


def test_tags_are_kept_once_each_in_their_first_order() -> None:
    assert tag_tuple(["user:1", "users:list", "user:1"]) == ("user:1", "users:list")
    assert tag_tuple(iter(())) == ()


@pytest.mark.parametrize("tag", ["", None, 7, b"user:1"])
def test_every_tag_must_be_a_non_empty_string(tag: Any) -> None:
    with pytest.raises(TypeError, match="non-empty string"):
        tag_tuple(["user:1", tag])
