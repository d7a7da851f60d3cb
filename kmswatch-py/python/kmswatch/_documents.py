"""Report, Plan and RemediationResult: the core's JSON documents as objects.

Each keeps the exact JSON text the core produced, so ``to_json()`` is byte for
byte what the CLI prints, and exposes its members as attributes.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Generic, List, Optional, TypeVar, cast, overload

from kmswatch.schema import (
    Action,
    Chain,
    CisPatternCheck,
    ControlVerdict,
    Gap,
    Monitor,
    PendingSubscription,
    PlanDict,
    RemediationDict,
    ReportDict,
    Status,
)


T = TypeVar("T")


class _Member(Generic[T]):
    """A read-only attribute for the document member of the same name
    (``None`` when an optional member is absent)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, document: None, owner: type) -> _Member[T]: ...

    @overload
    def __get__(self, document: _Document, owner: type) -> T: ...

    def __get__(self, document: Optional[_Document], owner: type) -> Any:
        if document is None:
            return self
        return document._data.get(self._name)


class _Document:
    __slots__ = ("_json", "_data")

    schema: _Member[str] = _Member()
    """The document's schema, e.g. ``kmswatch.report/v1``."""
    account_id: _Member[str] = _Member()
    region: _Member[str] = _Member()
    """The region whose trails were listed."""

    def __init__(self, json_text: str) -> None:
        self._json = json_text
        self._data: Dict[str, Any] = json.loads(json_text)

    def to_json(self) -> str:
        """The document as the CLI prints it with ``--format json``."""
        return self._json

    def _dict(self) -> Dict[str, Any]:
        # A fresh copy: callers may mutate it.
        return cast(Dict[str, Any], json.loads(self._json))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._data == other._data)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._summary()})"

    def _summary(self) -> str:
        return ""


class Report(_Document):
    """The verdict on an account (``kmswatch.report/v1``)."""

    __slots__ = ()

    status: _Member[Status] = _Member()
    """``PASS``, ``FAIL``, ``ERROR`` or ``MANUAL``."""

    @property
    def passed(self) -> bool:
        return self.status == "PASS"

    @property
    def exit_code(self) -> int:
        """The CLI's exit code for this verdict: 0 PASS, 1 FAIL, 3 ERROR or MANUAL."""
        return {"PASS": 0, "FAIL": 1}.get(self.status, 3)

    summary: _Member[str] = _Member()

    chains: _Member[List[Chain]] = _Member()

    gaps: _Member[List[Gap]] = _Member()

    cis_pattern: _Member[CisPatternCheck] = _Member()

    warnings: _Member[List[Gap]] = _Member()

    @property
    def monitored_by(self) -> List[Monitor]:
        """Monitoring besides the CIS chain (EventBridge rules, one entry per
        region), read when the chain does not pass; empty otherwise."""
        return cast(List[Monitor], self._data.get("monitored_by", []))

    @property
    def controls(self) -> List[ControlVerdict]:
        """A verdict per CIS monitoring control asked for (``control=``), in
        CIS order; empty when only the KMS control (4.7) was asked."""
        return cast(List[ControlVerdict], self._data.get("controls", []))

    accepted_by: _Member[Optional[str]] = _Member()
    """The accepted monitoring kinds that made the verdict PASS
    (``check(accept=["eventbridge"])``), else ``None``."""

    api_calls: _Member[Optional[int]] = _Member()
    """AWS requests made; ``None`` for a report on a snapshot."""

    kmswatch_version: _Member[str] = _Member()

    generated_at: _Member[Optional[str]] = _Member()
    """When the report was made (RFC 3339, UTC)."""

    def all_gaps(self) -> List[Gap]:
        """Every gap in the report: the account's (``gaps``, which holds only
        those that belong to no chain), then each chain's, filter's, alarm's and
        topic's, and the ``warnings``; a PASS has no gap of severity ``fail``.
        The gaps of ``monitored_by`` are not among them."""
        found: List[Gap] = []

        def walk(value: Any) -> None:
            if isinstance(value, dict):
                found.extend(cast(Gap, g) for g in value.get("gaps", []) if isinstance(g, dict))
                for key, v in value.items():
                    if key not in ("gaps", "monitored_by"):
                        walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(self._data)
        return found

    def gap_codes(self) -> List[str]:
        """Every gap code in the report (account, chain, filter, alarm and topic gaps)."""
        return [g["code"] for g in self.all_gaps()]

    def to_dict(self) -> ReportDict:
        return cast(ReportDict, self._dict())

    def to_ocsf(self, *, ocsf_version: Optional[str] = None) -> List[Dict[str, Any]]:
        """OCSF Compliance Findings (class 2003), one per control (CIS AWS
        Foundations v1.4.0, v3.0.0 and v5.0.0 4.7, v6.0.0 and v7.0.0 5.7,
        Security Hub CloudWatch.7): the array ``kmswatch check --format ocsf``
        prints. ``ocsf_version`` is one of ``"1.4.0"`` to ``"1.8.0"``
        (default ``"1.6.0"``, the version Security Hub reads), as
        ``--ocsf-version``. Their time is the report's ``generated_at``."""
        return cast(List[Dict[str, Any]], json.loads(_render([self], "ocsf", ocsf_version)))

    def to_asff(self) -> List[Dict[str, Any]]:
        """The AWS Security Finding Format finding (a list of one), ready for
        boto3's ``securityhub.batch_import_findings(Findings=...)``: the array
        ``kmswatch check --format asff`` prints."""
        return cast(List[Dict[str, Any]], json.loads(_render([self], "asff")))

    def to_sarif(self) -> Dict[str, Any]:
        """A SARIF 2.1.0 log: one rule per gap code, one result per failing
        chain (``kmswatch check --format sarif``)."""
        return cast(Dict[str, Any], json.loads(_render([self], "sarif")))

    def to_junit(self) -> str:
        """JUnit XML text with one test case for the account: FAIL is a
        ``<failure>``, ERROR and MANUAL an ``<error>`` (``kmswatch check
        --format junit``)."""
        return _render([self], "junit")

    def _summary(self) -> str:
        return f"status={self.status!r}, account_id={self.account_id!r}, summary={self.summary!r}"


