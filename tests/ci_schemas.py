"""Structural JSON schemas for the rendered docker-compose.yml and .gitlab-ci.yml.

Neither official schema (the Compose specification's, GitLab's CI schema) can be downloaded on
the machines that run these tests, and no PyPI package ships a current copy. So these are our
own, smaller schemas: they pin down what OUR files must contain and reject keys outside the
documented keywords (a typo such as `scirpt` or `depends-on` fails here instead of in a real
pipeline), but they are not a full validation of either format.
"""

from __future__ import annotations

from typing import Any

STRINGS = {"type": "array", "items": {"type": "string"}, "minItems": 1}

_HEALTHCHECK = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "test": {"type": "array", "items": {"type": "string"}, "minItems": 2,
                 "prefixItems": [{"enum": ["CMD", "CMD-SHELL"]}]},
        "interval": {"type": "string"},
        "timeout": {"type": "string"},
        "start_period": {"type": "string"},
        "retries": {"type": "integer", "minimum": 1},
        "disable": {"const": True},
    },
    "oneOf": [{"required": ["test"]}, {"required": ["disable"]}],
}

_COMPOSE_SERVICE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "build": {"type": "string"},
        "image": {"type": "string"},
        "command": STRINGS,
        "environment": {"type": "object", "additionalProperties": {"type": "string"}},
        "env_file": {"type": "string"},
        "ports": STRINGS,
        "volumes": STRINGS,
        "restart": {"enum": ["no", "always", "on-failure", "unless-stopped"]},
        "healthcheck": _HEALTHCHECK,
        "depends_on": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["condition"],
                "properties": {
                    "condition": {"enum": ["service_healthy", "service_completed_successfully"]},
                },
            },
        },
    },
    "required": ["image"],
}

COMPOSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "patternProperties": {"^x-": {}},
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
        "services": {"type": "object", "additionalProperties": _COMPOSE_SERVICE, "minProperties": 1},
        "volumes": {"type": "object"},
    },
    "required": ["name", "services"],
}

# GitLab keywords a job may use (https://docs.gitlab.com/ci/yaml/), and the top-level ones.
GITLAB_JOB_KEYWORDS = [
    "after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage",
    "dependencies", "environment", "extends", "image", "interruptible", "needs", "parallel",
    "retry", "rules", "script", "services", "stage", "tags", "timeout", "variables", "when",
]
GITLAB_GLOBAL_KEYWORDS = ["default", "include", "stages", "variables", "workflow"]

_GITLAB_SERVICE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "alias"],
    "properties": {"name": {"type": "string"}, "alias": {"type": "string"}},
}


def gitlab_ci_schema(stages: list[str]) -> dict[str, Any]:
    """Jobs (keys not reserved, not hidden with a dot) need a known stage and a script, unless
    they `extends` a hidden template; hidden templates may use job keywords only."""
    job_properties: dict[str, Any] = {keyword: {} for keyword in GITLAB_JOB_KEYWORDS}
    job_properties.update(
        stage={"enum": stages},
        script=STRINGS,
        before_script=STRINGS,
        services={"type": "array", "items": _GITLAB_SERVICE},
        variables={"type": "object", "additionalProperties": {"type": "string"}},
        image={"type": "string"},
        extends={"type": "string", "pattern": r"^\."},
    )
    template = {"type": "object", "additionalProperties": False, "properties": job_properties}
    job = {**template, "required": ["stage", "script"]}
    return {
        "type": "object",
        "required": ["stages"],
        "properties": {
            "stages": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "variables": {"type": "object", "additionalProperties": {"type": "string"}},
            "default": template,
        },
        "patternProperties": {
            r"^\.": template,
            "^(?!(" + "|".join(GITLAB_GLOBAL_KEYWORDS) + r")$)[^.]": job,
        },
        "additionalProperties": False,
    }
