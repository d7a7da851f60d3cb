"""What the `pattern sql` equivalence tests run: the bundled CloudTrail
records, the AWS-documented pattern vectors, and seeded random patterns ×
random CloudTrail-like records (deterministic: the same cases every run)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import kmswatch

REPO = Path(__file__).resolve().parents[2]
CLOUDTRAIL = REPO / "examples" / "cloudtrail"
CORPUS = REPO / "kmswatch-decisions" / "corpus" / "kms_key_lifecycle.json"
VECTORS = REPO / "kmswatch-core" / "tests" / "data" / "pattern_vectors.json"

# Patterns over the bundled records: the CIS one, and one of each test the
# compiler writes.
CORPUS_PATTERNS = [
    kmswatch.CIS_PATTERN,
    "",
    "{ $.eventName = DisableKey }",
    "{ $.eventName = Disable* && $.eventSource = kms.amazonaws.com }",
    "{ $.errorCode = * }",
    "{ $.errorCode NOT EXISTS && $.eventName = *Deletion }",
    "{ $.requestParameters.pendingWindowInDays < 10 }",
    "{ $.requestParameters.pendingWindowInDays >= 7 && $.readOnly IS FALSE }",
    "{ $.responseElements IS NULL }",
    "{ $.userIdentity.type != IAMUser }",
    "{ $.userIdentity.sessionContext.attributes.mfaAuthenticated = false }",
    "{ $.resources[0].type = \"AWS::KMS::Key\" }",
    "{ $.eventName = %^[DS][a-z]+Key% }",
    "{ $.recipientAccountId = 111122223333 && $.eventName != %Rotation$% }",
    "{ $.managementEvent IS TRUE && $.eventType = AwsApiCall }",
]


def corpus_lines() -> List[str]:
    """The corpus records (kmswatch-decisions/corpus) as CloudTrail writes them to CloudWatch Logs."""
    entries = json.loads(CORPUS.read_text())
    return [json.dumps(e["record"], separators=(",", ":")) for e in entries]


def vector_cases() -> List[Tuple[str, str, bool]]:
    """The AWS-documented vectors whose event is one JSON object: (pattern, event, matches)."""
    cases = []
    for v in json.loads(VECTORS.read_text()):
        try:
            event = json.loads(v["event"], object_pairs_hook=_no_duplicates)
        except ValueError:
            continue
        if isinstance(event, dict):
            cases.append((v["pattern"], v["event"], bool(v["matches"])))
    return cases


def _no_duplicates(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    # Duplicate members: the engine sees every one, SQL engines one (docs/archive.md).
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate keys")
    return dict(pairs)


SELECTORS = [
    "$.eventName",
    "$.errorCode",
    "$.readOnly",
    "$.n",
    "$.requestParameters.keyId",
    "$.requestParameters.pendingWindowInDays",
    "$.requestParameters",
    "$.items[0]",
    "$.items[1]",
    "$['odd.key']",
    "$.missing",
    "$.items[*]",
    "$.objs[*].x",
    "$.objs[1].y[*]",
]

STRINGS = ["DisableKey", "Disable", "disablekey", "Key", "", "400", "0400", "7", "-3",
           "true", "false", "null", "a*b", "abc123", "2.5", "-0.125"]
VALUES: List[Any] = STRINGS + [0, 7, -3, 400, 1000, 18446744073709551615, True, False, None,
                               {"x": 1}, [1, "a"], []]
# Values some queries stop at rather than answer (docs/archive.md): rare, so
# that most random queries answer.
RARE_VALUES: List[Any] = [" 7 ", "1e3", 1.5, 7.0, -0.25]

TEXT_VALUES = ["DisableKey", "\"Disable*\"", "\"*Key\"", "\"*isa*\"", "*", "\"400\"", "4*",
               "true", "tru*", "\"\"", "\"a*b\"", "\"7\"", "false"]
NUMBERS = ["7", "400", "-3", "1e3", "2.5", "0", "0.5", "-0.125", "18446744073709551615", "1e-30"]
REGEXES = ["%^Dis%", "%Key$%", "%[0-9]+%", "%\\d{3}%", "%^t.ue$%", "%a\\*b%", "%^[^0-9]*$%"]


def random_value(rng: random.Random) -> Any:
    return rng.choice(RARE_VALUES) if rng.random() < 0.002 else rng.choice(VALUES)


def random_record(rng: random.Random, index: int) -> Dict[str, Any]:
    record: Dict[str, Any] = {"eventID": f"r{index}"}
    for key in ["eventName", "errorCode", "readOnly", "n", "odd.key"]:
        if rng.random() < 0.7:
            record[key] = random_value(rng)
    if rng.random() < 0.7:
        params: Dict[str, Any] = {}
        for key in ["keyId", "pendingWindowInDays"]:
            if rng.random() < 0.7:
                params[key] = random_value(rng)
        record["requestParameters"] = params if rng.random() < 0.9 else random_value(rng)
    if rng.random() < 0.6:
        record["items"] = [random_value(rng) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.5:
        # Elements with and without `x`, and now and then no array at all.
        objs: List[Any] = [
            {"x": random_value(rng)} if rng.random() < 0.6 else {"y": [random_value(rng)]}
            for _ in range(rng.randint(0, 3))
        ]
        record["objs"] = objs if rng.random() < 0.9 else random_value(rng)
    return record


def random_condition(rng: random.Random) -> str:
    selector = rng.choice(SELECTORS)
    kind = rng.random()
    if kind < 0.35:
        return f"{selector} {rng.choice(['=', '!='])} {rng.choice(TEXT_VALUES)}"
    if kind < 0.6:
        return f"{selector} {rng.choice(['=', '!=', '<', '>', '<=', '>='])} {rng.choice(NUMBERS)}"
    if kind < 0.75:
        return f"{selector} {rng.choice(['=', '!='])} {rng.choice(REGEXES)}"
    return f"{selector} {rng.choice(['IS NULL', 'IS TRUE', 'IS FALSE', 'NOT EXISTS'])}"


def random_pattern(rng: random.Random) -> str:
    parts = [random_condition(rng) for _ in range(rng.randint(1, 3))]
    text = parts[0]
    for part in parts[1:]:
        op = rng.choice(["&&", "||"])
        text = f"({text}) {op} {part}" if rng.random() < 0.5 else f"{text} {op} {part}"
    return "{ " + text + " }"


def random_cases(
    seed: int, records: int, patterns: int, beyond_64_bits: bool = True
) -> Tuple[List[str], List[str]]:
    """Seeded random records (compact JSON lines) and patterns. Without
    `beyond_64_bits`, no integer above 2^63 (which Spark holds as a decimal
    and its queries stop at, docs/archive.md)."""
    rng = random.Random(seed)
    lines = [json.dumps(random_record(rng, i), separators=(",", ":")) for i in range(records)]
    if not beyond_64_bits:
        lines = [line.replace("18446744073709551615", "9223372036854775807") for line in lines]
    return lines, [random_pattern(rng) for _ in range(patterns)]


def expected_ids(pattern: str, lines: List[str]) -> List[str]:
    """The oracle: the eventIDs of the lines kmswatch's own engine matches."""
    compiled = kmswatch.FilterPattern(pattern)
    return sorted(json.loads(line)["eventID"] for line in lines if compiled.matches(line))


def sql_or_none(pattern: str, dialect: str, **kwargs: Optional[str]) -> Optional[str]:
    """The query, or None when the dialect refuses the pattern."""
    try:
        return kmswatch.pattern_sql(pattern, dialect, **kwargs)  # type: ignore[arg-type]
    except kmswatch.PatternSqlError as e:
        assert e.code != "usage", e
        return None
