"""The hooks' rules, tested as functions (the hooks stay importable despite their Jinja)."""

from __future__ import annotations

import importlib.util
import json
import stat
from pathlib import Path
from types import ModuleType

import pytest

from tests.combinations import DEFAULTS, SUPPORTED_COMBINATIONS, TEMPLATE_DIR, context_for
from tests.rendering import render

PROJECT_TEMPLATE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"


def load_hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, TEMPLATE_DIR / "hooks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pre_gen = load_hook("pre_gen_project")
post_gen = load_hook("post_gen_project")


@pytest.mark.parametrize("slug", ["api", "order-service", "svc2", "a1-b2-c3"])
def test_valid_slugs_pass(slug: str) -> None:
    assert pre_gen.slug_problem(slug) is None


@pytest.mark.parametrize("slug", ["", "Api", "2fast", "-lead", "trail-", "a--b", "a_b", "a b", "x" * 64])
def test_invalid_slugs_are_explained(slug: str) -> None:
    problem = pre_gen.slug_problem(slug)

    assert problem is not None
    assert "project_slug" in problem


def test_pre_gen_knows_every_option_of_cookiecutter_json() -> None:
    options = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())
    choice_options = {key for key, value in options.items() if isinstance(value, list)}

    assert set(pre_gen.CHOICES) == choice_options
    for option, allowed in pre_gen.CHOICES.items():
        assert sorted(allowed) == sorted(options[option])


def test_an_unknown_choice_is_refused() -> None:
    assert pre_gen.choice_problem({**DEFAULTS, "cache": "memcached"}) is not None


def test_supported_combinations_raise_no_problem() -> None:
    for combination in SUPPORTED_COMBINATIONS:
        assert pre_gen.problems(context_for(combination)) == [], combination


def test_every_owned_path_exists_in_the_template() -> None:
    for (option, value), paths in post_gen.OWNED_PATHS.items():
        assert value in pre_gen.CHOICES[option], (option, value)
        for path in paths:
            assert (PROJECT_TEMPLATE / path).exists(), path


def test_a_path_is_removed_exactly_when_its_option_has_another_value() -> None:
    context = {**DEFAULTS, "ci": "gitlab"}

    removed = post_gen.paths_to_remove(context)

    assert ".github" in removed
    assert ".gitlab-ci.yml" not in removed


def test_a_file_owned_inside_another_options_folder_is_removed_first(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "inner.py").write_text("")

    post_gen.remove_paths(tmp_path, ["pkg", "pkg/inner.py"])

    assert list(tmp_path.iterdir()) == []


def test_the_smallest_render_removes_every_owned_path_without_error(tmp_path: Path) -> None:
    context = {**DEFAULTS, "auth": "none", "example_domain": "none", "cache": "memory", "ci": "none"}

    project = render(tmp_path, context)

    for path in post_gen.paths_to_remove(context):
        assert not (project / path).exists(), path


def test_removing_a_path_the_template_lacks_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        post_gen.remove_paths(tmp_path, ["missing.txt"])


def test_env_file_gets_fresh_secrets_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text(
        "A=1\nSECRET_KEY=change-me\nPOSTGRES_PASSWORD=change-me\nOTHER=change-me\n"
    )
    fresh = iter(["s1", "s2"])

    env_file = post_gen.write_env_file(tmp_path, lambda: next(fresh))

    assert env_file.read_text() == (
        "A=1\nSECRET_KEY=s1\nPOSTGRES_PASSWORD=s2\nOTHER=change-me\n"
    )
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600


def test_each_render_gets_its_own_secret_key(tmp_path: Path) -> None:
    first = render(tmp_path / "one", DEFAULTS)
    second = render(tmp_path / "two", DEFAULTS)

    def secret(project: Path) -> str:
        lines = (project / ".env").read_text().splitlines()
        return next(line for line in lines if line.startswith("SECRET_KEY=")).split("=", 1)[1]

    assert secret(first) != secret(second)
    assert len(secret(first)) >= 48
    assert secret(first) != post_gen.EXAMPLE_SECRET


@pytest.mark.parametrize("ci", ["github", "gitlab", "none"])
def test_only_the_chosen_ci_is_rendered(ci: str, tmp_path: Path) -> None:
    project = render(tmp_path, {**DEFAULTS, "ci": ci})

    assert (project / ".github").exists() == (ci == "github")
    assert (project / ".gitlab-ci.yml").exists() == (ci == "gitlab")


@pytest.mark.parametrize(
    ("license_name", "marker"),
    [
        ("MIT", "MIT License"),
        ("Apache-2.0", "Apache License"),
        ("BSD-3-Clause", "BSD 3-Clause License"),
        ("Proprietary", "All rights reserved"),
    ],
)
def test_license_file_matches_the_choice(license_name: str, marker: str, tmp_path: Path) -> None:
    project = render(tmp_path, {**DEFAULTS, "license": license_name})

    text = (project / "LICENSE").read_text()
    assert text.lstrip().startswith(marker) or marker in text.splitlines()[0] + text[:400]
    assert f'license = {{ text = "{license_name}" }}' in (project / "pyproject.toml").read_text()
