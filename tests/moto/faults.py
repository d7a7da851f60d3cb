"""Fault injection in front of moto server: the failures AWS clients meet in the field.

A WSGI middleware that answers a seeded random share of requests with one of:

- ``throttle``: HTTP 400 with the throttling error of the request's protocol
  (``ThrottlingException`` in awsJson and RPCv2-CBOR, ``Throttling`` in awsQuery);
- ``5xx``: HTTP 503 in the same shapes (``ServiceUnavailableException``,
  ``ServiceUnavailable``);
- ``reset``: the connection is closed without an answer;
- ``truncate``: moto's real answer (the request took effect), its status and
  ``Content-Length`` intact, with only the first half of the body sent before the
  connection closes;
- ``malformed``: moto's real answer (the request took effect) with its status and
  headers, well framed, but only the first half of its body: a document that does
  not parse (answers with an empty body stay as they are);
- ``hang``: no answer for ``hang_seconds``, then the connection is closed.

Requests opt in with an access key id of the form ``<12-digit account>-faults``, or
all requests do when ``everyone`` is set. Requests to ``/moto-api/`` never get faults.
"""

from __future__ import annotations

import json
import random
import re
import socket
import struct
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import cbor2
from wsgi import StartResponse, WsgiApp, WsgiEnviron, call_app


MODES = ("throttle", "5xx", "reset", "truncate", "malformed", "hang")
OPT_IN = re.compile(r"Credential=\d{12}-faults/")
DEFAULT_HANG_SECONDS = 300.0

# (HTTP status, awsJson / RPCv2-CBOR __type, awsQuery code, message) per error mode.
ERRORS = {
    "throttle": (400, "ThrottlingException", "Throttling", "Rate exceeded"),
    "5xx": (503, "ServiceUnavailableException", "ServiceUnavailable", "Service is unavailable, try again"),
}


@dataclass(frozen=True)
class FaultMix:
    """The probability of each fault mode per request (they add up to at most 1)."""

    rates: tuple[tuple[str, float], ...]

    @classmethod
    def parse(cls, spec: str) -> FaultMix:
        """``throttle=0.3,5xx=0.1`` as a mix; raises ``ValueError`` with the reason."""
        rates: dict[str, float] = {}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            name, sep, value = item.partition("=")
            if not sep or name not in MODES:
                raise ValueError(f"{item!r} is not MODE=RATE with MODE one of {', '.join(MODES)}")
            try:
                rate = float(value)
            except ValueError:
                raise ValueError(f"{item!r}: {value!r} is not a number") from None
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{item!r}: a rate is between 0 and 1")
            rates[name] = rate
        if sum(rates.values()) > 1.0 + 1e-9:
            raise ValueError(f"the rates of {spec!r} add up to more than 1")
        return cls(tuple(rates.items()))

    def pick(self, draw: float) -> str | None:
        """The mode a uniform ``draw`` in [0, 1) falls on, or ``None`` for no fault."""
        edge = 0.0
        for name, rate in self.rates:
            edge += rate
            if draw < edge:
                return name
        return None


def protocol(environ: WsgiEnviron) -> str:
    """``cbor``, ``json``, ``query`` or ``rest``: how the request's service answers errors."""
    if environ.get("HTTP_SMITHY_PROTOCOL") == "rpc-v2-cbor":
        return "cbor"
    if environ.get("HTTP_X_AMZ_TARGET"):
        return "json"
    if "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", "") or "Action=" in environ.get("QUERY_STRING", ""):
        return "query"
    return "rest"


