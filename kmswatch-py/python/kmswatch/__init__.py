"""kmswatch: is disabling or scheduling deletion of a KMS key in this AWS
account monitored? (CIS AWS Foundations 4.7, Security Hub CloudWatch.7)

A thin Python face over the Rust core: every decision is made there. See
``__init__.pyi`` for the typed API.
"""

from __future__ import annotations

import json as _json
import os as _os
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Union

from kmswatch import _kmswatch
from kmswatch._documents import Plan, RemediationResult, Report, _render
from kmswatch._errors import (
    AwsError,
    InternalError,
    KmswatchError,
    PatternError,
    RemediationError,
    SnapshotError,
)
from kmswatch._kmswatch import CIS_PATTERN, FACTS_SCHEMA, REPORT_SCHEMA, FilterPattern

__version__: str = _kmswatch.__version__

__all__ = [
    "AwsError",
    "CIS_PATTERN",
    "FACTS_SCHEMA",
    "FilterPattern",
    "InternalError",
    "KmswatchError",
    "PatternError",
    "Plan",
    "REPORT_SCHEMA",
    "RemediationError",
    "RemediationResult",
    "Report",
    "SnapshotError",
    "check",
    "check_snapshot",
    "plan",
    "remediate",
    "render",
    "snapshot",
]

Snapshot = Union[str, "_os.PathLike[str]", Mapping[str, Any]]


def _snapshot_source(source: Snapshot) -> Dict[str, Any]:
    """``path=`` for a file, ``text=`` for a document (a mapping)."""
    if isinstance(source, Mapping):
        try:
            return {"text": _json.dumps(source)}
        except (TypeError, ValueError) as e:
            raise SnapshotError(f"the snapshot is not JSON-serialisable: {e}") from None
    if isinstance(source, (str, _os.PathLike)):
        return {"path": _os.fspath(source)}
    raise TypeError(f"a snapshot is a path or a dict, not {type(source).__name__}")


def check(
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    *,
    backend: Optional[Any] = None,
    timeout: Optional[float] = None,
    accept: Sequence[str] = (),
) -> Report:
    """Checks the account's monitoring chain.

    Without ``backend`` the AWS SDK for Rust is used, with the usual credential
    chain, ``AWS_*`` variables and shared config (``profile``); the GIL is
    released for the whole check. With ``backend`` (any object with the methods
    of :class:`kmswatch.backend.ReadOnlyBackend`, such as
    :class:`kmswatch.adapters.Boto3Backend`) every call goes to it; ``region``
    defaults to ``backend.region``.

    ``timeout`` (seconds) bounds the whole check: calls still running then
    fail and the report is ERROR, naming them. Ctrl-C raises
    :class:`KeyboardInterrupt` within a second, also while calls are waiting.

    When the CIS metric-filter chain does not pass, the report's
    ``monitored_by`` says whether EventBridge rules send KMS key events to a
    human instead; ``accept=["eventbridge"]`` lets them make the account PASS
    (every region that holds customer managed keys must have one).

    Raises :class:`AwsError` when the account cannot be identified or the
    configuration is unusable, :class:`KmswatchError` for an unknown
    ``accept`` kind; every other failed call is in the report.
    """
    return Report(
        _kmswatch.check_account(region, profile, endpoint_url, backend, timeout, list(accept))
    )


def check_snapshot(source: Snapshot, *, accept: Sequence[str] = ()) -> Report:
    """Checks a snapshot offline: a file path, or the snapshot document itself.

    The report's ``api_calls`` is ``None`` and ``captured_at`` is the
    snapshot's. Raises :class:`SnapshotError` naming where in the document the
    problem is (``trails[0].status.is_logging``, and for a file its line).
    ``accept`` as for :func:`check`.
    """
    return Report(_kmswatch.check_snapshot(**_snapshot_source(source), accept=list(accept)))


def snapshot(
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    *,
    backend: Optional[Any] = None,
    timeout: Optional[float] = None,
    show_endpoints: bool = False,
) -> Dict[str, Any]:
    """The facts ``check`` uses, as a snapshot document for ``check_snapshot``.

    Subscription endpoints are redacted (``https://host/…``,
    ``a…@example.com``) unless ``show_endpoints=True``: webhook URLs often
    carry tokens. ``timeout`` as for :func:`check`.
    """
    facts: Dict[str, Any] = _json.loads(
        _kmswatch.snapshot_account(region, profile, endpoint_url, backend, timeout, show_endpoints)
    )
    return facts


