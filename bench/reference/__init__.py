"""Hand-written FastAPI apps doing the same essential work as the rendered service, nothing more.

Each checks the same JWT (signature, algorithm, issuer, required claims, expiry) and makes the
same Redis or PostgreSQL round trip as the scenario it stands beside, with no CQRS machinery.
They run in the rendered project's environment, served like the service (one uvicorn worker).
"""
