"""The JSON Schemas of kmswatch's documents, shipped in ``kmswatch/schemas/``.

They are generated from the Rust types that write and read the documents
(the repository's ``schemas/`` folder; this package carries a copy).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Dict, List


def _folder() -> Any:
    return resources.files("kmswatch") / "schemas"


def json_schemas() -> List[str]:
    """The ids of every document that has a schema (``"kmswatch.facts/v1"``...).
    Each is a name :func:`json_schema` takes."""
    names = (entry.name for entry in _folder().iterdir())
    return sorted(_id_of(name) for name in names if name.startswith("kmswatch.") and name.endswith(".json"))


def json_schema(document: str) -> Dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a kmswatch document, by its id
    (``"kmswatch.report/v1"``, the value of its ``schema`` field) or its name
    (``"report"``), from the schemas the package ships (``kmswatch/schemas/``).
    Raises ``ValueError`` for a name kmswatch has no document of."""
    document_id = document if document.startswith("kmswatch.") else f"kmswatch.{document}/v1"
    resource = _folder() / (document_id.replace("/", ".") + ".json")
    if "/" not in document_id or not resource.is_file():
        known = ", ".join(json_schemas())
        raise ValueError(f"no schema named {document!r}: kmswatch's documents are {known}")
    schema: Dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return schema


def _id_of(file_name: str) -> str:
    """``kmswatch.facts.v1.json`` -> ``kmswatch.facts/v1``."""
    stem = file_name[: -len(".json")]
    name, _, version = stem.rpartition(".")
    return f"{name}/{version}"
