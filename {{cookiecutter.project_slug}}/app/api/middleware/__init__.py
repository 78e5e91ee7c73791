"""ASGI middleware for every HTTP request: request ids and HTTP metrics (added in `app.main`)."""
