"""moto server that also speaks Smithy RPCv2-CBOR for Amazon CloudWatch.

The AWS SDK for Rust (aws-sdk-cloudwatch >= 1.1xx) talks to CloudWatch only in the
Smithy RPCv2-CBOR protocol: ``POST /service/GraniteServiceVersion20100801/operation/{Op}``
with a CBOR body and a ``smithy-protocol: rpc-v2-cbor`` header. moto 5.2 does not
speak that protocol, but it serves CloudWatch in awsJson1_0, whose documents have the
same member names and structure. This script runs moto's WSGI application behind a
middleware that turns each RPCv2-CBOR request into the equivalent awsJson1_0 request
and the JSON answer (or error) back into CBOR, using botocore's CloudWatch service
model to type every value: timestamps become CBOR tag 1 epoch seconds, blobs become
byte strings, doubles stay floats and integers stay integers.

The middleware also fills two gaps of moto's CloudWatch that the SDK tests need:
it checks required members, enum values and numeric ranges as CloudWatch does
(moto accepts ``ComparisonOperator: "Bogus"``). In front of moto's CloudWatch, for
boto3 and the SDK alike, it pages ``DescribeAlarms`` by ``MaxRecords`` / ``NextToken``
(moto always answers with every alarm) and keeps ``DescribeAlarmsForMetric`` to the
requested dimensions (``alarm_pages.py``). It also
keeps the ``AccountId`` of metric-math queries, which moto drops
(``query_accounts.py`` beside this file), and serves composite alarms, which moto
lacks (``composite_alarms.py``), to boto3 and the SDK alike. For CloudTrail it shows
member accounts their organization's trail as AWS does (``organization_trails.py``).

Every other request passes through to moto untouched, except that a request signed
with a 12-digit access key id (for example ``111122223333``, or ``111122223333-faults``
to opt in to fault injection) is served in that moto account, so concurrent tests can
isolate their state by account instead of resets.

IAM enforcement: with ``INITIAL_NO_AUTH_ACTION_COUNT=N`` in the environment, moto serves
the first N actions unchecked and then checks every request's SigV4 signature against
the access keys of its IAM users and the request's action against their policies.
moto names an action after the signing name (``monitoring:DescribeAlarms`` where IAM
says ``cloudwatch:DescribeAlarms``). A request the bridge rewrites no longer matches its
signature, so in that mode the bridge verifies the original signature and signs the
rewritten request again with the same credentials; and it turns moto's XML refusals of
awsJson requests into the JSON errors AWS sends (``iam_mode.py`` beside this file).
Without the variable nothing is checked, signed again or turned.

Fault injection (``faults.py`` beside this file): ``--faults throttle=0.3,5xx=0.1,
reset=0.1,truncate=0.1,hang=0.01`` answers that share of requests with a throttling
error, a 503, a connection closed without an answer, a body cut short, or no answer
for ``--fault-hang-seconds``. Only requests signed with an access key id of the form
``<12-digit account>-faults`` get faults, unless ``--fault-all`` is given; without
``--faults`` no request does. ``--fault-seed`` makes the draws repeatable. Each flag
has an environment variable: ``KMSWATCH_MOTO_FAULTS``, ``KMSWATCH_MOTO_FAULT_SEED``,
``KMSWATCH_MOTO_FAULT_ALL`` (``1``), ``KMSWATCH_MOTO_FAULT_HANG_SECONDS``.

Usage: ``python3 tests/moto/server.py [--host 127.0.0.1] [--port 0] [--exit-with-parent PID]
[--faults SPEC [--fault-seed N] [--fault-all] [--fault-hang-seconds S]]``.
Once listening it prints exactly one line, ``READY http://HOST:PORT``, to stdout.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import io
import ipaddress
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import botocore.session
import cbor2
from botocore.model import OperationModel, OperationNotFoundError, ServiceModel, Shape
from alarm_pages import AlarmPages
from composite_alarms import CompositeAlarms
from faults import DEFAULT_HANG_SECONDS, FaultInjector, FaultMix
from iam_mode import iam_enforced, json_auth_errors, sign_again, xml_error
from organization_trails import OrganizationTrails
from query_accounts import KeepQueryAccounts
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server
from wsgi import Headers, StartResponse, WsgiApp, WsgiEnviron, call_app


# Smithy service shape name -> botocore service name, for services moto serves in
# awsJson1_0 but the SDK calls in RPCv2-CBOR.
CBOR_SERVICES = {"GraniteServiceVersion20100801": "cloudwatch"}
CBOR_PATH = re.compile(r"^/service/(?P<service>[A-Za-z0-9_]+)/operation/(?P<operation>[A-Za-z0-9_]+)$")
ACCOUNT_ACCESS_KEY = re.compile(r"Credential=(?P<account>\d{12})(?:-faults)?/")


class BridgeError(Exception):
    """A request the bridge answers itself with a CloudWatch-style error."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


