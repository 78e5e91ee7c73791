"""The rendered deployment files, checked without a container engine.

The Dockerfile (hadolint, its structure), .dockerignore, docker-compose.yml and its Prometheus
config, the Makefile's docker-build, and the generated CI: GitHub Actions through actionlint
(with shellcheck on its scripts), GitLab CI through a structural schema (tests/ci_schemas.py
says why not GitLab's own). The image itself is built and run in test_container_image.py.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.ci_schemas import COMPOSE_SCHEMA, gitlab_ci_schema
from tests.deploy_support import render_cache, run_tool, tool
from tests.rendering import LEFTOVER_JINJA

APP_SERVICES = {"migrate": "migrate", "api": "serve", "worker": "worker"}
DEPLOYMENT_FILES = ["Dockerfile", ".dockerignore", "docker-compose.yml", "docker/entrypoint.sh",
                    "docker/healthcheck.py", "docker/prometheus/prometheus.yml"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    return render_cache(tmp_path_factory)


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_deployment_files_render_without_leftover_template_syntax(rendered, ci: str) -> None:
    project = rendered(ci=ci)
    files = [*DEPLOYMENT_FILES, ".github/workflows/ci.yml" if ci == "github" else ".gitlab-ci.yml"]

    for name in files:
        assert not LEFTOVER_JINJA.search((project / name).read_text()), name


# --- Dockerfile ---------------------------------------------------------------------------

@pytest.mark.parametrize("python_version", ["3.13", "3.11"])
def test_dockerfile_is_hadolint_clean_at_warning_level(rendered, python_version: str) -> None:
    project = rendered(python_version=python_version)

    result = run_tool(tool("hadolint"), "--failure-threshold", "warning", "Dockerfile", cwd=project)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("python_version", ["3.13", "3.12", "3.11"])
def test_both_stages_start_from_the_chosen_python_slim_base(rendered, python_version: str) -> None:
    steps = instructions(rendered(python_version=python_version) / "Dockerfile")

    assert steps[0] == ("ARG", f"PYTHON_VERSION={python_version}")
    bases = [args.split()[0] for keyword, args in steps if keyword == "FROM"]
    assert bases == ["python:${PYTHON_VERSION}-slim"] * 2


def test_dependencies_are_installed_before_the_source_is_copied(rendered) -> None:
    steps = instructions(rendered() / "Dockerfile")

    install = next(i for i, (k, args) in enumerate(steps) if k == "RUN" and "uv sync" in args)
    copy_lock = next(i for i, (k, args) in enumerate(steps) if k == "COPY" and "uv.lock" in args)
    copy_source = steps.index(("COPY", ". ."))
    assert copy_lock < install < copy_source
    assert "pip install" in " ".join(args for k, args in steps[:install] if k == "RUN")
    assert "uv sync --locked" in steps[install][1] and "uv lock" in steps[install][1]


def test_image_runs_as_a_numeric_non_root_user_and_probes_its_health_with_python(rendered) -> None:
    project = rendered()
    steps = instructions(project / "Dockerfile")
    defaults = dict(args.split("=", 1) for k, args in steps if k == "ARG" and "=" in args)

    user = [args for k, args in steps if k == "USER"][-1]
    uid = re.sub(r"\$\{(\w+)\}", lambda m: defaults[m.group(1)], user).split(":")[0]
    assert uid.isdigit() and uid != "0"
    healthcheck = next(args for k, args in steps if k == "HEALTHCHECK")
    assert '"python", "/app/docker/healthcheck.py", "api"' in healthcheck
    assert "curl" not in (project / "Dockerfile").read_text()
    assert "/health/live" in (project / "docker" / "healthcheck.py").read_text()
    assert [args for k, args in steps if k == "CMD"] == ['["serve"]']


def dockerignore_excludes(patterns: list[str], path: str) -> bool:
    """Docker's rule for the patterns used here: the last pattern matching the path or one of
    its parent directories decides, `!` re-includes."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negated, body = pattern.startswith("!"), pattern.lstrip("!").rstrip("/")
        if any(fnmatch.fnmatchcase(candidate, body) for candidate in candidates):
            excluded = not negated
    return excluded


