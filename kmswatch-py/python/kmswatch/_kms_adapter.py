"""``Boto3Backend``'s answers for the key inventory, the event history and
the response (kept apart from the check's calls in ``adapters.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, List, Optional

from kmswatch.schema import Alias, Key, TrailEvent


def _rfc3339(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        text: str = value.isoformat(timespec="seconds")
        return text + "Z"
    return str(value)


def _parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def key_of(metadata: Any) -> Key:
    """A ``Key`` from ``DescribeKey``'s ``KeyMetadata``."""
    key: Key = {"key_id": metadata["KeyId"], "arn": metadata["Arn"]}
    if metadata.get("KeyManager"):
        key["key_manager"] = metadata["KeyManager"]
    if metadata.get("KeyState"):
        key["key_state"] = metadata["KeyState"]
    if metadata.get("DeletionDate") is not None:
        key["deletion_date"] = _rfc3339(metadata["DeletionDate"])
    if metadata.get("PendingDeletionWindowInDays") is not None:
        key["pending_deletion_window_in_days"] = int(metadata["PendingDeletionWindowInDays"])
    if metadata.get("MultiRegion") is not None:
        key["multi_region"] = bool(metadata["MultiRegion"])
    config = metadata.get("MultiRegionConfiguration") or {}
    if config.get("MultiRegionKeyType"):
        key["multi_region_key_type"] = config["MultiRegionKeyType"]
    if (config.get("PrimaryKey") or {}).get("Arn"):
        key["primary_key_arn"] = config["PrimaryKey"]["Arn"]
    replicas = [r["Arn"] for r in config.get("ReplicaKeys") or [] if r.get("Arn")]
    if replicas:
        key["replica_key_arns"] = replicas
    if metadata.get("Description"):
        key["description"] = metadata["Description"]
    return key


class KeysAndHistory:
    """The ``list_keys``, ``list_aliases``, ``cancel_key_deletion``,
    ``enable_key`` and ``lookup_events`` methods of ``Boto3Backend``."""

    def _client(self, service: str, region: Optional[str]) -> Any:  # provided by Boto3Backend
        raise NotImplementedError

    def list_keys(self, region: str) -> List[str]:
        client = self._client("kms", region)
        arns: List[str] = []
        for page in client.get_paginator("list_keys").paginate():
            arns.extend(k.get("KeyArn") or k["KeyId"] for k in page.get("Keys", []))
        return arns

    def list_aliases(self, region: str) -> List[Alias]:
        client = self._client("kms", region)
        aliases: List[Alias] = []
        for page in client.get_paginator("list_aliases").paginate():
            for a in page.get("Aliases", []):
                alias: Alias = {"alias_name": a["AliasName"]}
                if a.get("TargetKeyId"):
                    alias["target_key_id"] = a["TargetKeyId"]
                aliases.append(alias)
        return aliases

    def cancel_key_deletion(self, region: str, key_id: str) -> None:
        self._client("kms", region).cancel_key_deletion(KeyId=key_id)

    def enable_key(self, region: str, key_id: str) -> None:
        self._client("kms", region).enable_key(KeyId=key_id)

    def lookup_events(self, region: str, event_name: str, start_time: str, end_time: str) -> List[TrailEvent]:
        client = self._client("cloudtrail", region)
        pages = client.get_paginator("lookup_events").paginate(
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": event_name}],
            StartTime=_parse(start_time),
            EndTime=_parse(end_time),
        )
        events: List[TrailEvent] = []
        for page in pages:
            for e in page.get("Events", []):
                event: TrailEvent = {
                    "event_id": e["EventId"],
                    "event_name": e["EventName"],
                    "event_time": _rfc3339(e["EventTime"]) or "",
                }
                if e.get("Username"):
                    event["username"] = e["Username"]
                if e.get("CloudTrailEvent"):
                    event["cloud_trail_event"] = e["CloudTrailEvent"]
                events.append(event)
        return events
