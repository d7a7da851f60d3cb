"""kmswatch: is disabling or scheduling deletion of a KMS key in this AWS
account monitored? (CIS AWS Foundations 4.7, Security Hub CloudWatch.7)

A thin Python face over the Rust core: every decision is made there. The
extension module ``kmswatch._kmswatch`` is typed by its stub, ``_kmswatch.pyi``.
"""

from __future__ import annotations

import json as _json
import os as _os
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

from kmswatch import _kmswatch
# Imported, not only for type checking: `typing.get_type_hints` resolves the
# annotations of the functions below at run time.
from kmswatch import backend as _backend
from kmswatch._documents import Plan, RemediationResult, Report, _render
from kmswatch._errors import (
    AwsError,
    InternalError,
    KmswatchError,
    PatternError,
    PatternSqlError,
    RemediationError,
    SnapshotError,
)
from kmswatch._arguments import _control_list, _id_list, _region_list
from kmswatch._keys import handle_event, history, keys, respond
from kmswatch._pattern_test import PatternMatches
from kmswatch._patterns import pattern_sql, pattern_test
from kmswatch._kmswatch import CIS_PATTERN, FACTS_SCHEMA, REPORT_SCHEMA, FilterPattern
from kmswatch._schemas import json_schema, json_schemas

if TYPE_CHECKING:
    from kmswatch._kmswatch import _ScanFlags

__version__: str = _kmswatch.__version__

__all__ = [
    "AwsError",
    "CIS_PATTERN",
    "FACTS_SCHEMA",
    "FilterPattern",
    "InternalError",
    "KmswatchError",
    "PatternError",
    "PatternMatches",
    "PatternSqlError",
    "Plan",
    "REPORT_SCHEMA",
    "RemediationError",
    "RemediationResult",
    "Report",
    "SnapshotError",
    "check",
    "check_snapshot",
    "controls",
    "handle_event",
    "history",
    "json_schema",
    "json_schemas",
    "keys",
    "pattern_sql",
    "pattern_test",
    "plan",
    "remediate",
    "render",
    "respond",
    "scan",
    "snapshot",
]

