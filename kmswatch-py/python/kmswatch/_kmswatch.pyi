"""The Rust extension module (kmswatch-py/src): what it exports, typed.

Most functions return a document as the JSON text the CLI prints (the
``kmswatch`` package parses it into ``Report``, ``Plan`` or a dict). The test
wheel also carries ``_run_conformance`` and ``_panic_for_test``; released
wheels do not, so they are left out. tests/python/test_native_stub.py runs
stubtest against the built module.
"""

from os import PathLike
from typing import List, Mapping, Optional, Sequence, TypedDict, Union, final

from kmswatch.backend import Backend, ReadOnlyBackend
from kmswatch.schema import Coverage, PatternKind

# What pyo3 reads as a `PathBuf`.
_Path = Union[str, PathLike[str]]

__version__: str
CIS_PATTERN: str
"""The exact CIS / Security Hub CloudWatch.7 filter pattern text."""
FACTS_SCHEMA: str
"""``kmswatch.facts/v1``: the schema of snapshot documents."""
REPORT_SCHEMA: str
"""``kmswatch.report/v1``: the schema of reports."""

@final
class FilterPattern:
    """A parsed CloudWatch Logs filter pattern.

    Raises :class:`PatternError` (with ``.offset``) when ``text`` is invalid.
    Equal patterns (and hashes) compare the normalised syntax, so two spellings
    of one pattern are equal.
    """

    def __new__(cls, text: str) -> FilterPattern: ...
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
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

# Returns `kmswatch.report/v1`.
def check_account(
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[ReadOnlyBackend] = None,
    timeout: Optional[float] = None,
    accept: Sequence[str] = ...,
    keys: bool = False,
    regions: Optional[Sequence[str]] = None,
    log_account_role: Optional[str] = None,
    controls: Sequence[str] = ...,
) -> str: ...

# A JSON array of the controls.
def controls_json() -> str: ...

# Returns `kmswatch.facts/v1`.
def snapshot_account(
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[ReadOnlyBackend] = None,
    timeout: Optional[float] = None,
    show_endpoints: bool = False,
    log_account_role: Optional[str] = None,
    controls: Sequence[str] = ...,
) -> str: ...

# Returns `kmswatch.report/v1`; the snapshot is a file `path` or the JSON `text`.
def check_snapshot(
    path: Optional[_Path] = None,
    text: Optional[str] = None,
    accept: Sequence[str] = ...,
    controls: Sequence[str] = ...,
) -> str: ...

# `options` holds the remediation keywords of `kmswatch.plan` that were given;
# an unknown key raises `KmswatchError`. Returns `kmswatch.plan/v1`.
def plan_snapshot(
    options: Mapping[str, object],
    path: Optional[_Path] = None,
    text: Optional[str] = None,
    preview: bool = False,
) -> str: ...
def plan_account(
    options: Mapping[str, object],
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[ReadOnlyBackend] = None,
    timeout: Optional[float] = None,
) -> str: ...

# Without `apply` only the backend's reads are called: `kmswatch.plan` passes a
# `ReadOnlyBackend`, `kmswatch.remediate` a `Backend`.
def remediate_account(
    options: Mapping[str, object],
    apply: bool,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[ReadOnlyBackend] = None,
    timeout: Optional[float] = None,
    log_account_role: Optional[str] = None,
) -> str: ...

# `reports` are `kmswatch.report/v1` texts.
def render_reports(reports: Sequence[str], format: str, ocsf_version: Optional[str] = None) -> str: ...

# Return `kmswatch.keys/v1`, `kmswatch.history/v1` and `kmswatch.respond/v1`.
def keys_account(
    regions: Optional[Sequence[str]] = None,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[Backend] = None,
    timeout: Optional[float] = None,
) -> str: ...
def history_account(
    days: int,
    regions: Optional[Sequence[str]] = None,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[Backend] = None,
    timeout: Optional[float] = None,
) -> str: ...
def respond_account(
    action: str,
    key_arn: str,
    apply: bool = False,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[Backend] = None,
    timeout: Optional[float] = None,
) -> str: ...

# `event` is the EventBridge event's JSON text; returns `kmswatch.recommendation/v1`.
def recommend_for_event(event: str) -> str: ...

# The keywords of `kmswatch.scan`, as the extension reads them: every key is
# required (pyo3 reads each item), `accounts` and `exclude_accounts` are
# comma-separated ids.
class _ScanFlags(TypedDict):
    accounts: Optional[str]
    accounts_file: Optional[_Path]
    organization: bool
    exclude_accounts: Optional[str]
    role_name: Optional[str]
    role_arn_template: Optional[str]
    external_id: Optional[str]
    role_session_name: Optional[str]
    duration: Optional[int]
    role_in_own_account: bool
    max_concurrency: Optional[int]
    timeout: Optional[float]
    controls: List[str]

def scan_accounts(
    flags: _ScanFlags,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
) -> ScanReports: ...

# The `kmswatch.report/v1` texts of a running scan, as each account finishes.
@final
class ScanReports:
    def __iter__(self) -> ScanReports: ...
    def __next__(self) -> str: ...

# Each match is the JSON object `kmswatch pattern test --format json` prints.
def pattern_test(
    pattern: str,
    paths: Sequence[_Path],
    recursive: bool = False,
    threads: Optional[int] = None,
) -> SearchMatches: ...

@final
class SearchMatches:
    def __iter__(self) -> SearchMatches: ...
    def __next__(self) -> str: ...
    # The `kmswatch.pattern-test/v1` summary once every match was taken.
    def summary(self) -> Optional[str]: ...

def pattern_sql(
    pattern: str,
    dialect: str,
    table: Optional[str] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
    source: Optional[str] = None,
) -> str: ...
