from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.api.observed_app import observed_client


def samples_of(text: str, metric: str) -> dict[tuple[tuple[str, str], ...], float]:
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == metric
    }


async def test_metrics_are_served_in_the_prometheus_text_format():
    async with observed_client() as client:
        response = await client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE http_requests_total counter" in response.text


async def test_a_scrape_shows_the_requests_made_before_it_under_their_route_template():
    async with observed_client() as client:
        before = samples_of((await client.get("/metrics")).text, "http_requests_total")
        await client.get("/widgets/7")
        await client.get("/widgets/8")
        after = samples_of((await client.get("/metrics")).text, "http_requests_total")

    key = (("method", "GET"), ("route", "/widgets/{widget_id}"), ("status", "200"))
    assert after[key] - before.get(key, 0.0) == 2
    assert not any(dict(labels).get("route") == "/widgets/7" for labels in after)


async def test_the_cache_and_cqrs_metrics_are_exposed_too():
    import app.infrastructure.cache.metrics
    import app.infrastructure.metrics.cqrs  # noqa: F401

    async with observed_client() as client:
        text = (await client.get("/metrics")).text

    for name in (
        "cqrs_cache_hits_total",
        "cqrs_command_total",
        "cqrs_query_total",
        "cqrs_command_duration_seconds",
        "cqrs_query_duration_seconds",
        "cqrs_operation_errors_total",
    ):
        assert f"# TYPE {name.removesuffix('_total')}" in text


async def test_an_openmetrics_scraper_gets_openmetrics():
    async with observed_client() as client:
        response = await client.get(
            "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
        )

    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")