# --- shape-directed conversion ---------------------------------------------------------


def convert(value: Any, shape: Shape | None, leaf: Callable[[Any, Shape], Any]) -> Any:
    """Rebuild ``value`` along ``shape``, passing every scalar through ``leaf``.

    Structure members the model does not know and null members are dropped.
    """
    if shape is None or value is None:
        return value
    if shape.type_name == "structure":
        members = shape.members
        return {
            name: convert(member, members[name], leaf)
            for name, member in value.items()
            if name in members and member is not None
        }
    if shape.type_name == "list":
        return [convert(item, shape.member, leaf) for item in value]
    if shape.type_name == "map":
        return {key: convert(item, shape.value, leaf) for key, item in value.items()}
    return leaf(value, shape)


def cbor_leaf_to_json(value: Any, shape: Shape) -> Any:
    """A request scalar decoded from CBOR, as awsJson1_0 carries it."""
    if shape.type_name == "timestamp" and isinstance(value, dt.datetime):
        return value.timestamp()
    if shape.type_name == "blob" and isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def json_leaf_to_cbor(value: Any, shape: Shape) -> Any:
    """A response scalar from awsJson1_0, as RPCv2-CBOR carries it."""
    kind = shape.type_name
    if kind == "timestamp":
        seconds = dt.datetime.fromisoformat(value).timestamp() if isinstance(value, str) else value
        return cbor2.CBORTag(1, float(seconds))
    if kind == "blob":
        return base64.b64decode(value)
    if kind in ("double", "float"):
        return float(value)
    if kind in ("integer", "long", "short", "byte"):
        return int(value)
    return value


# --- validation moto does not do -------------------------------------------------------


def missing_members(value: Any, shape: Shape, path: str = "") -> list[str]:
    """Paths of required structure members absent from ``value``."""
    if value is None:
        return []
    if shape.type_name == "structure":
        missing = [f"{path}{name}" for name in shape.required_members if value.get(name) is None]
        for name, member in value.items():
            if name in shape.members:
                missing += missing_members(member, shape.members[name], f"{path}{name}.")
        return missing
    if shape.type_name == "list":
        return [m for i, item in enumerate(value) for m in missing_members(item, shape.member, f"{path}{i + 1}.")]
    return []


def constraint_violations(value: Any, shape: Shape, path: str = "") -> list[str]:
    """CloudWatch-style messages for enum and numeric range violations in ``value``."""
    if value is None:
        return []
    if shape.type_name == "structure":
        return [
            v
            for name, member in value.items()
            if name in shape.members
            for v in constraint_violations(member, shape.members[name], _member_path(path, name))
        ]
    if shape.type_name == "list":
        return [v for i, item in enumerate(value) for v in constraint_violations(item, shape.member, f"{path}.{i + 1}")]
    return _scalar_violations(value, shape, path)


def _member_path(parent: str, name: str) -> str:
    camel = name[:1].lower() + name[1:]
    return f"{parent}.{camel}" if parent else camel


def _scalar_violations(value: Any, shape: Shape, path: str) -> list[str]:
    rules = shape.metadata
    if "enum" in rules and value not in rules["enum"]:
        return [_violation(value, path, f"Member must satisfy enum value set: [{', '.join(rules['enum'])}]")]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "min" in rules and value < rules["min"]:
            return [_violation(value, path, f"Member must have value greater than or equal to {rules['min']}")]
        if "max" in rules and value > rules["max"]:
            return [_violation(value, path, f"Member must have value less than or equal to {rules['max']}")]
    return []


def _violation(value: Any, path: str, constraint: str) -> str:
    return f"Value '{value}' at '{path}' failed to satisfy constraint: {constraint}"


