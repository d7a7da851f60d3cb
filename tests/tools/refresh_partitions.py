"""Rewrites kmswatch-core/src/aws/partitions.json from botocore's copy of AWS's
partitions document (the data every AWS SDK embeds), keeping what region
validation needs: partition ids, region patterns and region names.

    python3 tests/tools/refresh_partitions.py
"""

from __future__ import annotations

import json
from pathlib import Path

import botocore

SOURCE = Path(botocore.__file__).parent / "data" / "partitions.json"
TARGET = Path(__file__).resolve().parents[2] / "kmswatch-core" / "src" / "aws" / "partitions.json"


def main() -> None:
    document = json.loads(SOURCE.read_text())
    reduced = {
        "version": document.get("version"),
        "partitions": [
            {
                "id": p["id"],
                "regionRegex": p["regionRegex"],
                # The pseudo-regions (`aws-global`...) are endpoints, not regions.
                "regions": sorted(r for r in p["regions"] if not r.endswith("global")),
            }
            for p in document["partitions"]
        ],
    }
    TARGET.write_text(json.dumps(reduced, indent=1) + "\n")
    print(f"wrote {TARGET} ({sum(len(p['regions']) for p in reduced['partitions'])} regions)")


if __name__ == "__main__":
    main()
