"""The real application serves /metrics and puts request ids on its responses."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def http_requests(text: str, route: str, status: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "http_requests_total"
        and sample.labels == {"method": "GET", "route": route, "status": status}
    )


async def test_every_response_of_the_real_app_carries_a_request_id(client):
    response = await client.get("/health/live", headers={"X-Request-ID": "wiring-1"})

    assert response.headers["x-request-id"] == "wiring-1"
    assert response.headers["x-correlation-id"] == "wiring-1"


async def test_the_real_app_counts_its_requests_by_route_template_on_metrics(client):
    before = http_requests((await client.get("/metrics")).text, "/health/live", "200")
    await client.get("/health/live")
    await client.get("/health/live")
    await client.get("/no/such/route")
    scraped = (await client.get("/metrics")).text

    assert http_requests(scraped, "/health/live", "200") - before == 2
    assert http_requests(scraped, "<unmatched>", "404") >= 1
    assert "/no/such/route" not in scraped
