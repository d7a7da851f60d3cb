"""moto's IAM enforcement mode behind the bridge (``INITIAL_NO_AUTH_ACTION_COUNT`` set).

moto then checks every request's SigV4 signature and action. A request the bridge
rewrites must be signed again to pass the check, and moto's refusals, always in
awsQuery XML, must reach awsJson and RPCv2-CBOR clients in their own protocol.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from xml.etree import ElementTree

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from moto import settings as moto_settings
from moto.iam.access_control import CreateAccessKeyFailure, create_access_key
from moto.iam.models import get_account_id_from
from moto.utilities.utils import get_partition
from wsgi import StartResponse, WsgiApp, WsgiEnviron, call_app

SIGV4 = re.compile(
    r"Credential=(?P<key>[^/,]+)/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request,\s*"
    r"SignedHeaders=(?P<signed>[^,]+),\s*Signature=(?P<signature>[0-9a-f]+)"
)
# moto's awsQuery refusal codes -> the codes AWS's awsJson services answer with.
JSON_ERROR_CODES = {"AccessDenied": "AccessDeniedException", "InvalidClientTokenId": "UnrecognizedClientException"}


def iam_enforced() -> bool:
    """Whether moto checks signatures and policies (``INITIAL_NO_AUTH_ACTION_COUNT`` set).

    Read per request: ``/moto-api/reset-auth`` can change it while the server runs.
    """
    return moto_settings.INITIAL_NO_AUTH_ACTION_COUNT != float("inf")


def environ_header(environ: WsgiEnviron, name: str) -> str | None:
    """Header ``name`` (lower case) of a WSGI request."""
    key = name.upper().replace("-", "_")
    if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        return environ.get(key)
    return environ.get(f"HTTP_{key}")


def json_auth_errors(app: WsgiApp, environ: WsgiEnviron, start_response: StartResponse) -> Iterable[bytes]:
    """Serve an awsJson request, its IAM refusals in awsJson as AWS sends them.

    moto answers a refused signature or action in awsQuery XML whatever the protocol,
    which an awsJson client cannot parse; AWS's JSON services name the refusal
    ``AccessDeniedException``.
    """
    status, headers, body = call_app(app, environ)
    error = xml_error(body) if status >= 400 else None
    if error is not None:
        code = JSON_ERROR_CODES.get(error["__type"], error["__type"])
        body = json.dumps({"__type": code, "message": error["message"]}).encode()
        kept = [(k, v) for k, v in headers if k.lower() not in ("content-type", "content-length")]
        content_type = environ.get("CONTENT_TYPE") or "application/x-amz-json-1.1"
        headers = [*kept, ("Content-Type", content_type), ("Content-Length", str(len(body)))]
    start_response(f"{status} {'OK' if status < 300 else 'Error'}", headers)
    return [body]


def moto_credentials(environ: WsgiEnviron, access_key_id: str, region: str) -> Credentials | None:
    """The credentials moto holds for ``access_key_id`` (IAM user or assumed role), if any."""
    account = environ.get("HTTP_X_MOTO_ACCOUNT_ID") or get_account_id_from(access_key_id)
    token = environ_header(environ, "x-amz-security-token")
    headers = {} if token is None else {"X-Amz-Security-Token": token}
    try:
        key = create_access_key(account, get_partition(region), access_key_id, headers)
    except CreateAccessKeyFailure:
        return None
    return key.create_credentials()


def sign_again(original: WsgiEnviron, original_body: bytes, rewritten: WsgiEnviron, body: bytes) -> None:
    """Sign ``rewritten`` with the credentials that signed ``original``.

    Only a request whose own signature holds is signed again; any other keeps its
    signature, which then fails moto's check with the error AWS would give
    (``InvalidClientTokenId`` for an unknown key, ``SignatureDoesNotMatch`` otherwise).
    """
    found = SIGV4.search(original.get("HTTP_AUTHORIZATION", ""))
    if found is None:
        return
    credentials = moto_credentials(original, found["key"], found["region"])
    if credentials is None:
        return
    signer = SigV4Auth(credentials, found["service"], found["region"])
    path = original.get("PATH_INFO", "/")
    if original.get("QUERY_STRING"):
        path += "?" + original["QUERY_STRING"]
    signed = {name: environ_header(original, name) or "" for name in found["signed"].split(";")}
    request = AWSRequest(method=original["REQUEST_METHOD"], url=path, data=original_body, headers=signed)
    request.context["timestamp"] = signed.get("x-amz-date", "")
    canonical = signer.canonical_request(request)
    if signer.signature(signer.string_to_sign(request, canonical), request) != found["signature"]:
        return
    names = ("host", "content-type", "x-amz-target", "x-amz-security-token")
    headers = {name: value for name in names if (value := environ_header(rewritten, name)) is not None}
    request = AWSRequest(method="POST", url=f"http://{headers.get('host', 'localhost')}/", data=body, headers=headers)
    signer.add_auth(request)
    rewritten["HTTP_AUTHORIZATION"] = request.headers["Authorization"]
    rewritten["HTTP_X_AMZ_DATE"] = request.headers["X-Amz-Date"]


def xml_error(body: bytes) -> dict[str, str] | None:
    """The code and message of an awsQuery XML error (moto's IAM checks answer in it)."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None
    error = next((e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "Error"), None)
    if error is None:
        return None
    fields = {child.tag.rsplit("}", 1)[-1]: child.text or "" for child in error}
    if not fields.get("Code"):
        return None
    return {"__type": fields["Code"], "message": fields.get("Message", "")}
