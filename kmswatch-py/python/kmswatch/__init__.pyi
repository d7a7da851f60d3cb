"""kmswatch: is disabling or scheduling deletion of a KMS key in this AWS
account monitored? (CIS AWS Foundations 4.7, Security Hub CloudWatch.7)"""

import os
from typing import Any, Dict, Iterable, Iterator, List, Literal, Mapping, Optional, Sequence, Union

from kmswatch._documents import Plan as Plan
from kmswatch._documents import RemediationResult as RemediationResult
from kmswatch._documents import Report as Report
from kmswatch._errors import AwsError as AwsError
from kmswatch._errors import InternalError as InternalError
from kmswatch._errors import KmswatchError as KmswatchError
from kmswatch._errors import PatternError as PatternError
from kmswatch._errors import PatternSqlError as PatternSqlError
from kmswatch._errors import RemediationError as RemediationError
from kmswatch._errors import SnapshotError as SnapshotError
from kmswatch._pattern_test import PatternMatches as PatternMatches
from kmswatch.backend import Backend, ReadOnlyBackend
from kmswatch.schema import Coverage, PatternKind

__version__: str
CIS_PATTERN: str
"""The exact CIS / Security Hub CloudWatch.7 filter pattern text."""
FACTS_SCHEMA: str
"""``kmswatch.facts/v1``: the schema of snapshot documents."""
REPORT_SCHEMA: str
"""``kmswatch.report/v1``: the schema of reports."""

Snapshot = Union[str, os.PathLike[str], Mapping[str, Any]]
"""A snapshot: a file path, or the snapshot document (``kmswatch.facts/v1``)."""

class FilterPattern:
    """A parsed CloudWatch Logs filter pattern.

    Raises :class:`PatternError` (with ``.offset``) when ``text`` is invalid.
    Equal patterns (and hashes) compare the normalised syntax, so two spellings
    of one pattern are equal.
    """

    def __init__(self, text: str) -> None: ...
    def matches(self, event: str) -> bool:
        """Whether the pattern matches one raw log event."""
    def filter(self, events: List[str]) -> List[str]:
        """The events the pattern matches, in order."""
    @property
    def canonical(self) -> str:
        """The canonical form (what ``str()`` gives too)."""
    @property
    def text(self) -> str:
        """The text the pattern was parsed from."""
    @property
    def kind(self) -> PatternKind:
        """``empty``, ``terms``, ``regex``, ``json`` or ``space_delimited``."""
    def coverage(self, control: Optional[str] = None) -> Coverage:
        """What the pattern catches of the KMS key lifecycle corpus, or of the
        corpus of the CIS monitoring control ``control`` names (``"4.6"``,
        ``"CloudWatch.6"``): the ``coverage`` of ``kmswatch pattern explain
        --format json``. An unknown control raises :class:`KmswatchError`."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

def check(
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    *,
    backend: Optional[ReadOnlyBackend] = None,
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

def controls() -> List[Dict[str, Any]]:
    """The CIS CloudWatch monitoring controls ``control=`` names, in CIS
    order: each with ``control`` (``"4.3"``), ``security_hub``
    (``"CloudWatch.1"``, ``None`` for 4.15), ``cis_versions``, ``name``,
    ``title``, ``cis_pattern`` (the CIS text), ``variants`` (published forms
    that also pass) and ``target_event_names``."""


def check_snapshot(
    source: Snapshot, *, accept: Sequence[str] = (), control: Union[str, Sequence[str]] = ()
) -> Report:
    """Checks a snapshot offline: a file path, or the snapshot document itself.

    The report's ``api_calls`` is ``None`` and ``captured_at`` is the
    snapshot's. Raises :class:`SnapshotError` naming where in the document the
    problem is (``trails[0].status.is_logging``, and for a file its line).
    ``accept`` and ``control`` as for :func:`check`.
    """

def snapshot(
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    *,
    backend: Optional[ReadOnlyBackend] = None,
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

def plan(
    snapshot: Optional[Snapshot] = None,
    *,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[ReadOnlyBackend] = None,
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
    """

def remediate(
    snapshot: Optional[Snapshot] = None,
    *,
    apply: bool = False,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[Backend] = None,
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
) -> RemediationResult:
    """Plans and previews; with ``apply=True`` writes (live accounts only) and checks again.

    The keywords are those of :func:`plan`. The result carries the plan, its
    preview (``predicted_status``, ``diff``) and, when applied, the verdict of
    the check run afterwards (``status_after``). Raises
    :class:`RemediationError` when kmswatch will not remediate, and
    :class:`AwsError` when a write fails (the actions before it stay applied;
    running again continues from there).
    """

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
    ...