def validate(params: dict[str, Any], operation: OperationModel) -> None:
    """Raise the error CloudWatch would return for ``params``, if any."""
    shape = operation.input_shape
    if shape is None:
        return
    missing = missing_members(params, shape)
    if missing:
        raise BridgeError("MissingParameter", f"The parameter {missing[0]} is required.")
    violations = constraint_violations(params, shape)
    if violations:
        count = len(violations)
        noun = "error" if count == 1 else "errors"
        raise BridgeError("ValidationError", f"{count} validation {noun} detected: {'; '.join(violations)}")


# --- the WSGI middleware ---------------------------------------------------------------


def json_environ(environ: WsgiEnviron, target_prefix: str, operation: str, body: bytes) -> WsgiEnviron:
    """``environ`` rewritten as the awsJson1_0 request moto serves."""
    rewritten = {k: v for k, v in environ.items() if k not in ("HTTP_SMITHY_PROTOCOL", "HTTP_ACCEPT")}
    rewritten.update(
        PATH_INFO="/",
        QUERY_STRING="",
        CONTENT_TYPE="application/x-amz-json-1.0",
        CONTENT_LENGTH=str(len(body)),
        HTTP_X_AMZ_TARGET=f"{target_prefix}.{operation}",
        **{"wsgi.input": io.BytesIO(body)},
    )
    return rewritten


def header(headers: Headers, name: str) -> str | None:
    """The first value of header ``name`` (case-insensitive)."""
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def cbor_response(start_response: StartResponse, status: int, document: Any, extra: Headers) -> list[bytes]:
    """Send ``document`` as an RPCv2-CBOR response."""
    body = cbor2.dumps(document)
    headers = [
        ("smithy-protocol", "rpc-v2-cbor"),
        ("Content-Type", "application/cbor"),
        ("Content-Length", str(len(body))),
        *extra,
    ]
    start_response(f"{status} {'OK' if status < 300 else 'Error'}", headers)
    return [body]


def error_document(status: int, body: bytes, headers: Headers) -> tuple[dict[str, str], Headers]:
    """The CBOR error envelope and headers for a moto error response."""
    try:
        parsed = json.loads(body)
        document = {"__type": parsed["__type"], "message": parsed.get("message") or parsed.get("Message") or ""}
    except (ValueError, KeyError, TypeError):
        document = xml_error(body) or {
            "__type": "InternalFailure",
            "message": f"moto answered HTTP {status} without a JSON error",
        }
    moto_query_error = header(headers, "x-amzn-query-error")
    if moto_query_error is not None:
        return document, [("x-amzn-query-error", moto_query_error)]
    return document, [query_error(document["__type"].rsplit("#", 1)[-1], status)]


def query_error(code: str, status: int) -> tuple[str, str]:
    """The awsQueryCompatible ``x-amzn-query-error`` header the SDK reads the error code from."""
    return ("x-amzn-query-error", f"{code};{'Sender' if status < 500 else 'Receiver'}")


class CborBridge:
    """WSGI middleware: RPCv2-CBOR in front of moto's awsJson1_0 for ``CBOR_SERVICES``."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = OrganizationTrails(AlarmPages(KeepQueryAccounts(CompositeAlarms(app))))
        session = botocore.session.get_session()
        self.models: dict[str, ServiceModel] = {
            shape_name: session.get_service_model(service) for shape_name, service in CBOR_SERVICES.items()
        }

    def __call__(self, environ: WsgiEnviron, start_response: StartResponse) -> Iterable[bytes]:
        select_account(environ)
        route = CBOR_PATH.match(environ.get("PATH_INFO", ""))
        if route is None or environ.get("HTTP_SMITHY_PROTOCOL") != "rpc-v2-cbor" or route["service"] not in self.models:
            if environ.get("HTTP_X_AMZ_TARGET") and iam_enforced():
                return json_auth_errors(self.app, environ, start_response)
            return self.app(environ, start_response)
        model = self.models[route["service"]]
        try:
            operation = find_operation(model, route["operation"])
            return self.bridge(environ, start_response, model, operation)
        except BridgeError as error:
            document = {"__type": error.code, "message": error.message}
            return cbor_response(start_response, error.status, document, [query_error(error.code, error.status)])

    def bridge(
        self, environ: WsgiEnviron, start_response: StartResponse, model: ServiceModel, operation: OperationModel
    ) -> Iterable[bytes]:
        """Serve one RPCv2-CBOR request through moto's awsJson1_0 handler."""
        raw = read_body(environ)
        params = decode_cbor(raw)
        validate(params, operation)
        json_params = convert(params, operation.input_shape, cbor_leaf_to_json) or {}
        body = json.dumps(json_params).encode()
        moto_request = json_environ(environ, model.metadata["targetPrefix"], operation.name, body)
        if iam_enforced():
            sign_again(environ, raw, moto_request, body)
        try:
            status, headers, answer = call_app(self.app, moto_request)
        except NotImplementedError as error:
            raise BridgeError("InternalFailure", f"moto does not implement {operation.name}", 501) from error
        request_id = [(name, value) for name, value in headers if name.lower() == "x-amzn-requestid"]
        if status >= 300:
            document, extra = error_document(status, answer, headers)
            return cbor_response(start_response, status, document, request_id + extra)
        result = json.loads(answer or b"{}")
        document = convert(result, operation.output_shape, json_leaf_to_cbor)
        return cbor_response(start_response, status, document, request_id)


