"""The exceptions kmswatch raises: one base class, one subclass per failure kind."""

from __future__ import annotations

from typing import Optional


class KmswatchError(Exception):
    """Base class of every kmswatch error."""


class InternalError(KmswatchError):
    """A defect in kmswatch stopped the call (a Rust panic, caught at the
    boundary); please report it with the message."""


class PatternError(KmswatchError, ValueError):
    """An invalid CloudWatch Logs filter pattern.

    ``offset`` is the byte offset in the pattern text where the problem is;
    ``message`` says what is wrong there.
    """

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message, offset)
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} at {self.offset}"


class AwsError(KmswatchError):
    """An AWS call (or a backend method) failed, or the AWS configuration is unusable.

    ``code`` is the AWS error code (``AccessDeniedException``...) or, for a
    configuration problem, one of ``NoRegion``, ``InvalidRegion``, ``UnknownRegion``,
    ``ProfileNotFound``, ``ProfileFile``, ``InvalidEndpoint`` (``operation`` is
    then ``Connect``). ``kind`` is the core's classification: ``access_denied``,
    ``not_found``, ``throttling``, ``invalid_request``, ``limit_exceeded``,
    ``transport`` or ``other``.
    """

    def __init__(
        self,
        message: str,
        code: str,
        operation: str,
        region: Optional[str] = None,
        resource: Optional[str] = None,
        kind: str = "other",
    ) -> None:
        super().__init__(message, code, operation, region, resource, kind)
        self.message = message
        self.code = code
        self.operation = operation
        self.region = region
        self.resource = resource
        self.kind = kind

    def __str__(self) -> str:
        return self.message


class SnapshotError(KmswatchError):
    """A snapshot could not be read, is malformed, or has an unsupported schema."""


class _CodedError(KmswatchError):
    """An error with a stable ``code`` beside its ``message``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


class RemediationError(_CodedError):
    """kmswatch will not (or cannot) make the account pass as asked.

    ``code`` is one of ``prerequisite_missing``, ``facts_incomplete``,
    ``conflict``, ``filter_limit``, ``no_subscriber``, ``invalid_option``,
    ``not_pass_after_preview``; the message says what to do.
    """


class PatternSqlError(_CodedError):
    """A filter pattern that :func:`kmswatch.pattern_sql` did not write as SQL.

    ``code`` names the construct the dialect cannot express with the
    engine's exact semantics (``unstructured_terms``, ``wildcard_selector``,
    ``column_test``...), or is ``usage`` for a bad argument (an unknown
    dialect, a day that is not ``YYYY-MM-DD``).
    """
