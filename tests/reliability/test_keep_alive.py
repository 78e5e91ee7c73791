"""Idle keep-alive connections stay open longer than uvicorn's own 5 s default.

A client pool reuses a connection it believes open; if the server has just closed it, the
request meets a reset instead of a response (the acknowledged-writes burst used to lose a
request or two that way). The image's entrypoint keeps idle connections for 75 s.
"""

from __future__ import annotations

import socket
import time

from tests.reliability.served import ServedApp

REQUEST = b"GET /health/live HTTP/1.1\r\nHost: reliability\r\n\r\n"


def read_response(connection: socket.socket) -> bytes:
    """One HTTP/1.1 response (headers and a Content-Length body), or what came before EOF."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(4096)
        if not chunk:
            return received
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = connection.recv(4096)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def test_a_connection_left_idle_for_six_seconds_is_still_served(served: ServedApp) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as connection:
        connection.sendall(REQUEST)
        assert read_response(connection).startswith(b"HTTP/1.1 200")

        time.sleep(6)

        connection.sendall(REQUEST)
        assert read_response(connection).startswith(b"HTTP/1.1 200")