def test_dockerignore_lets_in_only_what_the_image_runs(rendered) -> None:
    text = (rendered() / ".dockerignore").read_text()
    patterns = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]

    for kept in ["pyproject.toml", "uv.lock", "alembic.ini", "app/main.py",
                 "migrations/env.py", "docker/entrypoint.sh", "docker/healthcheck.py"]:
        assert not dockerignore_excludes(patterns, kept), kept
    for left_out in [".env", ".env.example", ".venv/bin/python", "data/app.db", "tests/conftest.py",
                     "docs/architecture.md", ".git/HEAD", ".mypy_cache/x", "app/__pycache__/main.pyc",
                     "docker-compose.yml", "docker/prometheus/prometheus.yml", "Dockerfile"]:
        assert dockerignore_excludes(patterns, left_out), left_out


# --- docker-compose.yml -------------------------------------------------------------------

def compose(project: Path) -> dict[str, Any]:
    document = load_yaml(project / "docker-compose.yml")
    jsonschema.Draft202012Validator(COMPOSE_SCHEMA).validate(document)
    return document


@pytest.mark.parametrize(
    ("cache", "expected"),
    [("redis", {"postgres", "redis", "migrate", "api", "worker", "prometheus", "grafana"}),
     ("memory", {"postgres", "migrate", "api", "worker", "prometheus", "grafana"})],
)
def test_compose_runs_the_stack_for_the_chosen_cache(rendered, cache: str, expected: set[str]) -> None:
    services = compose(rendered(cache=cache))["services"]

    assert set(services) == expected
    for name, command in APP_SERVICES.items():
        assert services[name]["command"] == [command]
        assert services[name]["build"] == "."
        assert services[name]["env_file"] == ".env"
        assert ("REDIS_URL" in services[name]["environment"]) == (cache == "redis")


def is_one_shot(service: dict[str, Any]) -> bool:
    return service.get("restart") == "no"


@pytest.mark.parametrize("cache", ["redis", "memory"])
def test_every_compose_service_has_a_healthcheck_or_is_one_shot(rendered, cache: str) -> None:
    services = compose(rendered(cache=cache))["services"]

    for name, service in services.items():
        check = service.get("healthcheck", {})
        assert is_one_shot(service) or (check.get("test") and not check.get("disable")), name
    assert [name for name, service in services.items() if is_one_shot(service)] == ["migrate"]


@pytest.mark.parametrize("cache", ["redis", "memory"])
def test_compose_services_wait_for_healthy_or_completed_dependencies(rendered, cache: str) -> None:
    services = compose(rendered(cache=cache))["services"]

    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            wanted = ("service_completed_successfully" if is_one_shot(services[dependency])
                      else "service_healthy")
            assert rule["condition"] == wanted, f"{name} -> {dependency}"
    for name in ["api", "worker"]:
        waits_for = set(services[name]["depends_on"])
        assert waits_for == {"migrate", "postgres"} | ({"redis"} if cache == "redis" else set())


def test_compose_bakes_in_no_secret(rendered) -> None:
    document = compose(rendered())
    services = document["services"]

    assert "SECRET_KEY" not in yaml.safe_dump(document)  # it comes from .env only
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert "${POSTGRES_PASSWORD:?" in services["api"]["environment"]["DATABASE_URL"]


def test_prometheus_scrapes_the_api_with_the_mounted_config(rendered) -> None:
    project = rendered()
    prometheus = compose(project)["services"]["prometheus"]
    source = prometheus["volumes"][0].split(":")[0]

    config = load_yaml(project / source)
    targets = [t for job in config["scrape_configs"] for group in job["static_configs"]
               for t in group["targets"]]
    assert targets == ["api:8000"]
    assert config["scrape_configs"][0]["metrics_path"] == "/metrics"


# --- Makefile -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("engine", "expected"),
    [("docker", "docker build -t my-service ."),
     ("podman", "podman build --format docker -t my-service ."),
     ("/usr/bin/podman", "/usr/bin/podman build --format docker -t my-service .")],
)
def test_docker_build_target_works_with_docker_and_podman(rendered, engine: str, expected: str) -> None:
    dry_run = run_tool("make", "--dry-run", "docker-build", f"CONTAINER_ENGINE={engine}", cwd=rendered())

    assert dry_run.returncode == 0, dry_run.stderr
    assert " ".join(dry_run.stdout.split()) == expected


