"""The key documents of the Python API: :func:`keys`, :func:`history`,
:func:`respond` and :func:`handle_event` (re-exported by ``kmswatch``)."""

from __future__ import annotations

import json as _json
from typing import Any, Dict, Literal, Mapping, Optional, Sequence

from kmswatch import _kmswatch
# Imported, not only for type checking: `typing.get_type_hints` resolves the
# annotations of the functions below at run time.
from kmswatch import backend as _backend
from kmswatch._arguments import _region_list
from kmswatch._errors import KmswatchError


def keys(
    regions: Optional[Sequence[str]] = None,
    *,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[_backend.Backend] = None,
    timeout: Optional[float] = None,
) -> Dict[str, Any]:
    """Every customer managed key of ``regions`` (default: every region of the
    partition; opt-in regions not enabled are skipped), with its state, its
    deletion date and days left, its multi-Region role and aliases: the
    ``kmswatch.keys/v1`` document as a dict (``status`` ``FAIL`` when a key is
    pending deletion)."""
    text = _kmswatch.keys_account(
        regions=_region_list(regions),
        region=region,
        profile=profile,
        endpoint_url=endpoint_url,
        backend=backend,
        timeout=timeout,
    )
    result: Dict[str, Any] = _json.loads(text)
    return result


def history(
    days: int = 90,
    regions: Optional[Sequence[str]] = None,
    *,
    region: Optional[str] = None,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[_backend.Backend] = None,
    timeout: Optional[float] = None,
) -> Dict[str, Any]:
    """The ``DisableKey`` and ``ScheduleKeyDeletion`` calls of the last
    ``days`` days (1-90, CloudTrail's event history): the
    ``kmswatch.history/v1`` document as a dict. Raises :class:`KmswatchError`
    for ``days`` outside 1-90."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 90:
        raise KmswatchError(f"days={days!r}: CloudTrail's event history keeps 90 days; choose 1 to 90")
    text = _kmswatch.history_account(
        days,
        regions=_region_list(regions),
        region=region,
        profile=profile,
        endpoint_url=endpoint_url,
        backend=backend,
        timeout=timeout,
    )
    result: Dict[str, Any] = _json.loads(text)
    return result


def respond(
    action: Literal["cancel-deletion", "enable"],
    key_arn: str,
    *,
    apply: bool = False,
    profile: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    backend: Optional[_backend.Backend] = None,
    timeout: Optional[float] = None,
) -> Dict[str, Any]:
    """Undoes a key's scheduled deletion (``action="cancel-deletion"``) or
    disabling (``"enable"``): a dry run unless ``apply=True``. Returns the
    ``kmswatch.respond/v1`` document as a dict, with the key's state
    ``before`` and ``after``; ``refused`` is true when the key's state does not
    allow the action. Raises :class:`KmswatchError` for an unknown action or
    a ``key_arn`` that is not a KMS key ARN, :class:`AwsError` when a call
    fails."""
    text = _kmswatch.respond_account(
        action,
        key_arn,
        apply=apply,
        region=key_arn.split(":")[3] if key_arn.count(":") >= 5 else None,
        profile=profile,
        endpoint_url=endpoint_url,
        backend=backend,
        timeout=timeout,
    )
    result: Dict[str, Any] = _json.loads(text)
    return result


def handle_event(event: Mapping[str, Any]) -> Dict[str, Any]:
    """The recommended response to an EventBridge event for ``DisableKey`` or
    ``ScheduleKeyDeletion`` (the CloudTrail record under ``detail``), without
    any AWS call: the ``kmswatch.recommendation/v1`` document as a dict, whose
    ``actions`` list the :func:`respond` steps (none for any other event)."""
    try:
        text = _json.dumps(event)
    except (TypeError, ValueError) as e:
        raise KmswatchError(f"the event is not JSON-serialisable: {e}") from None
    result: Dict[str, Any] = _json.loads(_kmswatch.recommend_for_event(text))
    return result
