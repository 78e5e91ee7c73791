"""Refuse what the template cannot render well, before any file is written.

Kept importable (the Jinja lives only in the CONTEXT strings) so its rules are unit-tested.
"""

from __future__ import annotations

import re
import sys

CONTEXT = {
    "project_slug": "{{ cookiecutter.project_slug }}",
    "python_version": "{{ cookiecutter.python_version }}",
    "cache": "{{ cookiecutter.cache }}",
    "auth": "{{ cookiecutter.auth }}",
    "opentelemetry": "{{ cookiecutter.opentelemetry }}",
    "example_domain": "{{ cookiecutter.example_domain }}",
    "ci": "{{ cookiecutter.ci }}",
    "license": "{{ cookiecutter.license }}",
}

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

# Each entry: the option values that clash, and the one-line reason shown to the user.
UNSUPPORTED_COMBINATIONS: list[tuple[dict[str, str], str]] = [
    (
        {"auth": "jwt", "example_domain": "none"},
        "auth=jwt needs example_domain=users: tokens are issued to the example's users. "
        "Choose auth=none, or keep the users example.",
    ),
]

CHOICES = {
    "python_version": ("3.11", "3.12", "3.13"),
    "cache": ("redis", "memory"),
    "auth": ("jwt", "none"),
    "opentelemetry": ("no", "yes"),
    "example_domain": ("users", "none"),
    "ci": ("github", "gitlab", "none"),
    "license": ("MIT", "Apache-2.0", "BSD-3-Clause", "Proprietary"),
}


def slug_problem(slug: str) -> str | None:
    if not SLUG_PATTERN.match(slug):
        return (
            f"project_slug {slug!r} is not valid: use lowercase letters, digits and single "
            "hyphens, starting with a letter (e.g. 'order-service')."
        )
    if len(slug) > 63:
        return f"project_slug {slug!r} is longer than 63 characters."
    return None


def choice_problem(context: dict[str, str]) -> str | None:
    for option, allowed in CHOICES.items():
        if context[option] not in allowed:
            return f"{option}={context[option]!r} is not one of: {', '.join(allowed)}."
    return None


def combination_problem(context: dict[str, str]) -> str | None:
    for clash, reason in UNSUPPORTED_COMBINATIONS:
        if all(context.get(key) == value for key, value in clash.items()):
            named = " + ".join(f"{key}={value}" for key, value in clash.items())
            return f"Unsupported combination {named}: {reason}"
    return None


def problems(context: dict[str, str]) -> list[str]:
    found = [
        slug_problem(context["project_slug"]),
        choice_problem(context),
        combination_problem(context),
    ]
    return [problem for problem in found if problem]


def main() -> int:
    found = problems(CONTEXT)
    for problem in found:
        print(f"ERROR: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
