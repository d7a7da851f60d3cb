"""``DescribeAlarms`` pages and ``DescribeAlarmsForMetric`` dimensions, as
CloudWatch serves them.

moto 5.2 answers ``DescribeAlarms`` with every alarm at once; CloudWatch pages
it: at most ``MaxRecords`` alarms (1 to 100) per answer, metric and composite
alarms counted together, with a ``NextToken`` while more remain. Without
``MaxRecords`` this serves 50 a page. Pages are in alarm-name order and the
token is the last name served, so that a listing costs what it costs against
AWS: one request per page.

moto also ignores the ``Dimensions`` of ``DescribeAlarmsForMetric`` and answers
every alarm on the namespace and metric name; CloudWatch answers the alarms on
the metric with exactly those dimensions.

This middleware sits in front of moto's awsJson1_0 CloudWatch and of the other
CloudWatch middlewares (composite alarms, query accounts), so boto3's requests
and those the RPCv2-CBOR bridge rewrites are paged alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from wsgi import StartResponse, WsgiApp, WsgiEnviron, buffer_body, call_app, respond

TARGET_PREFIX = "GraniteServiceVersion20100801."
DEFAULT_PAGE = 50
KINDS = ("MetricAlarms", "CompositeAlarms")


def page_of(params: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """One page of a ``DescribeAlarms`` answer: alarms sorted by name after the ``NextToken`` name."""
    page_size = int(params.get("MaxRecords") or DEFAULT_PAGE)
    after = params.get("NextToken") or ""
    tagged = [(alarm["AlarmName"], kind, alarm) for kind in KINDS for alarm in result.get(kind) or []]
    remaining = sorted((entry for entry in tagged if entry[0] > after), key=lambda entry: entry[0])
    page = remaining[:page_size]
    paged: dict[str, Any] = {key: value for key, value in result.items() if key not in KINDS and key != "NextToken"}
    paged.update({kind: [alarm for _, k, alarm in page if k == kind] for kind in KINDS})
    if len(remaining) > page_size:
        paged["NextToken"] = page[-1][0]
    return paged


def _dimensions(value: Any) -> dict[str, str]:
    return {d["Name"]: d["Value"] for d in value or []}


def on_metric(params: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """A ``DescribeAlarmsForMetric`` answer kept to the alarms on exactly the requested dimensions."""
    wanted = _dimensions(params.get("Dimensions"))
    kept = [a for a in result.get("MetricAlarms") or [] if _dimensions(a.get("Dimensions")) == wanted]
    return {**result, "MetricAlarms": kept}


HOOKS = {"DescribeAlarms": page_of, "DescribeAlarmsForMetric": on_metric}


class AlarmPages:
    """WSGI middleware in front of moto's CloudWatch: pages and exact dimensions."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: WsgiEnviron, start_response: StartResponse) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        hook = HOOKS.get(target.removeprefix(TARGET_PREFIX)) if target.startswith(TARGET_PREFIX) else None
        if hook is None:
            return self.app(environ, start_response)
        params = json.loads(buffer_body(environ) or b"{}")
        status, headers, answer = call_app(self.app, environ)
        if status < 300:
            answer = json.dumps(hook(params, json.loads(answer or b"{}"))).encode()
        return respond(start_response, status, headers, answer)
