"""A small CloudTrail archive as a trail writes it to S3: gzip objects of
``{"Records": [...]}`` under ``AWSLogs/[o-xxxx/]<account>/CloudTrail/<region>/YYYY/MM/DD/``,
with DisableKey and ScheduleKeyDeletion calls among other KMS calls, and what
a search of it must find."""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List

ACCOUNTS = ("111122223333", "444455556666")
REGIONS = ("us-east-1", "eu-west-1")
DAYS = ("2023-01-30", "2023-01-31", "2024-06-01")
ORG = "o-a1b2c3d4e5"


@dataclass
class Archive:
    """Objects by key, and every record by the key it is in."""

    objects: Dict[str, bytes] = field(default_factory=dict)
    records: Dict[str, List[Dict[str, Any]]] = field(default_factory=dict)

    def events(self, **where: str) -> List[Dict[str, Any]]:
        """Records whose fields equal ``where``."""
        return [r for rs in self.records.values() for r in rs if all(r.get(k) == v for k, v in where.items())]

    def write(self, root: Path) -> None:
        for key, body in self.objects.items():
            path = root / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)


def record(rng: random.Random, account: str, region: str, day: str, name: str) -> Dict[str, Any]:
    key_id = "%08x-0000-4000-8000-%012x" % (rng.getrandbits(32), rng.getrandbits(48))
    rec: Dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "arn": f"arn:aws:iam::{account}:user/ops", "userName": "ops"},
        "eventTime": f"{day}T{rng.randrange(24):02}:{rng.randrange(60):02}:{rng.randrange(60):02}Z",
        "eventSource": "kms.amazonaws.com",
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": "192.0.2.10",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"keyId": key_id},
        "responseElements": None,
        "eventID": "%032x" % rng.getrandbits(128),
        "readOnly": name not in ("DisableKey", "ScheduleKeyDeletion"),
        "eventType": "AwsApiCall",
        "recipientAccountId": account,
    }
    if name == "ScheduleKeyDeletion":
        rec["requestParameters"]["pendingWindowInDays"] = 7
    return rec


def build(seed: int = 7) -> Archive:
    """Two accounts (the second under an organization id), two regions,
    three days; one object per place and day, plus a digest file that is not
    a log file."""
    rng = random.Random(seed)
    archive = Archive()
    for account in ACCOUNTS:
        base = f"AWSLogs/{ORG}/{account}" if account == ACCOUNTS[1] else f"AWSLogs/{account}"
        for region in REGIONS:
            for day in DAYS:
                names = ["Decrypt"] * 5 + ["DisableKey", "ScheduleKeyDeletion"]
                records = [record(rng, account, region, day, n) for n in names]
                if day == DAYS[0]:
                    # A call that failed: it changed nothing.
                    records[-1]["errorCode"] = "AccessDenied"
                y, m, d = day.split("-")
                key = f"{base}/CloudTrail/{region}/{y}/{m}/{d}/{account}_CloudTrail_{region}_{y}{m}{d}T0000Z_x.json.gz"
                archive.objects[key] = gzip.compress(json.dumps({"Records": records}).encode())
                archive.records[key] = records
        digest = f"{base}/CloudTrail-Digest/us-east-1/2024/06/01/{account}_digest.json.gz"
        archive.objects[digest] = gzip.compress(b'{"awsAccountId": "x"}')
    return archive
