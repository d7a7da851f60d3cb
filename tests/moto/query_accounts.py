"""The ``AccountId`` of metric-math queries, which moto's CloudWatch drops.

CloudWatch keeps ``Metrics[].AccountId`` of ``PutMetricAlarm`` (cross-account
observability) and returns it in ``DescribeAlarms``; moto 5.2 forgets it. This
middleware sits in front of moto's awsJson1_0 CloudWatch (the requests of boto3,
and those the RPCv2-CBOR bridge rewrites): it remembers the ids and accounts per
moto account, region and alarm name when a ``PutMetricAlarm`` succeeds, forgets
them on ``DeleteAlarms``, and puts them back into the matching queries of each
``DescribeAlarms`` answer. Every other request passes through untouched.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from typing import Any

from wsgi import StartResponse, WsgiApp, WsgiEnviron, buffer_body, call_app, respond

TARGET_PREFIX = "GraniteServiceVersion20100801."
OPERATIONS = ("PutMetricAlarm", "DeleteAlarms", "DescribeAlarms")
DEFAULT_ACCOUNT = "123456789012"
CREDENTIAL_REGION = re.compile(r"Credential=[^/]+/\d{8}/(?P<region>[a-z0-9-]+)/")

Scope = tuple[str, str, str]  # moto account, region, alarm name


def _scope(environ: WsgiEnviron, alarm_name: str) -> Scope:
    found = CREDENTIAL_REGION.search(environ.get("HTTP_AUTHORIZATION", ""))
    region = found["region"] if found else ""
    return (environ.get("HTTP_X_MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT), region, alarm_name)


class KeepQueryAccounts:
    """WSGI middleware in front of moto: metric-math query accounts survive."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._accounts: dict[Scope, dict[str, str]] = {}

    def __call__(self, environ: WsgiEnviron, start_response: StartResponse) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        operation = target.removeprefix(TARGET_PREFIX)
        if not target.startswith(TARGET_PREFIX) or operation not in OPERATIONS:
            return self.app(environ, start_response)
        body = buffer_body(environ)
        status, headers, answer = call_app(self.app, environ)
        if status < 300:
            try:
                params, result = json.loads(body or b"{}"), json.loads(answer or b"{}")
            except ValueError:
                params, result = None, None
            if isinstance(params, dict) and isinstance(result, dict):
                self._observe(environ, operation, params, result)
                answer = json.dumps(result).encode()
        return respond(start_response, status, headers, answer)

    def _observe(self, environ: WsgiEnviron, operation: str, params: dict[str, Any], result: dict[str, Any]) -> None:
        with self._lock:
            if operation == "PutMetricAlarm":
                accounts = {q["Id"]: q["AccountId"] for q in params.get("Metrics") or [] if q.get("AccountId")}
                scope = _scope(environ, params.get("AlarmName", ""))
                if accounts:
                    self._accounts[scope] = accounts
                else:
                    self._accounts.pop(scope, None)
            elif operation == "DeleteAlarms":
                for name in params.get("AlarmNames") or []:
                    self._accounts.pop(_scope(environ, name), None)
            else:
                for alarm in result.get("MetricAlarms") or []:
                    accounts = self._accounts.get(_scope(environ, alarm.get("AlarmName", "")), {})
                    for query in alarm.get("Metrics") or []:
                        if query.get("Id") in accounts:
                            query["AccountId"] = accounts[query["Id"]]