def json_schema(document: str) -> Dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a kmswatch document, by its id
    (``"kmswatch.report/v1"``, the value of its ``schema`` field) or its name
    (``"report"``), from the schemas the package ships (``kmswatch/schemas/``).
    Raises ``ValueError`` for a name kmswatch has no document of."""

def json_schemas() -> List[str]:
    """The ids of every document that has a schema (``"kmswatch.facts/v1"``...).
    Each is a name :func:`json_schema` takes."""

def keys(
    regions: Optional[Sequence[str]] = None,
    *,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[Backend] = None,
    timeout: Optional[float] = None,
) -> Dict[str, Any]:
    """Every customer managed key of ``regions`` (default: every region of the
    partition; opt-in regions not enabled are skipped), with its state, its
    deletion date and days left, its multi-Region role and aliases: the
    ``kmswatch.keys/v1`` document as a dict (``status`` ``FAIL`` when a key is
    pending deletion)."""

def history(
    days: int = 90,
    regions: Optional[Sequence[str]] = None,
    *,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[Backend] = None,
    timeout: Optional[float] = None,
) -> Dict[str, Any]:
    """The ``DisableKey`` and ``ScheduleKeyDeletion`` calls of the last
    ``days`` days (1-90, CloudTrail's event history): the
    ``kmswatch.history/v1`` document as a dict. Raises :class:`KmswatchError`
    for ``days`` outside 1-90."""

def respond(
    action: Literal["cancel-deletion", "enable"],
    key_arn: str,
    *,
    apply: bool = False,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[Backend] = None,
    timeout: Optional[float] = None,
) -> Dict[str, Any]:
    """Undoes a key's scheduled deletion (``action="cancel-deletion"``) or
    disabling (``"enable"``): a dry run unless ``apply=True``. Returns the
    ``kmswatch.respond/v1`` document as a dict, with the key's state
    ``before`` and ``after``; ``refused`` is true when the key's state does not
    allow the action. Raises :class:`KmswatchError` for an unknown action or
    a ``key_arn`` that is not a KMS key ARN, :class:`AwsError` when a call
    fails."""

def handle_event(event: Mapping[str, Any]) -> Dict[str, Any]:
    """The recommended response to an EventBridge event for ``DisableKey`` or
    ``ScheduleKeyDeletion`` (the CloudTrail record under ``detail``), without
    any AWS call: the ``kmswatch.recommendation/v1`` document as a dict, whose
    ``actions`` list the :func:`respond` steps (none for any other event)."""
def scan(
    accounts: Optional[Union[str, Iterable[str]]] = None,
    *,
    accounts_file: Optional[Union[str, os.PathLike[str]]] = None,
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

def pattern_test(
    pattern: str,
    paths: Union[str, os.PathLike[str], Iterable[Union[str, os.PathLike[str]]]],
    *,
    recursive: bool = False,
    threads: Optional[int] = None,
) -> PatternMatches:
    """The events of log files that the CloudWatch Logs filter ``pattern``
    matches, as ``kmswatch pattern test --format json`` prints them: an
    iterator (:class:`PatternMatches`) of dicts, in input order, each with
    ``file`` (the path), ``line`` (JSON Lines) or ``record`` (CloudTrail
    archives ``{"Records":[…]}``, pretty-printed events, JSON arrays; 1-based)
    and ``event`` (the event parsed as JSON, or the line as a string when it
    is not JSON).

    ``paths`` is one path or several; files may be gzip-compressed
    (recognised by their first bytes); a directory needs ``recursive=True``
    and gives every file under it, sorted by name; ``"-"`` reads standard
    input. The files are read on ``threads`` threads (default: every core)
    with the GIL released; large JSON Lines files are cut into ranges read in
    parallel.

    Raises :class:`PatternError` for an invalid pattern and
    :class:`KmswatchError` for a directory without ``recursive=True`` or
    ``threads`` below 1, before anything is read. An input that cannot be
    read does not stop the others: iteration ends by raising
    :class:`KmswatchError` naming it, and the iterator's ``summary`` (the
    ``kmswatch.pattern-test/v1`` summary) lists it under ``errors``.
    """

def pattern_sql(
    pattern: str,
    dialect: Literal["athena", "trino", "spark", "duckdb", "cloudtrail-lake"],
    table: Optional[str] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
    source: Optional[str] = None,
) -> str:
    """The SQL query selecting exactly the CloudTrail records the filter
    ``pattern`` matches, as ``kmswatch pattern sql`` prints it.

    ``dialect`` is ``athena``, ``trino``, ``spark``, ``duckdb`` or
    ``cloudtrail-lake``; ``table`` the table read (see docs/archive.md for
    each dialect's layout); ``since`` / ``until`` days (``YYYY-MM-DD``, both
    kept); ``source`` (``duckdb``, ``spark``) a glob or URL of CloudTrail
    objects the query reads itself.

    Raises :class:`PatternError` for an invalid pattern and
    :class:`PatternSqlError` when the dialect cannot express the pattern with
    the engine's exact semantics (``code`` names the construct) or for a bad
    argument (``code`` ``usage``).
    """