def find_operation(model: ServiceModel, name: str) -> OperationModel:
    """The operation ``name`` of ``model``; an unknown name is the client's error."""
    try:
        return model.operation_model(name)
    except OperationNotFoundError as error:
        raise BridgeError("UnknownOperationException", f"{model.service_name} has no operation {name}") from error


def read_body(environ: WsgiEnviron) -> bytes:
    """The request body (``CONTENT_LENGTH`` bytes)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def decode_cbor(raw: bytes) -> dict[str, Any]:
    """The decoded CBOR request document (an empty body is an empty input)."""
    if not raw:
        return {}
    try:
        document = cbor2.loads(raw)
    except cbor2.CBORDecodeError as error:
        raise BridgeError("SerializationException", f"request body is not CBOR: {error}") from error
    if not isinstance(document, dict):
        raise BridgeError("SerializationException", "request body is not a CBOR map")
    return document


def select_account(environ: WsgiEnviron) -> None:
    """Serve a request signed with a 12-digit access key id in that moto account."""
    found = ACCOUNT_ACCESS_KEY.search(environ.get("HTTP_AUTHORIZATION", ""))
    if found and "HTTP_X_MOTO_ACCOUNT_ID" not in environ:
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = found["account"]


# --- process lifetime ------------------------------------------------------------------


def exit_with_parent(pid: int, interval: float = 0.5) -> None:
    """Exit this process once process ``pid`` is gone (polls, in a daemon thread)."""

    def watch() -> None:
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass  # it exists, owned by someone else
            time.sleep(interval)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def loopback(host: str) -> str:
    """``host`` if it is a loopback address; anything else is refused."""
    if host == "localhost" or ipaddress.ip_address(host).is_loopback:
        return host
    raise argparse.ArgumentTypeError(f"{host} is not a loopback address")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", type=loopback, default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one")
    parser.add_argument("--exit-with-parent", type=int, metavar="PID", help="exit when process PID is gone")
    faults = parser.add_argument_group("fault injection (see faults.py)")
    faults.add_argument(
        "--faults",
        type=fault_mix,
        default=os.environ.get("KMSWATCH_MOTO_FAULTS"),
        metavar="MODE=RATE,...",
        help="share of requests per fault mode: throttle, 5xx, reset, truncate, malformed, hang",
    )
    faults.add_argument(
        "--fault-seed", type=int, default=os.environ.get("KMSWATCH_MOTO_FAULT_SEED"), help="seed of the draws"
    )
    faults.add_argument(
        "--fault-all",
        action="store_true",
        default=os.environ.get("KMSWATCH_MOTO_FAULT_ALL") == "1",
        help="inject into every request, not only those signed with a <account>-faults key",
    )
    faults.add_argument(
        "--fault-hang-seconds",
        type=float,
        default=float(os.environ.get("KMSWATCH_MOTO_FAULT_HANG_SECONDS", DEFAULT_HANG_SECONDS)),
        metavar="S",
        help="how long a hung request waits before its connection is closed",
    )
    return parser.parse_args(argv)


def fault_mix(spec: str) -> FaultMix:
    """``--faults`` as a mix; a bad spec is a usage error."""
    try:
        return FaultMix.parse(spec)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    if args.exit_with_parent is not None:
        exit_with_parent(args.exit_with_parent)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    app: WsgiApp = CborBridge(DomainDispatcherApplication(create_backend_app))
    if args.faults is not None and args.faults.rates:
        app = FaultInjector(app, args.faults, args.fault_seed, args.fault_all, args.fault_hang_seconds)
    server = make_server(args.host, args.port, app, threaded=True)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"READY http://{host}:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
