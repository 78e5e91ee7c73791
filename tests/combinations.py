"""The option contract: what the template renders, and what it refuses.

Every option is varied one at a time from the default context, plus the pairs of options
that interact in the rendered code. Ids read `key:value` so a failure names its combination.
"""

from __future__ import annotations

import json
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parents[1]

DEFAULTS: dict[str, str] = {
    key: (value[0] if isinstance(value, list) else value)
    for key, value in json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text()).items()
    if not key.startswith("_") and isinstance(value, (str, list))
}
DEFAULTS["project_slug"] = "my-service"  # what the default project_name derives to

Combination = dict[str, str]

SUPPORTED_COMBINATIONS: list[Combination] = [
    {},
    {"python_version": "3.12"},
    {"python_version": "3.11"},
    {"cache": "memory"},
    {"auth": "none"},
    {"opentelemetry": "yes"},
    {"ci": "gitlab"},
    {"ci": "none"},
    {"license": "Apache-2.0"},
    {"license": "BSD-3-Clause"},
    {"license": "Proprietary"},
    # Pairs that interact: auth and the example domain share routes and handlers; the cache
    # backend and tracing both hook into the bus; no example with no auth is the smallest app.
    {"auth": "none", "example_domain": "none"},
    {"auth": "none", "cache": "memory"},
    {"cache": "memory", "opentelemetry": "yes"},
    {"auth": "none", "example_domain": "none", "cache": "memory", "opentelemetry": "yes"},
]

# auth=jwt with example_domain=none is absent above: it is refused below.
UNSUPPORTED_COMBINATIONS: list[Combination] = [
    {"auth": "jwt", "example_domain": "none"},
]

INVALID_SLUGS = ["My Service", "9lives", "trailing-", "double--hyphen", "under_score", "Ünïcode"]


def combination_id(combination: Combination) -> str:
    return ",".join(f"{key}:{value}" for key, value in combination.items()) or "default"


def context_for(combination: Combination) -> dict[str, str]:
    return {**DEFAULTS, **combination}
