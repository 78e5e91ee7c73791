"""Templates (`string.Template`) of a feature package and of one message module each.

`$handler_class` is the handler's `class` line, laid out by `app.scaffold.rendering` to fit
the line length whatever the name's length.
"""

from __future__ import annotations

from string import Template

FEATURE_PACKAGE = Template('''\
"""The $feature commands and queries, one per module with its handler."""
''')

COMMAND_MODULE = Template('''\
"""The $name command and its handler.

The handler runs in one unit of work (`@transactional`): whatever it writes through
repositories commits together or not at all. It is built by constructor injection: each
`__init__` parameter is the container provider of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.cqrs import BaseCommandHandler, ICommand, command_handler, transactional

BLANK_PROBLEM = "Must not be blank"


@dataclass(frozen=True, slots=True)
class $name(ICommand[str]):
    id: str

    def validate(self) -> dict[str, str]:
        return {} if self.id.strip() else {"id": BLANK_PROBLEM}

    def get_aggregate_id(self) -> str:
        return self.id


@command_handler($name)
@transactional()
$handler_class
    async def _handle(self, command: $name) -> str:
        # Load, change and save through repositories here, and publish the events it causes.
        return command.id
''')

QUERY_MODULE = Template('''\
"""The $name query and its handler.

A query reads (from read models, not the write tables) and changes nothing. `@cached_query`
keeps each answer for `ttl_seconds`; give the query `get_cache_tags()` so that the commands
changing what it reads invalidate it.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.cqrs import BaseQueryHandler, IQuery, cached_query, query_handler


@dataclass(frozen=True, slots=True)
class $name(IQuery[tuple[str, ...]]):
    """Its fields are what it is asked with; each one is part of its cache key."""


@query_handler($name)
@cached_query(ttl_seconds=60)
$handler_class
    async def _handle(self, query: $name) -> tuple[str, ...]:
        # Read from a read model here.
        return ()
''')
