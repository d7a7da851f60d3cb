"""Organizations on moto server for ``kmswatch scan``: a management account,
member accounts made with ``CreateAccount``, each member's chain built in its
own moto account (moto serves a request in the account of the assumed role's
ARN, and the bridge in the account named by a 12-digit access key), suspended
members (``CloseAccount``), and a proxy in front of moto that refuses
``AssumeRole`` into chosen accounts, which moto itself never does."""

from __future__ import annotations

import dataclasses
import http.client
import http.server
import threading
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
import contextlib
from typing import Any

import scenarios

ClientIn = Callable[[str], Callable[[str], Any]]
"""``client_in(account_id)(service)``: a boto3 client acting in that account."""


@dataclasses.dataclass
class Organization:
    """The accounts made, by the state each was put in."""

    management: str
    passing: list[str] = dataclasses.field(default_factory=list)
    failing: list[str] = dataclasses.field(default_factory=list)
    refused: list[str] = dataclasses.field(default_factory=list)
    suspended: list[str] = dataclasses.field(default_factory=list)

    def expected(self) -> dict[str, str]:
        """The verdict ``kmswatch scan`` must give each scanned account."""
        verdicts = {self.management: "PASS"}
        verdicts.update({a: "PASS" for a in self.passing})
        verdicts.update({a: "FAIL" for a in self.failing})
        verdicts.update({a: "ERROR" for a in self.refused})
        return verdicts


def build_organization(
    client_in: ClientIn,
    management: str,
    passing: int,
    failing: int,
    refused: int = 0,
    suspended: int = 0,
) -> Organization:
    """Creates the organization of ``management`` (compliant itself) with
    members in each state; ``failing`` ones cycle through the broken links
    of ``scenarios.BROKEN_LINKS``."""
    org = client_in(management)("organizations")
    org.create_organization(FeatureSet="ALL")
    scenarios.build_account(client_in(management), management)
    made = Organization(management=management)
    plan = (
        [("pass", i) for i in range(passing)]
        + [("fail", i) for i in range(failing)]
        + [("refused", i) for i in range(refused)]
        + [("suspended", i) for i in range(suspended)]
    )
    for kind, i in plan:
        answer = org.create_account(Email=f"{kind}{i}@example.com", AccountName=f"{kind}-{i}")
        account = answer["CreateAccountStatus"]["AccountId"]
        if kind == "fail":
            broken = scenarios.BROKEN_LINKS[i % len(scenarios.BROKEN_LINKS)][0]
            scenarios.build_account(client_in(account), account, broken)
            made.failing.append(account)
        elif kind == "pass":
            scenarios.build_account(client_in(account), account)
            made.passing.append(account)
        elif kind == "refused":
            scenarios.build_account(client_in(account), account)
            made.refused.append(account)
        else:
            org.close_account(AccountId=account)
            made.suspended.append(account)
    return made


_DENIED = """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole on resource: {role}</Message></Error>
<RequestId>kmswatch-test</RequestId></ErrorResponse>"""


@contextlib.contextmanager
def refusing_proxy(
    upstream: str,
    refused_accounts: Sequence[str],
    slow_accounts: Sequence[str] = (),
    seen: list[tuple[str, bytes]] | None = None,
) -> Iterator[str]:
    """An HTTP proxy to ``upstream`` (moto) that answers ``AssumeRole`` into
    any of ``refused_accounts`` with STS's ``AccessDenied``, and holds
    ``AssumeRole`` into any of ``slow_accounts`` for a minute before passing it
    on; records each request's path and body in ``seen``; yields its URL."""
    target = urllib.parse.urlsplit(upstream)
    refused = tuple(refused_accounts)
    slow = tuple(slow_accounts)
    closing = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if seen is not None:
                seen.append((self.path, body))
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            role = (form.get("RoleArn") or [""])[0]
            if form.get("Action") == ["AssumeRole"] and any(f"::{a}:" in role for a in slow):
                closing.wait(60)
            if form.get("Action") == ["AssumeRole"] and any(f"::{a}:" in role for a in refused):
                answer = _DENIED.format(role=role).encode()
                self.send_response(403)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
                return
            connection = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
            connection.request(self.command, self.path, body=body, headers=headers)
            reply = connection.getresponse()
            data = reply.read()
            self.send_response(reply.status, reply.reason)
            for key, value in reply.getheaders():
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            connection.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        closing.set()
        server.shutdown()
        server.server_close()
