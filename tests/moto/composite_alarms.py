"""CloudWatch composite alarms, which moto 5.2 does not serve.

``PutCompositeAlarm`` is answered here: the alarm is kept per moto account,
region and name (with the ARN and the ``INSUFFICIENT_DATA`` state CloudWatch
gives a new alarm). ``DescribeAlarms`` goes to moto for the metric alarms and
gets the composite ones added when its ``AlarmTypes`` asks for them (as in
CloudWatch, without ``AlarmTypes`` only metric alarms are returned), filtered by
``AlarmNames`` / ``AlarmNamePrefix``. ``DeleteAlarms`` forgets them. The
middleware sits in front of moto's awsJson1_0 CloudWatch, so boto3's requests
and those the RPCv2-CBOR bridge rewrites both reach it.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from typing import Any

from wsgi import StartResponse, WsgiApp, WsgiEnviron, buffer_body, call_app, respond

TARGET_PREFIX = "GraniteServiceVersion20100801."
DEFAULT_ACCOUNT = "123456789012"
CREDENTIAL_REGION = re.compile(r"Credential=[^/]+/\d{8}/(?P<region>[a-z0-9-]+)/")
KEPT = (
    "AlarmName",
    "AlarmRule",
    "AlarmDescription",
    "AlarmActions",
    "OKActions",
    "InsufficientDataActions",
    "ActionsSuppressor",
    "ActionsSuppressorWaitPeriod",
    "ActionsSuppressorExtensionPeriod",
)


def _where(environ: WsgiEnviron) -> tuple[str, str]:
    found = CREDENTIAL_REGION.search(environ.get("HTTP_AUTHORIZATION", ""))
    return environ.get("HTTP_X_MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT), found["region"] if found else "us-east-1"


def _json_response(start_response: StartResponse, document: dict[str, Any]) -> list[bytes]:
    body = json.dumps(document).encode()
    return respond(start_response, 200, [("Content-Type", "application/x-amz-json-1.0")], body)


class CompositeAlarms:
    """WSGI middleware in front of moto: composite alarms."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._alarms: dict[tuple[str, str, str], dict[str, Any]] = {}

    def __call__(self, environ: WsgiEnviron, start_response: StartResponse) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        operation = target.removeprefix(TARGET_PREFIX)
        if not target.startswith(TARGET_PREFIX) or operation not in ("PutCompositeAlarm", "DescribeAlarms", "DeleteAlarms"):
            return self.app(environ, start_response)
        params = json.loads(buffer_body(environ) or b"{}")
        account, region = _where(environ)
        if operation == "PutCompositeAlarm":
            return _json_response(start_response, self._put(account, region, params))
        status, headers, answer = call_app(self.app, environ)
        if status < 300:
            result = json.loads(answer or b"{}")
            if operation == "DeleteAlarms":
                with self._lock:
                    for name in params.get("AlarmNames") or []:
                        self._alarms.pop((account, region, name), None)
            else:
                self._describe(account, region, params, result)
            answer = json.dumps(result).encode()
        return respond(start_response, status, headers, answer)

    def _put(self, account: str, region: str, params: dict[str, Any]) -> dict[str, Any]:
        name = params["AlarmName"]
        alarm = {key: params[key] for key in KEPT if key in params}
        alarm["AlarmArn"] = f"arn:aws:cloudwatch:{region}:{account}:alarm:{name}"
        alarm["ActionsEnabled"] = params.get("ActionsEnabled", True)
        alarm["StateValue"] = "INSUFFICIENT_DATA"
        with self._lock:
            self._alarms[(account, region, name)] = alarm
        return {}

    def _describe(self, account: str, region: str, params: dict[str, Any], result: dict[str, Any]) -> None:
        types = params.get("AlarmTypes") or ["MetricAlarm"]
        if "MetricAlarm" not in types:
            result["MetricAlarms"] = []
        if "CompositeAlarm" not in types:
            result["CompositeAlarms"] = []
            return
        names = params.get("AlarmNames") or []
        prefix = params.get("AlarmNamePrefix") or ""
        with self._lock:
            result["CompositeAlarms"] = [
                dict(alarm)
                for (a, r, name), alarm in sorted(self._alarms.items())
                if a == account and r == region and name.startswith(prefix) and (not names or name in names)
            ]
