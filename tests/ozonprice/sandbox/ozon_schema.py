"""Check a sandbox answer against the response schema Ozon documents for the path.

The schemas are extracted from Ozon's official OpenAPI document into
tests/fixtures/ozon_schemas/promotions.json. `assert_documented(path, body)`
fails on a key the document does not have, a missing documented key (the
sandbox sends every documented field), a wrong JSON type, a value outside an
enum or a date-time that does not parse. A path documented without a body
must answer `{}`.
"""

import json
from datetime import datetime
from pathlib import Path
from typing import Any

SCHEMAS = json.loads(
    (Path(__file__).resolve().parents[2] / "fixtures" / "ozon_schemas" / "promotions.json").read_text("utf-8")
)["paths"]


def response_schema(path: str) -> dict | None:
    return SCHEMAS[path]["response"]


def request_schema(path: str) -> dict | None:
    return SCHEMAS[path]["request"]


def mismatches(schema: dict, value: Any, where: str = "$") -> list[str]:
    """Every way `value` differs from `schema` (empty: it matches)."""
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    problems: list[str] = []
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        documented = schema.get("properties", {})
        problems += [f"{where}.{key}: not documented" for key in value if key not in documented]
        problems += [f"{where}.{key}: missing" for key in documented if key not in value]
        for key, sub in documented.items():
            if key in value:
                problems += mismatches(sub, value[key], f"{where}.{key}")
    elif kind == "array":
        if not isinstance(value, list):
            return [f"{where}: expected an array, got {type(value).__name__}"]
        for position, item in enumerate(value):
            problems += mismatches(schema.get("items", {}), item, f"{where}[{position}]")
    elif kind == "integer":
        if type(value) is not int:
            problems.append(f"{where}: expected an integer, got {value!r}")
    elif kind == "number":
        if type(value) not in (int, float):
            problems.append(f"{where}: expected a number, got {value!r}")
    elif kind == "boolean":
        if type(value) is not bool:
            problems.append(f"{where}: expected a boolean, got {value!r}")
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{where}: expected a string, got {value!r}")
        elif schema.get("format") in ("uint64", "int64") and not value.isdigit():
            problems.append(f"{where}: expected a digit string, got {value!r}")
        elif schema.get("format") == "date-time":
            try:
                datetime.fromisoformat(value)
            except ValueError:
                problems.append(f"{where}: not a date-time: {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    return problems


def assert_documented(path: str, body: Any) -> None:
    schema = response_schema(path)
    if schema is None:
        assert body == {}, f"{path} is documented without a body, got {body!r}"
        return
    problems = mismatches(schema, body)
    assert not problems, f"{path}: " + "; ".join(problems[:20])
