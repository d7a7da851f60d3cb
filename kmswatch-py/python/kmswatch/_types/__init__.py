"""The TypedDicts of kmswatch's JSON documents, one module per document,
generated from the JSON Schemas (``schemas/``) by tests/tools/python_types.py.
Import them from :mod:`kmswatch.schema`."""
