"""The fault injection of tests/moto/server.py: every mode happens, in the error shape
of each protocol, only to the requests that opt in; without ``--faults`` none does."""

from __future__ import annotations

import contextlib
import http.client
import json
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import cbor2
import pytest

from conftest import REPO, boto3_module
from harness import REGION, moto_server, untyped
from scenarios import unique_account_id

errors: Any = untyped("botocore.exceptions")
SigV4Auth = untyped("botocore.auth").SigV4Auth
AWSRequest = untyped("botocore.awsrequest").AWSRequest
Config = untyped("botocore.config").Config
Credentials = untyped("botocore.credentials").Credentials
sys.path.insert(0, str(REPO / "tests" / "moto"))
FaultMix = untyped("faults").FaultMix

ACCOUNT = "111122223333"
OPTED_IN = f"{ACCOUNT}-faults"
MODES = ["throttle", "5xx", "reset", "truncate", "malformed", "hang"]
HANG_SECONDS = 10
# A hung request is given up on well before the server would close it; any other
# request may take long on a busy machine.
HANG_TIMEOUT = 2.0
CLIENT_TIMEOUT = 30.0

# One request per protocol kmswatch speaks: (signing name, path, headers, body).
REQUESTS: dict[str, tuple[str, str, dict[str, str], bytes]] = {
    "json": (
        "logs",
        "/",
        {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Logs_20140328.DescribeLogGroups"},
        b"{}",
    ),
    "query": (
        "sns",
        "/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        b"Action=ListTopics&Version=2010-03-31",
    ),
    "cbor": (
        "monitoring",
        "/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
        {"Content-Type": "application/cbor", "Accept": "application/cbor", "smithy-protocol": "rpc-v2-cbor"},
        cbor2.dumps({}),
    ),
}


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, str]]:
    """A server per mode injecting it into every opted-in request, and one injecting
    throttling into every request; started together."""
    hang = ["--fault-hang-seconds", str(HANG_SECONDS)]
    configs = {mode: ["--faults", f"{mode}=1", *hang] for mode in MODES}
    configs["all"] = ["--faults", "throttle=1", "--fault-all"]
    with contextlib.ExitStack() as stack, ThreadPoolExecutor(len(configs)) as pool:
        endpoints = pool.map(lambda args: stack.enter_context(moto_server(args)), configs.values())
        yield dict(zip(configs, endpoints))


def send(
    endpoint: str, protocol: str, access_key_id: str, timeout: float = CLIENT_TIMEOUT
) -> tuple[int, dict[str, str], bytes]:
    """One signed request of ``protocol``: status, headers (lower-case names), body.

    Transport failures raise: ``http.client.RemoteDisconnected`` (closed without an
    answer), ``http.client.IncompleteRead`` (body cut short), ``TimeoutError``.
    """
    service, path, headers, body = REQUESTS[protocol]
    request = AWSRequest(method="POST", url=endpoint + path, data=body, headers=headers)
    SigV4Auth(Credentials(access_key_id, "testing"), service, REGION).add_auth(request)
    url = urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=dict(request.headers.items()))
        response = connection.getresponse()
        answer = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, answer
    finally:
        connection.close()


def error_code(protocol: str, headers: dict[str, str], body: bytes) -> str:
    """The error code as the protocol's clients read it."""
    if protocol == "cbor":
        assert headers["smithy-protocol"] == "rpc-v2-cbor"
        assert "__type" in cbor2.loads(body)
        return headers["x-amzn-query-error"].split(";")[0]
    if protocol == "json":
        return str(json.loads(body)["__type"])
    text = body.decode()
    assert text.startswith("<ErrorResponse>"), text
    return text.split("<Code>")[1].split("</Code>")[0]


EXPECTED_ERRORS = {
    ("throttle", "json"): (400, "ThrottlingException"),
    ("throttle", "query"): (400, "Throttling"),
    ("throttle", "cbor"): (400, "Throttling"),
    ("5xx", "json"): (503, "ServiceUnavailableException"),
    ("5xx", "query"): (503, "ServiceUnavailable"),
    ("5xx", "cbor"): (503, "ServiceUnavailable"),
}


