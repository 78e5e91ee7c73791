"""Query cache backends (`QueryCache`), their metrics, and event-driven invalidation.

`factory.build_query_cache(settings)` picks the backend: the in-process one, which the core
holds (`app.core.cqrs.MemoryQueryCache`), or the Redis one in the `redis` subpackage, which
projects generated with cache=memory do not have.

Staleness: a command's tags are invalidated after its commit (`invalidation`), so its author's
next query reads fresh data. As in any cache-aside scheme, a query that read the database just
before that commit but stores its result just after the invalidation leaves a stale entry, for
at most the entry's TTL. Each backend documents what an outage adds to that.
"""
