"""Names: the CamelCase message name given, and the forms the generated files use.

A message name must be CamelCase ASCII (a capital, then letters and digits), short enough for
every generated line to fit the line length (an import names both feature and module), and
must not turn into a Python keyword (`Import` would make a module `import.py` that cannot be
imported) or hide a built-in.
"""

from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass

from app.scaffold.errors import ScaffoldError

MAX_NAME_LENGTH = 32
MAX_FEATURE_LENGTH = 20
DEFAULT_FEATURE = "general"

_CAMEL_CASE = re.compile(r"[A-Z][A-Za-z0-9]*")
_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
# An acronym ends where a capitalised word starts ("HTTPStatus" -> "HTTP_Status"); a word
# ends before the next capital ("GetUser" -> "Get_User").
_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_END = re.compile(r"([a-z0-9])([A-Z])")


@dataclass(frozen=True, slots=True)
class MessageName:
    """A valid message name and the names derived from it."""

    class_name: str

    @property
    def snake(self) -> str:
        return snake_case(self.class_name)

    @property
    def kebab(self) -> str:
        return self.snake.replace("_", "-")

    @property
    def handler(self) -> str:
        return f"{self.class_name}Handler"

    @property
    def request(self) -> str:
        return f"{self.class_name}Request"

    @property
    def response(self) -> str:
        return f"{self.class_name}Response"

    @property
    def summary(self) -> str:
        """The route's OpenAPI summary: "ArchiveUser" -> "Archive user"."""
        return self.snake.replace("_", " ").capitalize()

    @property
    def class_names(self) -> tuple[str, ...]:
        """Every class the generated modules define."""
        return (self.class_name, self.handler, self.request, self.response)


def snake_case(camel: str) -> str:
    return _WORD_END.sub(r"\1_\2", _ACRONYM_END.sub(r"\1_\2", camel)).lower()


def message_name(text: str) -> MessageName:
    """`text` as a message name, or a ScaffoldError saying what is wrong with it."""
    if not _CAMEL_CASE.fullmatch(text):
        raise ScaffoldError(
            f"{text!r} is not a CamelCase name: start with a capital letter and use only "
            f"letters and digits, e.g. ArchiveUser"
        )
    if len(text) > MAX_NAME_LENGTH:
        raise ScaffoldError(f"{text!r} is longer than {MAX_NAME_LENGTH} characters")
    name = MessageName(text)
    if keyword.iskeyword(text):
        raise ScaffoldError(f"{text!r} is a Python keyword")
    if keyword.iskeyword(name.snake):
        raise ScaffoldError(f"{text!r} would make a module named {name.snake!r}, a keyword")
    if text in vars(builtins):
        raise ScaffoldError(f"{text!r} would hide Python's built-in of the same name")
    return name


def feature_name(text: str) -> str:
    """`text` as a feature (the package under `app/handlers/`), or a ScaffoldError."""
    if not _SNAKE_CASE.fullmatch(text) or keyword.iskeyword(text):
        raise ScaffoldError(
            f"feature {text!r} is not a snake_case package name, e.g. users or billing"
        )
    if len(text) > MAX_FEATURE_LENGTH:
        raise ScaffoldError(f"feature {text!r} is longer than {MAX_FEATURE_LENGTH} characters")
    return text