def error_response(environ: WsgiEnviron, mode: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of the ``mode`` error in the request's protocol."""
    status, json_type, query_code, message = ERRORS[mode]
    request_id = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", request_id)]
    kind = protocol(environ)
    if kind == "cbor":
        # CloudWatch is awsQueryCompatible: the SDK takes the code from this header.
        fault = "Sender" if status < 500 else "Receiver"
        headers += [
            ("smithy-protocol", "rpc-v2-cbor"),
            ("Content-Type", "application/cbor"),
            ("x-amzn-query-error", f"{query_code};{fault}"),
        ]
        return status, headers, cbor2.dumps({"__type": json_type, "message": message})
    if kind == "json":
        content_type = environ.get("CONTENT_TYPE") or "application/x-amz-json-1.1"
        headers.append(("Content-Type", content_type))
        return status, headers, json.dumps({"__type": json_type, "message": message}).encode()
    fault = "Sender" if status < 500 else "Receiver"
    error = f"<Type>{fault}</Type><Code>{query_code}</Code><Message>{message}</Message>"
    if kind == "query":
        body = f"<ErrorResponse><Error>{error}</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    else:
        headers.append(("x-amzn-ErrorType", json_type))
        body = f"<Error>{error}<RequestId>{request_id}</RequestId></Error>"
    headers.append(("Content-Type", "text/xml"))
    return status, headers, body.encode()


class ConnectionClosed(ConnectionResetError):
    """Raised out of the WSGI app after closing the connection: werkzeug drops it quietly."""


def close_connection(environ: WsgiEnviron) -> None:
    """Reset the request's connection: nothing more is read or written on it.

    The body is read first; ``SO_LINGER`` 0 makes the final close send RST, and
    shutting down the read side ends werkzeug's keep-alive loop at once.
    """
    sock: socket.socket | None = environ.get("werkzeug.socket")
    if sock is None:
        return
    # An unread body would be taken for the next request and answered with a 400.
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass  # the client is gone already


class FaultInjector:
    """WSGI middleware that injects ``mix`` into the requests that opt in."""

    def __init__(
        self,
        app: WsgiApp,
        mix: FaultMix,
        seed: int | None = None,
        everyone: bool = False,
        hang_seconds: float = DEFAULT_HANG_SECONDS,
    ) -> None:
        self.app = app
        self.mix = mix
        self.everyone = everyone
        self.hang_seconds = hang_seconds
        self.random = random.Random(seed)
        self.lock = threading.Lock()

    def applies(self, environ: WsgiEnviron) -> bool:
        """Whether the request takes part: opted in (or everyone), and not moto's own API."""
        if environ.get("PATH_INFO", "").startswith("/moto-api"):
            return False
        return self.everyone or OPT_IN.search(environ.get("HTTP_AUTHORIZATION", "")) is not None

    def draw(self) -> str | None:
        """The next mode from the seeded sequence (one draw per request that takes part)."""
        with self.lock:
            return self.mix.pick(self.random.random())

    def __call__(self, environ: WsgiEnviron, start_response: StartResponse) -> Iterable[bytes]:
        mode = self.draw() if self.applies(environ) else None
        if mode is None:
            return self.app(environ, start_response)
        if mode in ERRORS:
            status, headers, body = error_response(environ, mode)
            start_response(f"{status} {'Bad Request' if status < 500 else 'Service Unavailable'}", headers)
            return [body]
        if mode == "truncate":
            return self.truncate(environ, start_response)
        if mode == "malformed":
            return self.malformed(environ, start_response)
        if mode == "hang":
            time.sleep(self.hang_seconds)
        close_connection(environ)
        raise ConnectionClosed(f"fault injection: {mode}")

    def truncate(self, environ: WsgiEnviron, start_response: StartResponse) -> Iterator[bytes]:
        """moto's answer with its full ``Content-Length`` but half its body, then EOF."""
        status, headers, body = call_app(self.app, environ)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        # An empty body is cut too: one byte is promised and none comes.
        headers.append(("Content-Length", str(max(len(body), 1))))
        start_response(f"{status} {'OK' if status < 300 else 'Error'}", headers)
        # werkzeug closes every connection after one answer: the client reads EOF
        # where the rest of the body should be.
        yield body[: len(body) // 2]

    def malformed(self, environ: WsgiEnviron, start_response: StartResponse) -> Iterator[bytes]:
        """moto's answer, its framing intact, but a body cut in half that no parser accepts."""
        status, headers, body = call_app(self.app, environ)
        cut = body[: len(body) // 2]
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(cut))))
        start_response(f"{status} {'OK' if status < 300 else 'Error'}", headers)
        yield cut
