"""OpenAPI post-processing: what every API operation shares, described once."""

from __future__ import annotations

from django.utils.translation import gettext as _


def document_throttling(result: dict, generator, request, public) -> dict:
    """Every throttled operation may answer 429 with `Retry-After` (the seconds to wait)."""
    too_many = {
        "description": _("Too many requests: wait the seconds in Retry-After."),
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": _("Seconds to wait.")}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("429", too_many)
    return result