@pytest.mark.parametrize("protocol", list(REQUESTS))
@pytest.mark.parametrize("mode", MODES)
def test_each_mode_fails_each_protocols_request(servers: dict[str, str], mode: str, protocol: str) -> None:
    endpoint = servers[mode]
    assert send(endpoint, protocol, ACCOUNT)[0] == 200, "a request that does not opt in is served"
    if (mode, protocol) in EXPECTED_ERRORS:
        status, headers, body = send(endpoint, protocol, OPTED_IN)
        assert (status, error_code(protocol, headers, body)) == EXPECTED_ERRORS[(mode, protocol)]
        return
    if mode == "malformed":
        status, headers, body = send(endpoint, protocol, OPTED_IN)
        assert status == 200 and int(headers["content-length"]) == len(body) > 0
        assert not parses(protocol, body), body
        return
    failure = {"reset": ConnectionResetError, "truncate": http.client.IncompleteRead, "hang": TimeoutError}
    with pytest.raises(failure[mode]) as caught:
        send(endpoint, protocol, OPTED_IN, HANG_TIMEOUT if mode == "hang" else CLIENT_TIMEOUT)
    if mode == "truncate":
        cut: Any = caught.value
        assert 0 < len(cut.partial) and cut.expected > 0, "half the body came, the rest never did"


def parses(protocol: str, body: bytes) -> bool:
    """Whether ``body`` is a whole document of the protocol's format."""
    try:
        if protocol == "cbor":
            cbor2.loads(body)
        elif protocol == "json":
            json.loads(body)
        else:
            ElementTree.fromstring(body)
    except Exception:  # each parser has its own error types
        return False
    return True


def boto3_client(endpoint: str, service: str, access_key_id: str, timeout: float = CLIENT_TIMEOUT) -> Any:
    """A boto3 client with retries off."""
    config = Config(retries={"total_max_attempts": 1}, read_timeout=timeout, connect_timeout=CLIENT_TIMEOUT)
    return boto3_module().client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=access_key_id,
        aws_secret_access_key="testing",
        config=config,
    )


BOTO3_FAILURES: dict[str, Any] = {
    "throttle": errors.ClientError,
    "5xx": errors.ClientError,
    "reset": errors.ConnectionClosedError,
    "truncate": errors.ConnectionClosedError,
    "hang": errors.ReadTimeoutError,
}


@pytest.mark.parametrize("mode", MODES)
def test_boto3_meets_each_mode(servers: dict[str, str], mode: str) -> None:
    logs = boto3_client(servers[mode], "logs", OPTED_IN, HANG_TIMEOUT if mode == "hang" else CLIENT_TIMEOUT)
    if mode == "malformed":
        # botocore reads a JSON body it cannot parse as one without the members.
        assert "logGroups" not in logs.describe_log_groups()
        return
    with pytest.raises(BOTO3_FAILURES[mode]) as caught:
        logs.describe_log_groups()
    if isinstance(caught.value, errors.ClientError):
        expected = EXPECTED_ERRORS[(mode, "json")]
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == expected[0]
        assert caught.value.response["Error"]["Code"] == expected[1]


def test_fault_all_reaches_requests_that_do_not_opt_in(servers: dict[str, str]) -> None:
    for protocol in REQUESTS:
        status, headers, body = send(servers["all"], protocol, ACCOUNT)
        assert (status, error_code(protocol, headers, body)) == EXPECTED_ERRORS[("throttle", protocol)]


def test_without_faults_no_request_gets_one(moto_endpoint: str) -> None:
    account = unique_account_id()
    for protocol in REQUESTS:
        for _ in range(20):
            assert send(moto_endpoint, protocol, f"{account}-faults")[0] == 200
    # ...and an opted-in key is served in its account, like the plain key.
    arn = boto3_client(moto_endpoint, "sns", f"{account}-faults").create_topic(Name="opted-in")["TopicArn"]
    assert f":{account}:" in arn
    topics = boto3_client(moto_endpoint, "sns", account).list_topics()["Topics"]
    assert topics == [{"TopicArn": arn}]


@pytest.mark.parametrize("spec", ["throttle", "flood=0.1", "throttle=2", "throttle=0.6,reset=0.6", "5xx=x"])
def test_bad_fault_specs_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        FaultMix.parse(spec)


def test_the_server_refuses_a_bad_spec() -> None:
    with pytest.raises(RuntimeError, match="did not start"), moto_server(["--faults", "throttle=2"]):
        pass


def test_a_mix_picks_each_mode_by_its_share() -> None:
    mix = FaultMix.parse("throttle=0.25, 5xx=0.25,hang=0")
    assert [mix.pick(d) for d in (0.0, 0.24, 0.25, 0.49, 0.5, 0.99)] == [
        "throttle",
        "throttle",
        "5xx",
        "5xx",
        None,
        None,
    ]
