"""WSGI plumbing shared by the moto server's middlewares."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

WsgiEnviron = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[WsgiEnviron, StartResponse], Iterable[bytes]]
Headers = list[tuple[str, str]]


def call_app(app: WsgiApp, environ: WsgiEnviron) -> tuple[int, Headers, bytes]:
    """Run a WSGI app to completion: status code, headers and whole body."""
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: Headers, exc_info: Any = None) -> None:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = headers

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return captured["status"], captured["headers"], body


def buffer_body(environ: WsgiEnviron) -> bytes:
    """The request body (``CONTENT_LENGTH`` bytes), left readable for the next app."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def respond(start_response: StartResponse, status: int, headers: Headers, body: bytes) -> list[bytes]:
    """Send ``body`` with ``headers``, its ``Content-Length`` set to match."""
    headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(body))))
    start_response(f"{status} {'OK' if status < 300 else 'Error'}", headers)
    return [body]
