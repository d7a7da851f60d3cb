"""A scripted AWS endpoint on loopback, for answers moto cannot give: requests
held open forever, or a well-framed success answer whose body does not parse.

``answer(action, body)`` decides each request: ``(status, content_type, body)``
to answer, or ``None`` to hold the request open until the server stops. The
action is the awsQuery ``Action=`` or the awsJson ``X-Amz-Target`` operation.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT = "111122223333"
IDENTITY = f"""<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<GetCallerIdentityResult><Arn>arn:aws:iam::{ACCOUNT}:user/auditor</Arn>
<UserId>AIDAEXAMPLE</UserId><Account>{ACCOUNT}</Account></GetCallerIdentityResult>
<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"""

Answer = tuple[int, str, bytes]
Script = Callable[[str, bytes], "Answer | None"]


class StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: Script) -> None:
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.script = script
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.released = threading.Event()


class StubHandler(BaseHTTPRequestHandler):
    server: StubServer

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        target = self.headers.get("X-Amz-Target")
        if target:
            action = target.rsplit(".", 1)[-1]
        else:
            action = parse_qs(body.decode(errors="replace")).get("Action", [""])[0]
        with self.server.lock:
            self.server.seen[action] += 1
        answer = self.server.script(action, body)
        if answer is None:
            self.server.released.wait(600)
            return
        status, content_type, payload = answer
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def identity(action: str) -> Answer | None:
    """STS ``GetCallerIdentity``'s answer for :data:`ACCOUNT`, for that action only."""
    if action == "GetCallerIdentity":
        return 200, "text/xml", IDENTITY.encode()
    return None


@contextmanager
def stub_server(script: Script) -> Iterator[StubServer]:
    """The server running; its URL is ``f"http://127.0.0.1:{server.server_address[1]}"``."""
    server = StubServer(script)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()


def url(server: StubServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"
