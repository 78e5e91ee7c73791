"""Scaffolding for new commands and queries: `python -m app.scaffold command|query NAME`.

Standard library only. For a message NAME it writes, in the project's conventions, the message
and its decorated handler, a route module under `app/api/scaffolded/`, and the tests of both;
it refuses a name that is not CamelCase or that the project already uses, and never
overwrites a file: either every new file is written or none is.
"""
