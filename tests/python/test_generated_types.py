"""The TypedDicts of kmswatch.schema's documents are generated from the JSON
Schemas (tests/tools/python_types.py, datamodel-code-generator): the checked-in
modules are what the generator writes from the checked-in schemas."""

from __future__ import annotations


import pytest

from harness import generated_file_check

import kmswatch.schema


def test_checked_in_types_are_the_generated_ones() -> None:
    pytest.importorskip("datamodel_code_generator")
    generated_file_check("python_types.py")


def test_schema_names_are_the_generated_types() -> None:
    # The report's and the snapshot's shapes come from the schemas: a field the
    # Rust type has is a key of the TypedDict.
    report = kmswatch.schema.ReportDict.__annotations__
    assert {"schema", "status", "chains", "gaps", "cis_pattern", "monitored_by", "keys"} <= set(report)
    facts = kmswatch.schema.Facts.__annotations__
    assert {"trails", "log_groups", "alarms", "topics", "keys", "key_regions", "errors"} <= set(facts)
    assert kmswatch.schema.Alarm.__module__ == "kmswatch._types.facts_v1"
