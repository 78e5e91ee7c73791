"""Query cache backends (`QueryCache`), their metrics, and event-driven invalidation.

`factory.build_query_cache(settings)` picks the backend; the Redis backend lives in the `redis`
subpackage, which projects generated with cache=memory do not have.
"""