# --- Generated CI -------------------------------------------------------------------------

@pytest.mark.parametrize("cache", ["redis", "memory"])
def test_github_workflow_passes_actionlint(rendered, cache: str) -> None:
    project = rendered(ci="github", cache=cache)

    # actionlint runs shellcheck on every `run:` script when it finds it on PATH.
    env = {"PATH": f"{Path(tool('shellcheck')).parent}:/usr/bin:/bin"}
    result = run_tool(tool("actionlint"), ".github/workflows/ci.yml", cwd=project, env=env)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("cache", "python_version"), [("redis", "3.13"), ("memory", "3.11")])
def test_github_workflow_tests_against_service_containers_and_builds_the_image(
    rendered, cache: str, python_version: str
) -> None:
    workflow = load_yaml(rendered(ci="github", cache=cache, python_version=python_version)
                         / ".github" / "workflows" / "ci.yml")
    jobs = workflow["jobs"]

    pythons = {step["with"]["python-version"] for job in jobs.values() for step in job["steps"]
               if step.get("uses", "").startswith("actions/setup-python")}
    assert pythons == {python_version}
    commands = {job: " ".join(step.get("run", "") for step in jobs[job]["steps"]) for job in jobs}
    assert "make lint" in commands["lint"] and "make typecheck" in commands["lint"]
    assert "make test" in commands["test"]
    assert "docker build" in commands["image"]
    test_job = jobs["test"]
    assert set(test_job["services"]) == {"postgres"} | ({"redis"} if cache == "redis" else set())
    assert all("--health-cmd" in service["options"] for service in test_job["services"].values())
    assert test_job["env"]["REQUIRE_TEST_SERVICES"] == "1"
    assert test_job["env"]["TEST_DATABASE_URL"].startswith("postgresql://")
    assert ("TEST_REDIS_URL" in test_job["env"]) == (cache == "redis")


@pytest.mark.parametrize(("cache", "python_version"), [("redis", "3.13"), ("memory", "3.11")])
def test_gitlab_ci_has_the_structure_our_pipeline_needs(rendered, cache: str, python_version: str) -> None:
    pipeline = load_yaml(rendered(ci="gitlab", cache=cache, python_version=python_version)
                         / ".gitlab-ci.yml")

    jsonschema.Draft202012Validator(gitlab_ci_schema(pipeline["stages"])).validate(pipeline)
    assert pipeline["stages"] == ["check", "test", "build"]
    assert pipeline[".python"]["image"] == f"python:{python_version}-slim"
    assert pipeline["lint"]["script"] == ["make lint"]
    assert pipeline["typecheck"]["script"] == ["make typecheck"]
    test_job = pipeline["test"]
    assert test_job["script"] == ["make test"]
    aliases = {service["alias"] for service in test_job["services"]}
    assert aliases == {"postgres"} | ({"redis"} if cache == "redis" else set())
    assert test_job["variables"]["REQUIRE_TEST_SERVICES"] == "1"
    assert test_job["variables"]["TEST_DATABASE_URL"].startswith("postgresql://")
    assert ("TEST_REDIS_URL" in test_job["variables"]) == (cache == "redis")
    assert pipeline["build-image"]["script"][0].startswith("docker build")


def test_gitlab_schema_rejects_a_misspelt_keyword_and_an_unknown_stage() -> None:
    schema = gitlab_ci_schema(["check"])
    valid = {"stages": ["check"], "lint": {"stage": "check", "script": ["make lint"]}}
    jsonschema.Draft202012Validator(schema).validate(valid)

    for broken in [
        {"stages": ["check"], "lint": {"stage": "check", "scirpt": ["make lint"]}},
        {"stages": ["check"], "lint": {"stage": "deploy", "script": ["make lint"]}},
        {"stages": ["check"], "lint": {"stage": "check"}},
    ]:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft202012Validator(schema).validate(broken)