def _render(reports: List[Report], format: str, ocsf_version: Optional[str] = None) -> str:
    # Imported when first used: the extension module belongs to this package,
    # which imports this module first.
    from kmswatch import _kmswatch

    return _kmswatch.render_reports([r.to_json() for r in reports], format, ocsf_version)


class Plan(_Document):
    """What kmswatch would change to make the account pass (``kmswatch.plan/v1``)."""

    __slots__ = ()

    status_before: _Member[Status] = _Member()

    trail_arn: _Member[Optional[str]] = _Member()

    log_group_arn: _Member[Optional[str]] = _Member()

    @property
    def actions(self) -> List[Action]:
        """The writes, in order; each dict is tagged by its ``"action"`` key."""
        return cast(List[Action], self._data["actions"])

    unchanged: _Member[List[str]] = _Member()

    pending_confirmation: _Member[List[PendingSubscription]] = _Member()

    notes: _Member[List[str]] = _Member()

    @property
    def controls(self) -> List[str]:
        """The CIS controls the plan makes pass (``control=``), by their
        v1.4.0 numbers; empty: the KMS control alone."""
        return cast(List[str], self._data.get("controls", []))

    predicted_status: _Member[Status] = _Member()
    """The verdict the plan leads to, previewed on an in-memory copy of the
    account (the CLI dry run's `predicted verdict`)."""

    predicted_status_once_confirmed: _Member[Optional[Status]] = _Member()
    """The verdict once pending subscriptions are confirmed, when any are."""

    @property
    def is_empty(self) -> bool:
        """Whether applying changes nothing."""
        return not self.actions

    def to_dict(self) -> PlanDict:
        return cast(PlanDict, self._dict())

    def _summary(self) -> str:
        names = [a.get("action") for a in self.actions]
        return f"status_before={self.status_before!r}, actions={names!r}"


class RemediationResult(Plan):
    """A plan, its predicted verdict and, when applied, the verdict afterwards."""

    __slots__ = ()

    diff: _Member[List[str]] = _Member()

    applied: _Member[bool] = _Member()

    status_after: _Member[Optional[Status]] = _Member()

    summary_after: _Member[Optional[str]] = _Member()

    def to_dict(self) -> RemediationDict:
        return cast(RemediationDict, self._dict())

    def _summary(self) -> str:
        return f"{super()._summary()}, predicted_status={self.predicted_status!r}, applied={self.applied!r}"
