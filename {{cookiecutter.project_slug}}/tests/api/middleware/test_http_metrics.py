from __future__ import annotations

from app.infrastructure.metrics.http import UNMATCHED_ROUTE
from tests.api.observed_app import observed_client
from tests.infrastructure.metrics.samples import sample


def requests(method: str, route: str, status: str) -> float:
    return sample("http_requests_total", method=method, route=route, status=status)


def observations(method: str, route: str) -> float:
    return sample("http_request_duration_seconds_count", method=method, route=route)


async def test_requests_are_counted_and_timed_under_their_route_template():
    route = "/widgets/{widget_id}"
    before = requests("GET", route, "200"), observations("GET", route)
    async with observed_client() as client:
        for widget_id in (1, 2, 3):
            assert (await client.get(f"/widgets/{widget_id}")).status_code == 200

    after = requests("GET", route, "200"), observations("GET", route)
    assert (after[0] - before[0], after[1] - before[1]) == (3, 3)
    assert sample("http_requests_total", method="GET", route="/widgets/1", status="200") == 0


async def test_the_status_label_is_what_the_client_received():
    before_created = requests("POST", "/widgets", "201")
    before_invalid = requests("GET", "/widgets/{widget_id}", "422")
    async with observed_client() as client:
        await client.post("/widgets")
        await client.get("/widgets/not-a-number")

    assert requests("POST", "/widgets", "201") - before_created == 1
    assert requests("GET", "/widgets/{widget_id}", "422") - before_invalid == 1


async def test_paths_no_route_matches_share_one_label():
    before = requests("GET", UNMATCHED_ROUTE, "404")
    async with observed_client() as client:
        for path in ("/nope", "/wp-admin.php", "/a/b/c/d"):
            assert (await client.get(path)).status_code == 404

    assert requests("GET", UNMATCHED_ROUTE, "404") - before == 3


async def test_an_unhandled_error_is_counted_as_the_500_the_client_received():
    before = requests("GET", "/boom", "500")
    async with observed_client() as client:
        assert (await client.get("/boom")).status_code == 500

    assert requests("GET", "/boom", "500") - before == 1


async def test_unusual_methods_share_one_label():
    before = requests("OTHER", UNMATCHED_ROUTE, "404")
    async with observed_client() as client:
        await client.request("BREW", "/coffee")

    assert requests("OTHER", UNMATCHED_ROUTE, "404") - before == 1


async def test_no_request_is_left_in_progress_afterwards():
    async with observed_client() as client:
        await client.get("/widgets/1")
        await client.get("/boom")

    assert sample("http_requests_in_progress", method="GET") == 0