# The keyword arguments of `plan` and `remediate` that are remediation options.
_OPTION_NAMES = (
    "email",
    "subscribe",
    "topic_arn",
    "filter_name",
    "alarm_name",
    "topic_name",
    "metric_namespace",
    "metric_name",
    "tags",
    "adopt",
    "kms_key",
)


def _options(arguments: Mapping[str, Any]) -> Dict[str, Any]:
    """The options given (unset ones keep the core's defaults)."""
    given = {name: arguments[name] for name in _OPTION_NAMES}
    if given["tags"] is not None:
        given["tags"] = dict(given["tags"])
    return {k: v for k, v in given.items() if v is not None and v is not False}


def plan(
    snapshot: Optional[Snapshot] = None,
    *,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[Any] = None,
    timeout: Optional[float] = None,
    email: Optional[str] = None,
    subscribe: Optional[str] = None,
    topic_arn: Optional[str] = None,
    filter_name: Optional[str] = None,
    alarm_name: Optional[str] = None,
    topic_name: Optional[str] = None,
    metric_namespace: Optional[str] = None,
    metric_name: Optional[str] = None,
    tags: Optional[Mapping[str, str]] = None,
    adopt: bool = False,
    kms_key: Optional[str] = None,
) -> Plan:
    """The smallest set of writes that makes the account (or ``snapshot``) pass.

    ``email`` / ``subscribe`` (``PROTOCOL:ENDPOINT``) name who receives the
    alarm; ``topic_arn`` reuses a topic; ``kms_key`` encrypts the topic kmswatch
    creates (its key policy must let CloudWatch use it). Nothing is written:
    the plan is previewed on an in-memory copy of the account, and
    ``predicted_status`` (with ``predicted_status_once_confirmed`` while a
    subscription awaits confirmation) is the verdict it leads to, as the
    CLI's dry run prints it. Raises :class:`RemediationError` when kmswatch
    will not plan (prerequisites missing, a conflict...), naming the keywords
    to pass.
    """
    options = _options(locals())
    # The plan with its preview (`predicted_status`), as the CLI's dry run.
    if snapshot is not None:
        return Plan(_kmswatch.plan_snapshot(options, **_snapshot_source(snapshot), preview=True))
    return Plan(_kmswatch.remediate_account(options, False, region, profile, endpoint_url, backend, timeout))


def remediate(
    snapshot: Optional[Snapshot] = None,
    *,
    apply: bool = False,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[Any] = None,
    timeout: Optional[float] = None,
    email: Optional[str] = None,
    subscribe: Optional[str] = None,
    topic_arn: Optional[str] = None,
    filter_name: Optional[str] = None,
    alarm_name: Optional[str] = None,
    topic_name: Optional[str] = None,
    metric_namespace: Optional[str] = None,
    metric_name: Optional[str] = None,
    tags: Optional[Mapping[str, str]] = None,
    adopt: bool = False,
    kms_key: Optional[str] = None,
) -> RemediationResult:
    """Plans and previews; with ``apply=True`` writes (live accounts only) and checks again.

    The keywords are those of :func:`plan`. The result carries the plan, its
    preview (``predicted_status``, ``diff``) and, when applied, the verdict of
    the check run afterwards (``status_after``). Raises
    :class:`RemediationError` when kmswatch will not remediate, and
    :class:`AwsError` when a write fails (the actions before it stay applied;
    running again continues from there).
    """
    options = _options(locals())
    if snapshot is not None:
        if apply:
            raise KmswatchError("a snapshot cannot be changed: apply=True needs a live account")
        return RemediationResult(
            _kmswatch.plan_snapshot(options, **_snapshot_source(snapshot), preview=True)
        )
    return RemediationResult(
        _kmswatch.remediate_account(options, apply, region, profile, endpoint_url, backend, timeout)
    )


def render(reports: Iterable[Report], format: str) -> str:
    """The document of ``reports`` in ``format`` — ``"ocsf"``, ``"asff"``,
    ``"sarif"``, ``"junit"`` or ``"ndjson"`` — as text, exactly as
    ``kmswatch check --format FORMAT`` prints it, for one report or many
    (one per account of a scan: one OCSF array, one SARIF run, one JUnit
    suite). Its time is the first report's ``generated_at``.

    Raises :class:`KmswatchError` for another format name.
    """
    return _render(list(reports), format)
