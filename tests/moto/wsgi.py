"""WSGI plumbing shared by the moto server's middlewares."""

from __future__ import annotations

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
