"""What member accounts see of an organization trail, which moto does not show.

A trail created in an organization's management account with
``IsOrganizationTrail`` logs every member account, and AWS shows it to them:
a member's ``DescribeTrails`` lists it (its ``TrailARN``, log group and bucket
in the management account, ``IsOrganizationTrail: true``, its ``HomeRegion``),
and ``GetTrailStatus`` / ``GetEventSelectors`` on its ARN answer for it. moto
keeps each account's trails to itself.

This middleware sits in front of moto's CloudTrail (awsJson1.1, target
``com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.*``, or
``CloudTrail_20131101.*`` as the AWS SDK for Rust sends it). For a request in a member account (an account
``CreateAccount`` made in a moto organization) it adds the organization trails
of the management account to the ``DescribeTrails`` answer, and answers
``GetTrailStatus`` and ``GetEventSelectors`` on such a trail's ARN by asking
the management account. Every other request passes through untouched; the
management account's own view is moto's.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from wsgi import StartResponse, WsgiApp, WsgiEnviron, buffer_body, call_app, respond

TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."
# The AWS SDK for Rust names the same operations by the short target.
SHORT_TARGET_PREFIX = "CloudTrail_20131101."
DEFAULT_ACCOUNT = "123456789012"
ASKED_OF_THE_TRAIL = {"GetTrailStatus": "Name", "GetEventSelectors": "TrailName"}


def management_account(account_id: str) -> str | None:
    """The management account of the organization ``account_id`` is a member of."""
    from moto.organizations.models import organizations_backends

    found = organizations_backends.master_accounts.get(account_id)
    if found is None or found[0] == account_id:
        return None
    return found[0]


def requesting_account(environ: WsgiEnviron) -> str:
    """The account moto serves the request in: the header the bridge sets for
    a 12-digit access key, else the account of the access key (an assumed
    role's credentials are keys of the role's account), as moto decides."""
    given = environ.get("HTTP_X_MOTO_ACCOUNT_ID")
    if given:
        return str(given)
    from moto.iam.models import get_account_id_from

    authorization = environ.get("HTTP_AUTHORIZATION", "")
    access_key = authorization.split("Credential=", 1)[-1].split("/", 1)[0]
    return get_account_id_from(access_key) if access_key else DEFAULT_ACCOUNT


def in_account(environ: WsgiEnviron, account_id: str, operation: str, params: dict[str, Any]) -> WsgiEnviron:
    """The same request, asked in ``account_id`` with ``params`` as its body."""
    body = json.dumps(params).encode()
    asked = dict(environ)
    asked["HTTP_X_MOTO_ACCOUNT_ID"] = account_id
    asked["HTTP_X_AMZ_TARGET"] = TARGET_PREFIX + operation
    asked["CONTENT_LENGTH"] = str(len(body))
    asked["wsgi.input"] = io.BytesIO(body)
    return asked


class OrganizationTrails:
    """WSGI middleware in front of moto: members see their organization's trails."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: WsgiEnviron, start_response: StartResponse) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        operation = target.removeprefix(TARGET_PREFIX).removeprefix(SHORT_TARGET_PREFIX)
        handled = operation == "DescribeTrails" or operation in ASKED_OF_THE_TRAIL
        if operation == target or not handled:
            return self.app(environ, start_response)
        management = management_account(requesting_account(environ))
        if management is None:
            return self.app(environ, start_response)
        try:
            params = json.loads(buffer_body(environ) or b"{}")
        except ValueError:
            return self.app(environ, start_response)
        if not isinstance(params, dict):
            return self.app(environ, start_response)
        if operation == "DescribeTrails":
            return self._describe(environ, start_response, management, params)
        trail = params.get(ASKED_OF_THE_TRAIL[operation]) or ""
        if trail in self._organization_trails(environ, management):
            # The management account holds the trail: it answers.
            status, headers, answer = call_app(self.app, in_account(environ, management, operation, params))
            return respond(start_response, status, headers, answer)
        return self.app(environ, start_response)

    def _organization_trails(self, environ: WsgiEnviron, management: str) -> dict[str, dict[str, Any]]:
        """The organization trails of ``management`` that apply in the request's
        region (multi-region ones, or those of that region), by ARN."""
        asked = in_account(environ, management, "DescribeTrails", {"includeShadowTrails": True})
        status, _, answer = call_app(self.app, asked)
        if status >= 300:
            return {}
        trails = json.loads(answer or b"{}").get("trailList") or []
        return {t["TrailARN"]: t for t in trails if t.get("IsOrganizationTrail") and t.get("TrailARN")}

    def _describe(
        self, environ: WsgiEnviron, start_response: StartResponse, management: str, params: dict[str, Any]
    ) -> Iterable[bytes]:
        status, headers, answer = call_app(self.app, environ)
        if status >= 300:
            return respond(start_response, status, headers, answer)
        result = json.loads(answer or b"{}")
        listed = result.setdefault("trailList", [])
        names = params.get("trailNameList") or []
        shadows = params.get("includeShadowTrails", True)
        region = self._region(environ)
        for arn, trail in self._organization_trails(environ, management).items():
            if names and arn not in names:
                continue
            if not shadows and trail.get("HomeRegion") != region:
                continue
            if all(t.get("TrailARN") != arn for t in listed):
                listed.append(trail)
        return respond(start_response, status, headers, json.dumps(result).encode())

    @staticmethod
    def _region(environ: WsgiEnviron) -> str:
        """The region the request was signed for."""
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        scope = authorization.split("Credential=", 1)[-1].split(",", 1)[0].split("/")
        return scope[2] if len(scope) > 2 else ""
