"""kmswatch: is disabling or scheduling deletion of a KMS key in this AWS
account monitored? (CIS AWS Foundations 4.7, Security Hub CloudWatch.7)

A thin Python face over the Rust core: every decision is made there. See
``__init__.pyi`` for the typed API.
"""

from __future__ import annotations

import json as _json
import os as _os
from typing import Any, Dict, Mapping, Optional, Union

from kmswatch import _kmswatch
from kmswatch._documents import Plan, RemediationResult, Report
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
) -> Report:
    """Checks the account: through ``backend`` when given, else the AWS SDK."""
    return Report(
        _kmswatch.check_account(region, profile, endpoint_url, backend, timeout)
    )


def check_snapshot(source: Snapshot) -> Report:
    """Checks a snapshot: a file path, or the snapshot document as a dict."""
    return Report(_kmswatch.check_snapshot(**_snapshot_source(source)))


def snapshot(
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    *,
    backend: Optional[Any] = None,
    timeout: Optional[float] = None,
    show_endpoints: bool = False,
) -> Dict[str, Any]:
    """Gathers the facts ``check`` uses, as a snapshot document (``kmswatch.facts/v1``)."""
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
    """The smallest set of writes that makes the account (or a snapshot of it) pass."""
    options = _options(locals())
    if snapshot is not None:
        return Plan(_kmswatch.plan_snapshot(options, **_snapshot_source(snapshot)))
    return Plan(_kmswatch.plan_account(options, region, profile, endpoint_url, backend, timeout))


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
    """Plans and previews; with ``apply=True`` also writes, then checks again."""
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
