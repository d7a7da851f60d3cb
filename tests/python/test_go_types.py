"""The Go package's structs (kmswatch-ffi/go: ``Facts``, ``Report``...) are kept
by hand: this test holds them to the JSON Schemas generated from the Rust types.
Every JSON field of a Go struct is a property of the matching schema type, and
the facts document a Go program writes can hold every fact kmswatch reads."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Set, Tuple

import pytest

import kmswatch
from harness import REPO

GO = REPO / "kmswatch-ffi" / "go"


def go_structs() -> Dict[str, Dict[str, str]]:
    """Each struct of the package: its fields' JSON names and Go element types."""
    structs: Dict[str, Dict[str, str]] = {}
    for file in sorted(GO.glob("*.go")):
        if file.name.endswith("_test.go"):
            continue
        text = file.read_text(encoding="utf-8")
        for struct in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", text, re.S | re.M):
            fields: Dict[str, str] = {}
            for line in struct.group(2).splitlines():
                field = re.match(r'\s*\w+\s+([\[\]*\w.]+)\s+`json:"([^",]*)', line)
                if field and field.group(2) != "-":
                    fields[field.group(2)] = re.sub(r"[\[\]*]", "", field.group(1))
            structs[struct.group(1)] = fields
    return structs


def resolve(schema: Dict[str, Any], node: Dict[str, Any]) -> Dict[str, Any]:
    """The object schema behind references, arrays and nullable unions."""
    while True:
        kind = node.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "array" in kinds:
            node = node.get("items", {})
        elif "anyOf" in node and len([o for o in node["anyOf"] if o.get("type") != "null"]) == 1:
            node = next(o for o in node["anyOf"] if o.get("type") != "null")
        else:
            return node


def compare(document: str, root: str) -> Tuple[List[str], List[str]]:
    """(Go fields the schema lacks, schema properties Go lacks), by path."""
    schema = kmswatch.json_schema(document)
    structs = go_structs()
    unknown: List[str] = []
    missing: List[str] = []
    seen: Set[Tuple[str, str]] = set()

    def walk(go_type: str, node: Dict[str, Any], path: str) -> None:
        if (go_type, path) in seen:
            return
        seen.add((go_type, path))
        properties = resolve(schema, node).get("properties", {})
        for name, element in structs[go_type].items():
            if name not in properties:
                unknown.append(f"{path}{go_type}.{name}")
            elif element in structs:
                walk(element, properties[name], f"{path}{name}/")
        missing.extend(f"{path}{go_type}.{p}" for p in properties if p not in structs[go_type])

    walk(root, schema, "")
    return unknown, missing


@pytest.mark.parametrize("document,root", [("kmswatch.facts/v1", "Facts"), ("kmswatch.report/v1", "Report")])
def test_every_go_field_is_in_the_schema(document: str, root: str) -> None:
    unknown, _ = compare(document, root)
    assert not unknown, f"Go fields that {document} does not have: {unknown}"


def test_go_facts_hold_every_fact() -> None:
    _, missing = compare("kmswatch.facts/v1", "Facts")
    assert not missing, f"facts a Go program cannot write: {missing}"


def test_the_walk_reaches_nested_structs() -> None:
    # Facts -> topics -> Topic: the comparison is not limited to the top level.
    structs = go_structs()
    assert structs["Facts"]["topics"] in structs
    assert "topic_arn" in structs[structs["Facts"]["topics"]]
