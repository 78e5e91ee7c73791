"""Pure ASGI middleware around the whole application: request ids and HTTP metrics.

Installed with `install_request_observability(app)` (in `install`), outside Starlette's
`ServerErrorMiddleware`, so even a 500 for an unhandled exception carries the request id and is
counted.
"""
