"""Shape the rendered project to the chosen options.

One declarative table, OWNED_PATHS, says which files each option value owns; everything else is
a short checklist in `main()`. Kept importable (the Jinja lives only in CONTEXT) so it is
unit-tested. Needs no network.
"""

from __future__ import annotations

import secrets
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

CONTEXT = {
    "project_slug": "{{ cookiecutter.project_slug }}",
    "cache": "{{ cookiecutter.cache }}",
    "auth": "{{ cookiecutter.auth }}",
    "opentelemetry": "{{ cookiecutter.opentelemetry }}",
    "example_domain": "{{ cookiecutter.example_domain }}",
    "ci": "{{ cookiecutter.ci }}",
}

# Paths (relative to the project root) that exist only when the option has that value.
# A path listed here that the template does not contain is an error: the table cannot drift.
OWNED_PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    ("cache", "redis"): (
        "app/infrastructure/cache/redis",
        "tests/infrastructure/cache/redis",
        # Also inside opentelemetry=yes's folder: it stays only when the project has both.
        "tests/infrastructure/tracing/test_redis_spans.py",
    ),
    ("auth", "jwt"): (
        "app/api/audit.py",
        "app/api/auth.py",
        "app/api/security.py",
        "app/features/auth.py",
        "app/handlers/users/authorization.py",
        "app/infrastructure/auth/accounts.py",
        "app/infrastructure/auth/authenticator.py",
        "app/infrastructure/auth/principals.py",
        "app/infrastructure/auth/tokens.py",
        "tests/api/test_audit.py",
        "tests/api/test_auth.py",
        "tests/api/test_security.py",
        "tests/api/users/test_users_authorization.py",
        "tests/features/test_auth.py",
        "tests/handlers/users/test_authorization.py",
        "tests/infrastructure/auth/accounts_table.py",
        "tests/infrastructure/auth/test_accounts.py",
        "tests/infrastructure/auth/test_authenticator.py",
        "tests/infrastructure/auth/test_principals.py",
        "tests/infrastructure/auth/test_tokens.py",
    ),
    ("example_domain", "users"): (
        "app/api/user_schemas.py",
        "app/api/users.py",
        "app/domain/users",
        "app/features/users.py",
        "app/handlers/users",
        "app/infrastructure/auth",
        "app/infrastructure/users",
        "migrations/versions/0004_users.py",
        "tests/api/users",
        "tests/domain/users",
        "tests/features/test_users.py",
        "tests/handlers/users",
        "tests/infrastructure/auth",
        # Also inside cache=redis's folder: it stays only when the project has both.
        "tests/infrastructure/cache/redis/test_users_invalidation.py",
        "tests/infrastructure/users",
        "tests/support/passwords.py",
        "tests/support/user_events.py",
    ),
    ("opentelemetry", "yes"): (
        "app/infrastructure/tracing",
        "tests/infrastructure/tracing",
    ),
    ("ci", "github"): (".github",),
    ("ci", "gitlab"): (".gitlab-ci.yml",),
}

EXAMPLE_SECRET = "change-me"
# Settings whose example value in `.env.example` is replaced by a fresh secret in `.env`.
GENERATED_SECRETS = (
    "SECRET_KEY",
    "POSTGRES_PASSWORD",
    "GRAFANA_ADMIN_PASSWORD",
    "FIRST_SUPERUSER_PASSWORD",
)


def paths_to_remove(context: dict[str, str]) -> list[str]:
    return [
        path
        for (option, value), paths in OWNED_PATHS.items()
        if context[option] != value
        for path in paths
    ]


def remove_paths(root: Path, paths: list[str]) -> None:
    # Deepest first: an option may own a file inside a folder another option owns.
    for relative in sorted(set(paths), key=lambda path: (-path.count("/"), path)):
        target = root / relative
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        else:
            raise FileNotFoundError(f"OWNED_PATHS names {relative!r}, which the template lacks")


def fresh_secret() -> str:
    return secrets.token_urlsafe(48)


def with_fresh_secret(line: str, make_secret: Callable[[], str]) -> str:
    name, _, value = line.partition("=")
    if name in GENERATED_SECRETS and value == EXAMPLE_SECRET:
        return f"{name}={make_secret()}"
    return line


def write_env_file(root: Path, make_secret: Callable[[], str] = fresh_secret) -> Path:
    """`.env` from `.env.example`, each example secret replaced by a fresh one."""
    example = (root / ".env.example").read_text(encoding="utf-8")
    lines = [with_fresh_secret(line, make_secret) for line in example.splitlines()]
    env_file = root / ".env"
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env_file.chmod(0o600)
    return env_file


def next_steps(slug: str) -> str:
    return "\n".join(
        [
            f"\nCreated {slug}. Next:",
            f"  cd {slug}",
            "  make run     # installs with uv, migrates SQLite, serves on http://127.0.0.1:8000",
            "  make test    # the project's own test suite",
            "",
        ]
    )


def main(root: Path, context: dict[str, str]) -> None:
    remove_paths(root, paths_to_remove(context))
    write_env_file(root)
    print(next_steps(context["project_slug"]))


if __name__ == "__main__":
    try:
        main(Path.cwd(), CONTEXT)
    except Exception as exc:  # a failed hook must say why, not dump a traceback
        print(f"ERROR: post-generation failed: {exc}", file=sys.stderr)
        sys.exit(1)