Snapshot = Union[str, "_os.PathLike[str]", Mapping[str, Any]]
"""A snapshot: a file path, or the snapshot document (``kmswatch.facts/v1``)."""


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
    backend: Optional[_backend.ReadOnlyBackend] = None,
    timeout: Optional[float] = None,
    accept: Sequence[str] = (),
    keys: bool = False,
    regions: Optional[Sequence[str]] = None,
    log_account_role: Optional[str] = None,
    control: Union[str, Sequence[str]] = (),
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

    ``keys=True`` adds the report's ``keys`` section, the customer managed
    keys as :func:`keys` lists them (of ``regions``, default every region of
    the partition); the verdict does not change.

    ``log_account_role`` (an IAM role ARN, ``{account}`` replaced) follows a
    chain into the account that holds its links, reads only: an organization
    trail's log group, filters, alarm and topic in the management or a
    log-archive account. Without it such a chain is MANUAL.

    Raises :class:`AwsError` when the account cannot be identified or the
    configuration is unusable, :class:`KmswatchError` for an unknown
    ``accept`` kind or ``control``; every other failed call is in the report.

    ``control`` names CIS CloudWatch monitoring controls to judge besides
    (or instead of) the KMS one: ``"4.3"``, ``"CloudWatch.1"``, a list, or
    ``"cis"`` for all fifteen; the report's ``controls`` has a verdict per
    control and its status is the worst of them. Only ``"4.7"`` (the
    default): the KMS report alone.
    """
    return Report(
        _kmswatch.check_account(
            region,
            profile,
            endpoint_url,
            backend,
            timeout,
            list(accept),
            keys,
            _region_list(regions),
            log_account_role,
            _control_list(control),
        )
    )


def controls() -> List[Dict[str, Any]]:
    """The CIS CloudWatch monitoring controls ``control=`` names, in CIS
    order: each with ``control`` (``"4.3"``), ``security_hub``
    (``"CloudWatch.1"``, ``None`` for 4.15), ``cis_versions``, ``name``,
    ``title``, ``cis_pattern`` (the CIS text), ``variants`` (published forms
    that also pass) and ``target_event_names``."""

    result: List[Dict[str, Any]] = _json.loads(_kmswatch.controls_json())
    return result


def check_snapshot(
    source: Snapshot, *, accept: Sequence[str] = (), control: Union[str, Sequence[str]] = ()
) -> Report:
    """Checks a snapshot offline: a file path, or the snapshot document itself.

    The report's ``api_calls`` is ``None`` and ``captured_at`` is the
    snapshot's. Raises :class:`SnapshotError` naming where in the document the
    problem is (``trails[0].status.is_logging``, and for a file its line).
    ``accept`` and ``control`` as for :func:`check`.
    """
    return Report(
        _kmswatch.check_snapshot(
            **_snapshot_source(source), accept=list(accept), controls=_control_list(control)
        )
    )


def snapshot(
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    *,
    backend: Optional[_backend.ReadOnlyBackend] = None,
    timeout: Optional[float] = None,
    show_endpoints: bool = False,
    log_account_role: Optional[str] = None,
    control: Union[str, Sequence[str]] = (),
) -> Dict[str, Any]:
    """The facts ``check`` uses, as a snapshot document for ``check_snapshot``.

    Subscription endpoints are redacted (``https://host/…``,
    ``a…@example.com``) unless ``show_endpoints=True``: webhook URLs often
    carry tokens. ``timeout`` and ``log_account_role`` (the facts read in
    other accounts, in the snapshot's ``linked``) as for :func:`check`;
    ``control`` reads what the controls it names need (as for :func:`check`).
    """
    facts: Dict[str, Any] = _json.loads(
        _kmswatch.snapshot_account(
            region,
            profile,
            endpoint_url,
            backend,
            timeout,
            show_endpoints,
            log_account_role,
            _control_list(control),
        )
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
    "via",
    "rule_name",
    "control",
)


def _options(arguments: Mapping[str, Any]) -> Dict[str, Any]:
    """The options given (unset ones keep the core's defaults)."""
    given = {name: arguments[name] for name in _OPTION_NAMES}
    if given["tags"] is not None:
        given["tags"] = dict(given["tags"])
    given["control"] = _control_list(given["control"]) or None
    return {k: v for k, v in given.items() if v is not None and v is not False}


def plan(
    snapshot: Optional[Snapshot] = None,
    *,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[_backend.ReadOnlyBackend] = None,
    timeout: Optional[float] = None,
    log_account_role: Optional[str] = None,
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
    via: Optional[str] = None,
    rule_name: Optional[str] = None,
    control: Union[str, Sequence[str]] = (),
) -> Plan:
    """The smallest set of writes that makes the account (or ``snapshot``) pass.

    ``email`` / ``subscribe`` (``PROTOCOL:ENDPOINT``) name who receives the
    alarm; ``topic_arn`` reuses a topic; ``kms_key`` encrypts the topic kmswatch
    creates (its key policy must let CloudWatch use it). ``via="eventbridge"``
    plans an EventBridge rule and topic in every region that holds customer
    managed keys instead of the metric-filter chain (``rule_name`` names the
    rule); that passes ``check(accept=["eventbridge"])``. Nothing is written:
    the plan is previewed on an in-memory copy of the account, and
    ``predicted_status`` (with ``predicted_status_once_confirmed`` while a
    subscription awaits confirmation) is the verdict it leads to, as the
    CLI's dry run prints it. Raises :class:`RemediationError` when kmswatch
    will not plan (prerequisites missing, a conflict...), naming the keywords
    to pass.

    ``log_account_role`` (as for :func:`check`): when the account's chain runs
    through a log group of another account (an organization trail's), the
    plan is made in that account, with that role, and judged on this
    account's own events; nothing is created in this account.

    ``control`` names CIS CloudWatch monitoring controls to make pass (as
    for :func:`check`; ``"cis"`` for all fifteen): each one besides 4.7
    that does not pass gets a metric filter and an alarm named
    ``kmswatch-NAME``, all notifying one topic, and the preview judges every
    control named.
    """
    options = _options(locals())
    # The plan with its preview (`predicted_status`), as the CLI's dry run.
    if snapshot is not None:
        return Plan(_kmswatch.plan_snapshot(options, **_snapshot_source(snapshot), preview=True))
    return Plan(
        _kmswatch.remediate_account(
            options, False, region, profile, endpoint_url, backend, timeout, log_account_role
        )
    )


def remediate(
    snapshot: Optional[Snapshot] = None,
    *,
    apply: bool = False,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[_backend.Backend] = None,
    timeout: Optional[float] = None,
    log_account_role: Optional[str] = None,
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
    via: Optional[str] = None,
    rule_name: Optional[str] = None,
    control: Union[str, Sequence[str]] = (),
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
        _kmswatch.remediate_account(
            options, apply, region, profile, endpoint_url, backend, timeout, log_account_role
        )
    )


def render(reports: Iterable[Report], format: str, *, ocsf_version: Optional[str] = None) -> str:
    """The document of ``reports`` in ``format`` — ``"ocsf"``, ``"asff"``,
    ``"sarif"``, ``"junit"`` or ``"ndjson"`` — as text, exactly as
    ``kmswatch check --format FORMAT`` prints it, for one report or many
    (one per account of a scan: one OCSF array, one SARIF run, one JUnit
    suite). Its time is the first report's ``generated_at``. OCSF findings
    are written in ``ocsf_version`` (``"1.4.0"`` to ``"1.8.0"``; default
    ``"1.6.0"``, the version Security Hub reads), as ``--ocsf-version``.

    Raises :class:`KmswatchError` for another format name or OCSF version.
    """
    return _render(list(reports), format, ocsf_version)


def scan(
    accounts: Optional[Union[str, Iterable[str]]] = None,
    *,
    accounts_file: Optional[Union[str, "_os.PathLike[str]"]] = None,
    organization: bool = False,
    exclude_accounts: Optional[Union[str, Iterable[str]]] = None,
    role_name: Optional[str] = None,
    role_arn_template: Optional[str] = None,
    external_id: Optional[str] = None,
    role_session_name: Optional[str] = None,
    duration: Optional[int] = None,
    role_in_own_account: bool = False,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    timeout: Optional[float] = None,
    max_concurrency: Optional[int] = None,
    control: Union[str, Sequence[str]] = (),
) -> Iterator[Report]:
    """Checks every account of an organization, or of a list; yields one
    :class:`Report` per account as each finishes.

    The accounts come from exactly one of ``accounts`` (ids, as a list or a
    comma-separated string), ``accounts_file`` (one id per line, ``#``
    comments) and ``organization=True`` (every ACTIVE account Organizations
    ``ListAccounts`` returns to the management or a delegated administrator
    account), less ``exclude_accounts``. Each account is entered by assuming
    ``role_name`` (default ``OrganizationAccountAccessRole``) or
    ``role_arn_template`` (``{account}`` and ``{partition}`` replaced), with
    ``external_id``, ``role_session_name`` (default ``kmswatch-scan``) and
    ``duration`` (seconds, 900 to 43200); the caller's own account is checked
    with its own credentials unless ``role_in_own_account=True``. Every
    account gets the full check in ``region``, at most ``max_concurrency``
    accounts at once (default 16), each within ``timeout`` seconds.

    An account whose role cannot be assumed yields an ERROR report with one
    ``ACCOUNT_NOT_ENTERED`` gap naming why; the scan goes on. Bad options raise
    :class:`KmswatchError`, and a caller that cannot be identified or an
    organization that cannot be listed :class:`AwsError`, before the first
    report. Leaving the loop early (or Ctrl-C) stops the scan. ``control``
    as for :func:`check`, in every account.
    """

    flags: _ScanFlags = {
        "accounts": _id_list(accounts),
        "accounts_file": None if accounts_file is None else _os.fspath(accounts_file),
        "organization": organization,
        "exclude_accounts": _id_list(exclude_accounts),
        "role_name": role_name,
        "role_arn_template": role_arn_template,
        "external_id": external_id,
        "role_session_name": role_session_name,
        "duration": duration,
        "role_in_own_account": role_in_own_account,
        "max_concurrency": max_concurrency,
        "timeout": timeout,
        "controls": _control_list(control),
    }
    reports = _kmswatch.scan_accounts(flags, region, profile, endpoint_url)
    return (Report(text) for text in reports)
